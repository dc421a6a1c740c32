"""Public and member pages of volunteer service.

    calendar / event_public: anyone, no personal data (counts, never names)
    sign_up / withdraw: POST, party members of the event's community
    checkin (type the code) / checkin_code (the QR code's URL): members, during the event's window
    checkin_sheet: the printable code and QR code for the venue (community office)
    my: a member's sign-ups, attendance, hours and points

Every state change is a POST that calls ONE service function; a refusal
(`services.VolunteerError`) becomes an error message, never a 500.
"""

from functools import wraps

import qrcode
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from qrcode.image.svg import SvgPathImage

from grid.models import PartyMember
from portal.access import get_for_user
from portal.models import Community
from portal.permissions import action_required, can
from portal.views_helpers import perform, safe_next

from . import selectors, services, views_staff
from .forms_public import (
    WRONG_CODE_MESSAGE,
    CalendarFilterForm,
    CheckInForm,
    normalize_checkin_code,
)
from .models import Participation, PointsEntry, VolunteerEvent

E = VolunteerEvent.Status
CALENDAR_PAGE_SIZE = 20
LEDGER_LIMIT = 50
PAST_LIMIT = 50


# Helpers ------------------------------------------------------------------------------


def _member_of(user):
    """The party member record linked to a member's login, or None."""
    if not can(user, "volunteers.take_part"):
        return None
    return PartyMember.objects.filter(user=user).first()


def _with_counts(events, member=None):
    """Annotate `signed_up` (active sign-ups), `places_left` and, for a member, `mine`."""
    active = (
        Participation.objects.active()
        .filter(event=OuterRef("pk"), signed_up_at__isnull=False)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    places_left = Case(
        When(capacity__isnull=True, then=None),
        default=Greatest(F("capacity") - F("signed_up"), 0),
        output_field=IntegerField(),
    )
    events = events.annotate(signed_up=Coalesce(Subquery(active, output_field=IntegerField()), 0))
    events = events.annotate(places_left=places_left)
    if member is not None:
        mine = Participation.objects.active().filter(event=OuterRef("pk"), member=member, signed_up_at__isnull=False)
        events = events.annotate(mine=Exists(mine))
    return events


def _redirect_back(request, event):
    """Back to the page the button was on (a local URL in `next`), else the event's page."""
    return redirect(safe_next(request, fallback=reverse("volunteers:event_public", args=[event.pk])))


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=SvgPathImage, border=4)
    return image.to_string(encoding="unicode")


# The calendar ---------------------------------------------------------------------------


def _chosen_community(request, communities):
    """`?c=` names a community; without it, a member's own; the only one; else all (None)."""
    if "c" in request.GET:
        return next((c for c in communities if c.code == request.GET["c"]), None)
    if len(communities) == 1:
        return communities[0]
    user = request.user
    if user.is_authenticated and user.community_id:
        return next((c for c in communities if c.pk == user.community_id), None)
    return None


def calendar(request):
    now = timezone.now()
    communities = list(Community.objects.all())
    chosen = _chosen_community(request, communities)
    data = request.GET.copy()
    if chosen is not None and len(communities) > 1:
        data["c"] = chosen.code  # show the member's own community as chosen
    form = CalendarFilterForm(data, communities=communities, community=chosen)
    form.is_valid()  # each bad value is dropped from cleaned_data, i.e. ignored

    member = _member_of(request.user)
    events = selectors.calendar([chosen.pk] if chosen else None, now=now)
    if kind := form.cleaned_data.get("kind"):
        events = events.filter(kind=kind)
    if cell := form.cleaned_data.get("cell"):
        events = events.filter(grid_cell=cell)
    # Upcoming (and running) events first, soonest first; then the past ones, latest first.
    is_past = Case(When(ends_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField())
    events = (
        _with_counts(events, member)
        .annotate(is_past=is_past)
        .order_by("is_past", Case(When(ends_at__gte=now, then=F("starts_at"))).asc(), F("starts_at").desc(), "pk")
    )
    page_obj = Paginator(events, CALENDAR_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter_form": form,
        "page_obj": page_obj,
        "events": page_obj.object_list,
        "community": chosen,
        "several_communities": len(communities) > 1,
        "member": member,
        "now": now,
    }
    return render(request, "volunteers/public_calendar.html", context)


def event_public(request, pk):
    """One event for everyone: how many signed up, never who."""
    member = _member_of(request.user)
    events = _with_counts(VolunteerEvent.objects.select_related("kind", "grid_cell", "community", "team", "unit", "project"), member)
    event = get_object_or_404(events, pk=pk)
    return render(
        request, "volunteers/public_event.html", {"event": event, "member": member, "now": timezone.now()}
    )


# Sign-up ------------------------------------------------------------------------------------


def _event_for_member(request, pk):
    """An event of the member's own community; any other answers 404."""
    return get_object_or_404(VolunteerEvent, pk=pk, community_id=request.user.community_id)


def _login_then_event_page(view):
    """Anonymous visitors who press a button log in, then land on the event's page (not on a POST-only URL)."""

    @wraps(view)
    def wrapped(request, pk):
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("volunteers:event_public", args=[pk]))
        return view(request, pk)

    return wrapped


def _member_or_message(request):
    member = _member_of(request.user)
    if member is None:
        messages.error(request, _("Your account is not linked to a party member record yet. Please ask the community office."))
    return member


