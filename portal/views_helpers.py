"""Small helpers every app's views share."""

import unicodedata
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme


def perform(request, step, success_message="") -> bool:
    """Run one service call. A refusal (the services raise ValidationError
    subclasses with a message for the user) becomes an error message."""
    try:
        step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    if success_message:
        messages.success(request, success_message)
    return True


def has_control_character(text: str) -> bool:
    """A NUL, tab, line break or any other control or unassigned character: none is
    in a code or a local address, and PostgreSQL refuses a NUL in a query."""
    return any(unicodedata.category(char).startswith("C") for char in text)


def is_local_url(request, url: str) -> bool:
    """`url` leads to a page of this site and holds no control character, not even
    percent-encoded ("/grid/%00"). Django's check alone lets a NUL, a tab or a line
    break through, and the redirect then leads to a page that does not exist."""
    return not has_control_character(unquote(url)) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request, fallback: str) -> str:
    """Where to go back to: the local URL in `next` (the form's, else the query
    string's), else `fallback`. Every view that reads `next` asks here."""
    url = request.POST.get("next", request.GET.get("next", ""))
    return url if is_local_url(request, url) else fallback


def post_step(request, record, form, step, success_message=""):
    """A step on `record` posted from a small form on its page (approve, reject, answer,
    close...): `step(cleaned_data)` runs the service if the form is valid; the form's
    errors or the service's refusal become a message; back to the record's page."""
    if form.is_valid():
        perform(request, lambda: step(form.cleaned_data), success_message)
    else:
        messages.error(request, form_errors(form))
    return redirect(record)


def form_errors(form) -> str:
    """A form's errors as one line, for a message after a redirect."""
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


def paginate(request, queryset, *, rows=None):
    """The requested page of `queryset`. `rows`, if given, is applied to the page's
    rows only: for an annotation the page shows but the count need not compute
    (the overdue flag joins each row's community: counting 50,000 wishes took
    36 ms with it on PostgreSQL, 13 ms without)."""
    page = Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    if rows is not None:
        page.object_list = rows(page.object_list)
    return page


def community_from_query(request):
    """Public pages: the community named by `?c=` (unknown code: 404), else the
    only one, else None (the page then lists the communities to choose from)."""
    from portal.models import Community

    code = request.GET.get("c", "").strip()
    if code:
        return get_object_or_404(Community, code=code)
    communities = list(Community.objects.all()[:2])
    return communities[0] if len(communities) == 1 else None


def chosen_community(request):
    """The community an area admin chose for a form of grid places (`?community=<pk>`,
    also what a list's community filter passes on; grid.forms.CommunityChoiceForm, as
    on the proxy wish page); unknown: 404. Others work in their own community: the
    parameter means nothing to them."""
    from portal.forms import CommunityChoiceForm

    if not request.user.can("portal.all_communities") or not request.GET.get("community", "").strip():
        return None
    chooser = CommunityChoiceForm(request.GET, user=request.user)
    if not chooser.is_valid():
        raise Http404
    return chooser.cleaned_data["community"]


def with_community_picker(request, context: dict) -> dict:
    """An area admin first chooses the community whose grid cells a form offers
    (templates/grid/_community_picker.html; the form says `needs_community` and
    `picked_community_id`)."""
    from portal.forms import CommunityChoiceForm

    if request.user.can("portal.all_communities"):
        context["chooser"] = CommunityChoiceForm(initial={"community": context["form"].picked_community_id}, user=request.user)
    return context
