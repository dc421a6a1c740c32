"""Staff pages of the deliberation hall (红色议事厅), the property companies
(红色物业) and the proxy window (代办窗口).

Community staff and area admins (portal/permissions.py) keep everything here; the
public page of the hall is in `views_public.py`.

Every object is looked up in the user's scoped queryset (another community's
record answers 404; a session through its topic's community). Every state change
is a POST that calls one service function; a refused step
(`services.CouncilError`) becomes an error message.
"""

from django.contrib import messages
from django.db.models import Count, Max, Q
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import CreateView, DetailView, UpdateView

from audit.services import record_personal_data_view
from grid.views import ScopedFormMixin, ScopedListView, ScopedMixin
from portal.access import get_for_user, scope_to_community
from portal.permissions import action_required
from portal.views_helpers import form_errors, perform

from . import services
from .filters import CompanyFilter, ProxyFilter, TopicFilter
from .forms import (
    CompanyForm,
    ProxyForm,
    ProxyStatusForm,
    SessionForm,
    TopicForm,
    TopicMoveForm,
    building_label,
)
from .models import PropertyCompany, ProxyService, Session, Topic

T = Topic.Status
P = ProxyService.Status

# Button labels of the steps a topic can take next.
STEP_LABELS = {
    T.DELIBERATING: gettext_lazy("Start deliberating"),
    T.AGREED: gettext_lazy("Mark as agreed"),
    T.IMPLEMENTING: gettext_lazy("Start carrying it out"),
    T.SETTLED: gettext_lazy("Mark as settled"),
    T.DROPPED: gettext_lazy("Drop the topic"),
}


def next_steps(topic):
    """The statuses `topic` may move to, in the order of the workflow."""
    return [{"to": to, "label": STEP_LABELS[to]} for to, sources in services.TOPIC_MOVES.items() if topic.status in sources]


def _topics(user):
    return Topic.objects.for_user(user)


def _sessions(user):
    return scope_to_community(Session.objects.all(), user, field="topic__community")


class CouncilFormMixin(ScopedFormMixin):
    required_action = "council.manage"
    template_name = "council/form.html"


# Topics --------------------------------------------------------------------------------------


class TopicList(ScopedListView):
    model = Topic
    required_action = "council.manage"
    select_related = ("community",)
    filterset_class = TopicFilter
    template_name = "council/topic_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(session_count=Count("sessions", distinct=True), last_session_on=Max("sessions__held_on"))
            .order_by(*Topic._meta.ordering)  # Meta.ordering is dropped from GROUP BY queries
            .prefetch_related("grid_cells")
        )


class TopicDetail(ScopedMixin, DetailView):
    model = Topic
    required_action = "council.manage"
    select_related = ("community", "created_by")
    template_name = "council/topic_detail.html"
    context_object_name = "topic"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic = self.object
        sessions = topic.sessions.select_related("property_company").prefetch_related("members", "units")
        context.update(
            cells=topic.grid_cells.all(),
            sessions=sessions,
            appeals=topic.appeals.order_by("-received_at"),
            steps=next_steps(topic),
            move_form=TopicMoveForm(initial={"on": timezone.localdate(), "outcome": topic.outcome}),
            is_open=topic.status not in (T.SETTLED, T.DROPPED),
            dates=[
                (Topic._meta.get_field(field).verbose_name, getattr(topic, field))
                for field in ["proposed_on", *services.DATE_FIELDS.values()]
                if getattr(topic, field)
            ],
        )
        return context


class TopicCreate(CouncilFormMixin, CreateView):
    model = Topic
    form_class = TopicForm
    title = gettext_lazy("New deliberation topic")
    cancel_url = reverse_lazy("council:topic_list")
    success_message = gettext_lazy("The topic is saved. Record its first session when residents meet about it.")

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        return super().form_valid(form)


class TopicUpdate(CouncilFormMixin, UpdateView):
    model = Topic
    form_class = TopicForm
    title = gettext_lazy("Edit deliberation topic")


@require_POST
@action_required("council.manage")
def topic_move(request, pk):
    topic = get_for_user(_topics(request.user), pk=pk)
    form = TopicMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(topic)
    data = form.cleaned_data
    perform(
        request,
        lambda: services.topic_move(topic=topic, to=data["to"], on=data["on"], outcome=data["outcome"].strip() or None, by=request.user),
        _("The topic is now “%(status)s”.") % {"status": Topic.Status(data["to"]).label},
    )
    return redirect(topic)


# Sessions ------------------------------------------------------------------------------------


def _render_session_form(request, form, topic, title):
    context = {"form": form, "title": title, "topic": topic, "cancel_url": topic.get_absolute_url()}
    return render(request, "council/form.html", context)


