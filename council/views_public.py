"""The public page of the deliberation hall: what residents raised, how it was
deliberated, what was decided and done. No account needed.

Only what the model marks as public is shown: a topic's title, description,
grid cells, status and dates, outcome; its sessions' date, form, place, number
of residents taking part, the organisations at the table and the decision.
Never the names of representatives or members, the minutes, or the appeals a
topic came from. Proposals not yet taken up (`proposed`) are not shown at all.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render

from portal.models import Community

from .forms import HallFilterForm
from .models import Session, Topic

T = Topic.Status
PAGE_SIZE = 20
IN_PROGRESS = (T.DELIBERATING, T.AGREED, T.IMPLEMENTING)
# The public fields of a session: nothing personal is even loaded.
SESSION_FIELDS = ("topic_id", "held_on", "form", "place", "residents_count", "decision")


def _public_topics():
    """Public topics, the one that moved last first (the dates only grow along the workflow)."""
    latest = Coalesce("settled_on", "dropped_on", "implementing_on", "agreed_on", "deliberating_on", "proposed_on")
    return (
        Topic.objects.public()
        .select_related("community")
        .annotate(latest_on=latest)
        .order_by("-latest_on", "-pk")
        .prefetch_related("grid_cells")
    )


def _chosen_community(request, communities):
    code = request.GET.get("c", "")
    chosen = next((c for c in communities if c.code == code), None)
    if chosen is None and len(communities) == 1:
        chosen = communities[0]
    return chosen


def topics(request):
    communities = list(Community.objects.all())
    chosen = _chosen_community(request, communities)
    form = HallFilterForm(request.GET, communities=communities)
    form.is_valid()  # each bad value is dropped from cleaned_data, i.e. ignored

    topics = _public_topics().prefetch_related(Prefetch("sessions", Session.objects.only(*SESSION_FIELDS)))
    if chosen is not None:
        topics = topics.filter(community=chosen)
    status = form.cleaned_data.get("status")
    if status == HallFilterForm.IN_PROGRESS:
        topics = topics.filter(status__in=IN_PROGRESS)
    elif status:
        topics = topics.filter(status=status)
    page_obj = Paginator(topics, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter_form": form,
        "page_obj": page_obj,
        "community": chosen,
        "several_communities": len(communities) > 1,
    }
    return render(request, "council/public_topics.html", context)


def topic(request, pk):
    sessions = Session.objects.only(*SESSION_FIELDS, "property_company__name").select_related("property_company").prefetch_related("units")
    topic = get_object_or_404(_public_topics().prefetch_related(Prefetch("sessions", sessions)), pk=pk)
    return render(request, "council/public_topic.html", {"topic": topic})