@require_POST
@_login_then_event_page
@action_required("volunteers.take_part")
def sign_up(request, pk):
    event = _event_for_member(request, pk)
    if member := _member_or_message(request):
        perform(
            request,
            lambda: services.event_sign_up(event=event, member=member),
            _("You are signed up for “%(title)s”. Thank you!") % {"title": event.title},
        )
    return _redirect_back(request, event)


@require_POST
@_login_then_event_page
@action_required("volunteers.take_part")
def withdraw(request, pk):
    event = _event_for_member(request, pk)
    if member := _member_or_message(request):
        perform(
            request,
            lambda: services.event_withdraw(event=event, member=member),
            _("You have withdrawn from “%(title)s”.") % {"title": event.title},
        )
    return _redirect_back(request, event)


# Check-in -------------------------------------------------------------------------------------


def _event_by_code(user, code):
    """The event of the user's community with this code, or None (the same answer as a wrong code)."""
    if not code:
        return None
    return VolunteerEvent.objects.filter(community_id=user.community_id, checkin_code=code).first()


def _check_in(request, event, member, code):
    """Check in; on success the redirect to the 'checked in' page, on refusal the message."""
    try:
        services.event_check_in(event=event, member=member, code=code)
    except services.VolunteerError as error:
        return None, " ".join(error.messages)
    return redirect("volunteers:checked_in", event.pk), None


@require_http_methods(["GET", "POST"])
@action_required("volunteers.take_part")
def checkin(request):
    member = _member_of(request.user)
    form = CheckInForm(request.POST or None)
    if member is not None and request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        event = _event_by_code(request.user, code)
        if event is None:
            form.add_error("code", WRONG_CODE_MESSAGE)
        else:
            response, error = _check_in(request, event, member, code)
            if response is not None:
                return response
            form.add_error("code", error)
    return render(request, "volunteers/member_checkin.html", {"form": form, "member": member})


@require_http_methods(["GET", "POST"])
@action_required("volunteers.take_part")
def checkin_code(request, code):
    """The QR code's URL: GET asks to confirm (a link preview must not check anyone in), POST checks in."""
    member = _member_of(request.user)
    code = normalize_checkin_code(code)
    event = _event_by_code(request.user, code)
    if member is not None and event is not None and request.method == "POST":
        response, error = _check_in(request, event, member, code)
        if response is not None:
            return response
        messages.error(request, error)
        return redirect("volunteers:checkin_code", code)
    participation = None
    if member is not None and event is not None:
        participation = Participation.objects.filter(event=event, member=member, checked_in_at__isnull=False).first()
    opens, closes = event.checkin_window() if event else (None, None)
    context = {
        "member": member,
        "event": event,
        "code": code,
        "participation": participation,
        "opens": opens,
        "closes": closes,
        "wrong_code": WRONG_CODE_MESSAGE,
    }
    return render(request, "volunteers/member_checkin_confirm.html", context)


@action_required("volunteers.take_part")
def checked_in(request, pk):
    """After a check-in: where, when, and the hours that will count once staff approve them."""
    member = _member_of(request.user)
    if member is None:
        raise Http404("No party member record.")
    participation = get_object_or_404(
        Participation.objects.select_related("event", "event__kind"),
        event_id=pk,
        member=member,
        checked_in_at__isnull=False,
    )
    return render(request, "volunteers/member_checked_in.html", {"participation": participation, "event": participation.event})


@action_required("volunteers.manage")
def checkin_sheet(request, pk):
    """A printable A4 sheet for the venue: the code in big letters and its QR code."""
    event = get_for_user(VolunteerEvent.objects.for_user(request.user).select_related("community", "kind"), pk=pk)
    url = request.build_absolute_uri(reverse("volunteers:checkin_code", args=[event.checkin_code]))
    context = {
        "event": event,
        "qr_url": url,
        # Made by us from our own URL (no user input in the markup): safe to inline.
        "qr_svg": mark_safe(_qr_svg(url)),  # noqa: S308
        "opens_closes": event.checkin_window(),
    }
    return render(request, "volunteers/public_checkin_sheet.html", context)


# My service ------------------------------------------------------------------------------------------


@action_required("volunteers.take_part")
def my_certificate(request):
    """A member's own volunteer-hours certificate (the same page staff print)."""
    member = _member_of(request.user)
    if member is None:
        raise Http404
    return views_staff.hours_certificate(request, member)


@action_required("volunteers.take_part")
def my(request):
    member = _member_of(request.user)
    if member is None:
        return render(request, "volunteers/member_my.html", {"member": None})
    now = timezone.now()
    mine = Participation.objects.filter(member=member).select_related("event", "event__kind", "event__grid_cell")
    upcoming = (
        mine.active()
        .filter(signed_up_at__isnull=False, event__starts_at__gt=now)
        .order_by("event__starts_at", "pk")
    )
    past = (
        mine.filter(event__starts_at__lte=now)
        .filter(Q(checked_in_at__isnull=False) | Q(withdrawn_at__isnull=True, signed_up_at__isnull=False))
        .order_by("-event__starts_at", "-pk")[:PAST_LIMIT]
    )
    ledger = PointsEntry.objects.filter(member=member).order_by("-created_at", "-pk")[:LEDGER_LIMIT]
    context = {
        "member": member,
        "upcoming": upcoming,
        "past": past,
        "ledger": ledger,
        "service": selectors.member_service(member),
        "now": now,
        "ledger_limit": LEDGER_LIMIT,
        "past_limit": PAST_LIMIT,
    }
    return render(request, "volunteers/member_my.html", context)