@require_http_methods(["GET", "POST"])
@action_required("council.manage")
def session_create(request, pk):
    topic = get_for_user(_topics(request.user).select_related("community"), pk=pk)
    if topic.status in (T.SETTLED, T.DROPPED):
        messages.error(request, _("This topic is closed; open a new topic instead."))
        return redirect(topic)
    form = SessionForm(request.POST or None, topic=topic, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        perform(request, lambda: services.session_record(topic=topic, by=request.user, **form.cleaned_data), _("The session is recorded."))
        return redirect(topic)
    return _render_session_form(request, form, topic, _("New session on “%(title)s”") % {"title": topic.title})


@require_http_methods(["GET", "POST"])
@action_required("council.manage")
def session_update(request, pk):
    session = get_for_user(_sessions(request.user).select_related("topic", "topic__community"), pk=pk)
    topic = session.topic
    form = SessionForm(request.POST or None, instance=session, topic=topic)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(topic)
    return _render_session_form(request, form, topic, _("Edit the session of %(day)s") % {"day": f"{session.held_on:%Y-%m-%d}"})


# Property companies ---------------------------------------------------------------------------


class CompanyList(ScopedListView):
    model = PropertyCompany
    required_action = "council.manage"
    select_related = ("community", "party_unit")
    filterset_class = CompanyFilter
    template_name = "council/company_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                compound_count=Count("compounds", distinct=True),
                open_count=Count("proxy_services", filter=~Q(proxy_services__status=P.DONE), distinct=True),
                done_count=Count("proxy_services", filter=Q(proxy_services__status=P.DONE), distinct=True),
            )
            .order_by(*PropertyCompany._meta.ordering)  # Meta.ordering is dropped from GROUP BY queries
        )


class CompanyDetail(ScopedMixin, DetailView):
    model = PropertyCompany
    required_action = "council.manage"
    select_related = ("community", "party_unit")
    template_name = "council/company_detail.html"
    context_object_name = "company"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        company = self.object
        counts = dict(company.proxy_services.order_by().values_list("status").annotate(n=Count("pk")))
        context.update(
            compounds=[building_label(b) for b in company.compounds.select_related("grid_cell").order_by("grid_cell__number", "name")],
            services=company.proxy_services.select_related("building", "building__grid_cell")[:20],
            status_counts=[(label, counts.get(value, 0)) for value, label in P.choices],
            service_total=sum(counts.values()),
        )
        return context


class CompanyCreate(CouncilFormMixin, CreateView):
    model = PropertyCompany
    form_class = CompanyForm
    title = gettext_lazy("New property company")
    cancel_url = reverse_lazy("council:company_list")


class CompanyUpdate(CouncilFormMixin, UpdateView):
    model = PropertyCompany
    form_class = CompanyForm
    title = gettext_lazy("Edit property company")


# Proxy services --------------------------------------------------------------------------------

PROXY_RELATED = ("community", "company", "building", "building__grid_cell", "handled_by")


class ProxyList(ScopedListView):
    model = ProxyService
    required_action = "council.manage"
    select_related = PROXY_RELATED
    filterset_class = ProxyFilter
    template_name = "council/proxy_list.html"


class ProxyDetail(ScopedMixin, DetailView):
    model = ProxyService
    required_action = "council.manage"
    select_related = PROXY_RELATED
    template_name = "council/proxy_detail.html"
    context_object_name = "service"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record_personal_data_view(request, self.object, ["resident_phone"])  # the page shows the whole number
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service = self.object
        context["steps"] = [
            {"status": value, "label": label} for value, label in P.choices if value != service.status
        ]
        context["status_form"] = ProxyStatusForm(initial={"on": timezone.localdate(), "note": service.note})
        return context


class ProxyCreate(CouncilFormMixin, CreateView):
    model = ProxyService
    form_class = ProxyForm
    title = gettext_lazy("New proxy service")
    cancel_url = reverse_lazy("council:proxy_list")

    def get_initial(self):
        initial = super().get_initial()
        if company := self.request.GET.get("company"):
            initial["company"] = company  # from a company's page; the choices are scoped anyway
        return initial

    def form_valid(self, form):
        form.instance.handled_by = self.request.user
        return super().form_valid(form)


class ProxyUpdate(CouncilFormMixin, UpdateView):
    model = ProxyService
    form_class = ProxyForm
    title = gettext_lazy("Edit proxy service")


@require_POST
@action_required("council.manage")
def proxy_status(request, pk):
    service = get_for_user(ProxyService.objects.for_user(request.user), pk=pk)
    form = ProxyStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(service)
    data = form.cleaned_data
    note = data["note"] if "note" in request.POST else None  # a button without the note keeps it
    perform(
        request,
        lambda: services.proxy_update(service=service, status=data["status"], on=data["on"], note=note),
        _("The errand is now “%(status)s”.") % {"status": ProxyService.Status(data["status"]).label},
    )
    return redirect(service)
