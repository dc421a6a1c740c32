"""Staff pages of volunteer service: events and their roster, kinds, teams,
projects, special-group cases, the points rule and points adjustments.

- Community staff and area admins (portal/permissions.py) manage everything here.
- Grid workers read the event list and event pages, and keep the special-group
  cases assigned to them; a member assigned a case reads it and records its
  progress (sensitive personal information: `SpecialGroupCaseQuerySet.for_user`).

Every object is looked up in the user's scoped queryset (another community's
record answers 404). Every state change is a POST that calls one service
function; a refused step (`services.VolunteerError`) becomes an error message.
"""

import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import CreateView, DetailView, UpdateView
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from audit.services import record_export, record_personal_data_view
from grid.models import PartyMember
from grid.views import ScopedFormMixin, ScopedListView, ScopedMixin
from portal.access import get_for_user
from portal.forms import CommunityChoiceForm
from portal.models import Community
from portal.ids import parse_id, parse_ids
from portal.permissions import action_required
from portal.scope import period_scope
from portal.uploads import serve_private_file
from portal.views_helpers import form_errors, perform

from . import selectors, services
from .filters import CaseFilter, EventFilter, ProjectFilter, TeamFilter
from .forms_staff import (
    CaseForm,
    CaseStatusForm,
    CopyForm,
    EventForm,
    HeldForm,
    HoursForm,
    KindForm,
    PointsAdjustForm,
    PointsRuleForm,
    ProjectForm,
    TeamForm,
    TickForm,
)
from .models import (
    EventKind,
    Participation,
    PointsEntry,
    PointsRule,
    ServiceProject,
    SpecialGroup,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)

E = VolunteerEvent.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVENT_RELATED = ("community", "kind", "project", "team", "unit", "grid_cell")


# Helpers ------------------------------------------------------------------------------


def _get_event(request, pk, *related):
    return get_for_user(VolunteerEvent.objects.for_user(request.user).select_related(*related), pk=pk)


def with_counts(events):
    """Annotate active sign-ups and attendances: one query for a whole page of events.

    Correlated counts rather than a join with GROUP BY, so that the database walks
    the ordering's index and counts only the page's events (a join groups every
    event and all their participations before it can sort: 2.5 s at county scale)."""
    return events.annotate(
        signup_count=_count_of(Participation.objects.filter(signed_up_at__isnull=False, withdrawn_at__isnull=True), "event"),
        attended_count=_count_of(Participation.objects.filter(checked_in_at__isnull=False), "event"),
    )


def _count_of(queryset, field):
    """A correlated COUNT(*) of `queryset` rows whose `field` is the outer row."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _target_community(request):
    """The community a page works on: the user's, or for area admins `?community=<pk>`.

    Returns (community or None, the chooser form for area admins or None)."""
    if not request.user.can("portal.all_communities"):
        return request.user.community, None
    chooser = CommunityChoiceForm(request.GET or None, user=request.user)
    return (chooser.cleaned_data["community"] if chooser.is_valid() else None), chooser


def _local_naive(value):
    """An aware datetime as Asia/Shanghai wall-clock time: openpyxl cannot store tzinfo."""
    if value is None:
        return None
    return timezone.localtime(value, ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)


class CommunityInitialMixin:
    """Area admins reach a create page from a community's page with `?community=<pk>`."""

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("community"):
            initial["community"] = self.request.GET["community"]
        return initial


# Events -------------------------------------------------------------------------------


class EventList(ScopedListView):
    model = VolunteerEvent
    required_action = "volunteers.view_events"  # grid workers read; they change nothing
    # What the table shows (not the unit): each join more cost PostgreSQL's planner
    # more than running the query (19 ms planning, 3 ms execution at county scale).
    select_related = ("community", "kind", "project", "team", "grid_cell")
    filterset_class = EventFilter
    template_name = "volunteers/staff_event_list.html"

    def get_queryset(self):
        return with_counts(super().get_queryset()).order_by("-starts_at", "-pk")


class EventDetail(ScopedMixin, DetailView):
    model = VolunteerEvent
    required_action = "volunteers.view_events"
    select_related = EVENT_RELATED + ("created_by",)
    template_name = "volunteers/staff_event_detail.html"
    context_object_name = "event"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        rows = list(_roster_rows(event))
        context.update(
            rows=rows,
            totals=_roster_totals(rows),
            can_manage=self.request.user.can("volunteers.manage"),
            special_groups=[SpecialGroup(value).label for value in event.special_groups if value in SpecialGroup.values],
            cases=SpecialGroupCase.objects.for_user(self.request.user).filter(event=event),
        )
        return context


class EventCreate(CommunityInitialMixin, ScopedFormMixin, CreateView):
    model = VolunteerEvent
    required_action = "volunteers.manage"
    form_class = EventForm
    template_name = "volunteers/staff_form.html"
    title = gettext_lazy("New volunteer event")
    cancel_url = reverse_lazy("volunteers:event_list")
    success_message = gettext_lazy("The event is saved. Members can sign up once it is in the calendar.")

    def form_valid(self, form):
        form.instance.created_by = self.request.user
        return super().form_valid(form)


class EventUpdate(ScopedFormMixin, UpdateView):
    model = VolunteerEvent
    required_action = "volunteers.manage"
    form_class = EventForm
    template_name = "volunteers/staff_form.html"
    title = gettext_lazy("Edit volunteer event")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.photo:
            context["photo_url"] = reverse("volunteers:event_photo", args=[self.object.pk])
        return context


@require_POST
@action_required("volunteers.manage")
def event_cancel(request, pk):
    event = _get_event(request, pk)
    perform(request, lambda: services.event_cancel(event=event, by=request.user), _("The event is cancelled."))
    return redirect(event)


@action_required("volunteers.manage")
def event_held(request, pk):
    """Mark the event as held, with a summary and the number of residents served."""
    event = _get_event(request, pk)
    if event.status == E.CANCELLED:
        messages.error(request, _("A cancelled event cannot be marked as held."))
        return redirect(event)
    initial = {"summary": event.summary, "residents_served": event.residents_served}
    form = HeldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = perform(
            request,
            lambda: services.event_mark_held(event=event, by=request.user, **form.cleaned_data),
            _("The event is recorded as held. Approve the volunteers' hours on the roster."),
        )
        return redirect("volunteers:roster", pk=event.pk) if done else redirect(event)
    context = {
        "form": form,
        "title": _("Mark “%(title)s” as held") % {"title": event.title},
        "cancel_url": event.get_absolute_url(),
        "event": event,
    }
    return render(request, "volunteers/staff_form.html", context)


@action_required("volunteers.manage")
def event_copy(request, pk):
    """Plan the next event like this one: ask the new start, copy, then edit the copy."""
    event = _get_event(request, pk)
    local_start = timezone.localtime(event.starts_at)
    form = CopyForm(request.POST or None, initial={"starts_at": local_start + datetime.timedelta(days=7)})
    if request.method == "POST" and form.is_valid():
        copy = services.event_copy(event=event, starts_at=form.cleaned_data["starts_at"], by=request.user)
        messages.success(request, _("A copy is planned. Check the details and save."))
        return redirect("volunteers:event_update", pk=copy.pk)
    context = {
        "form": form,
        "title": _("Plan the next “%(title)s”") % {"title": event.title},
        "cancel_url": event.get_absolute_url(),
        "event": event,
    }
    return render(request, "volunteers/staff_form.html", context)


@require_safe
@action_required("volunteers.view_events")
def event_photo(request, pk):
    """The event's photo, never from a public media URL."""
    return serve_private_file(_get_event(request, pk).photo)


# Event kinds --------------------------------------------------------------------------


@action_required("volunteers.manage")
def kind_list(request):
    user = request.user
    if user.can("portal.all_communities"):
        reached = Community.objects.for_user(user).values("pk")
        kinds = EventKind.objects.filter(Q(community__isnull=True) | Q(community__in=reached)).select_related("community")
    else:
        kinds = EventKind.objects.filter(Q(community__isnull=True) | Q(community_id=user.community_id))
    kinds = kinds.annotate(event_count=_count_of(VolunteerEvent.objects.for_user(user), "kind"))
    return render(request, "volunteers/staff_kind_list.html", {"kinds": kinds.order_by("community_id", "pk")})


class KindCreate(CommunityInitialMixin, ScopedFormMixin, CreateView):
    model = EventKind
    required_action = "volunteers.manage"
    form_class = KindForm
    template_name = "volunteers/staff_form.html"
    title = gettext_lazy("New kind of event")
    cancel_url = reverse_lazy("volunteers:kind_list")
    success_message = gettext_lazy("The kind “%(name)s” can be chosen for events now.")

    def get_success_url(self):
        return reverse("volunteers:kind_list")


# The roster ---------------------------------------------------------------------------


def _roster_rows(event):
    """Everyone who signed up or was checked in, with what the roster shows, in one query."""
    return (
        event.participations.filter(Q(signed_up_at__isnull=False) | Q(checked_in_at__isnull=False))
        .select_related("member", "member__employer_unit", "member__grid_cell")
        .order_by("member__name", "pk")
    )


def _roster_totals(rows):
    attended = [row for row in rows if row.checked_in_at]
    return {
        "signed_up": sum(1 for row in rows if row.signed_up_at and not row.withdrawn_at),
        "attended": len(attended),
        "approved": sum(1 for row in attended if row.hours_approved_at),
        "pending": sum(1 for row in attended if not row.hours_approved_at),
        "hours_approved": sum((row.hours for row in attended if row.hours_approved_at and row.hours), 0),
    }


def _tick_choices(event):
    """Members of the event's community who are not checked in yet."""
    return PartyMember.objects.filter(community_id=event.community_id, is_active=True).exclude(
        pk__in=event.participations.attended().values("member_id")
    ).order_by("name", "pk")


def _participation(event, raw_pk):
    if (pk := parse_id(raw_pk)) is None:
        raise Http404
    return get_object_or_404(event.participations.select_related("member"), pk=pk)


@action_required("volunteers.manage")
def roster(request, pk):
    event = _get_event(request, pk, "kind", "community", "team", "unit", "grid_cell")
    if request.method == "POST":
        _roster_action(request, event)
        return redirect("volunteers:roster", pk=event.pk)
    rows = list(_roster_rows(event))
    context = {
        "event": event,
        "rows": rows,
        "totals": _roster_totals(rows),
        "tick_form": TickForm(members=_tick_choices(event)),
    }
    return render(request, "volunteers/staff_roster.html", context)


def _roster_action(request, event):
    action = request.POST.get("action")
    user = request.user
    if action == "tick":
        form = TickForm(request.POST, members=_tick_choices(event))
        if not form.is_valid():
            messages.error(request, _("Choose a member of the community who is not checked in yet."))
            return
        member = form.cleaned_data["member"]
        perform(
            request,
            lambda: services.attendance_mark(event=event, member=member, attended=True, by=user),
            _("%(name)s is checked in.") % {"name": member.name},
        )
    elif action == "untick":
        participation = _participation(event, request.POST.get("participation"))
        perform(
            request,
            lambda: services.attendance_mark(event=event, member=participation.member, attended=False, by=user),
            _("%(name)s is no longer checked in.") % {"name": participation.member.name},
        )
    elif action == "hours":
        participation = _participation(event, request.POST.get("participation"))
        form = HoursForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"{participation.member.name}: {form_errors(form)}")
            return
        perform(
            request,
            lambda: services.hours_set(participation=participation, hours=form.cleaned_data["hours"], by=user),
            _("Hours of %(name)s saved.") % {"name": participation.member.name},
        )
    elif action == "approve":
        participations = event.participations.all()
        if request.POST.get("scope") != "all":
            chosen = parse_ids(request.POST.getlist("participation"))
            if not chosen:
                messages.error(request, _("Tick the people whose hours you approve, or approve all."))
                return
            participations = participations.filter(pk__in=chosen)
        count = services.hours_approve(participations=participations, by=user)
        if count:
            messages.success(
                request,
                ngettext("Hours of %(count)d person approved.", "Hours of %(count)d people approved.", count)
                % {"count": count},
            )
        else:
            messages.info(request, _("No hours were waiting for approval."))
    elif action == "unapprove":
        participation = _participation(event, request.POST.get("participation"))
        perform(
            request,
            lambda: services.hours_unapprove(participation=participation, by=user),
            _("The approval for %(name)s is withdrawn, and so are the points it gave.") % {"name": participation.member.name},
        )
    else:
        messages.error(request, _("Unknown action."))


@require_safe
@action_required("volunteers.manage")
def roster_export(request, pk):
    """The roster as an Excel file: a staff export, so with whole phone numbers."""
    event = _get_event(request, pk, "kind", "community", "team", "unit", "grid_cell")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Roster")[:31]
    bold = Font(bold=True)
    start, end = _local_naive(event.starts_at), _local_naive(event.ends_at)
    sheet.append([event.title])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in [
        (_("Community"), str(event.community)),
        (pgettext("event", "Kind"), str(event.kind)),
        (_("Time"), f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"),
        (_("Place"), event.place),
        (_("Organised by"), " · ".join(str(x) for x in (event.team, event.unit) if x) or "—"),
        (_("Status"), str(event.get_status_display())),
    ]:
        sheet.append([label, value])
    sheet.append([])
    headers = [
        pgettext("person", "Name"),
        _("Mobile phone"),
        _("Employer"),
        _("Grid cell"),
        _("Signed up at"),
        _("Checked in at"),
        _("How"),
        _("Hours"),
        _("Approved"),
    ]
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
    yes, no = _("Yes"), _("No")
    for row in _roster_rows(event):
        if row.withdrawn_at and not row.checked_in_at:
            continue  # withdrew before the event: not on the list for the day
        member = row.member
        sheet.append(
            [
                member.name,
                member.phone,
                member.employer_display or "",
                str(member.grid_cell) if member.grid_cell_id else "",
                _local_naive(row.signed_up_at),
                _local_naive(row.checked_in_at),
                str(row.get_checked_in_by_display()) if row.checked_in_by else "",
                row.hours,
                yes if row.hours_approved_at else no,
            ]
        )
    record_export(request, _("Volunteer roster (Excel)"), obj=event, rows=sheet.max_row - header_row)
    for row in sheet.iter_rows(min_row=header_row + 1, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "yyyy-mm-dd hh:mm"
    for index, width in enumerate([12, 14, 24, 18, 17, 17, 16, 8, 10], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="roster-{event.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


# Teams --------------------------------------------------------------------------------


class TeamList(ScopedListView):
    model = VolunteerTeam
    required_action = "volunteers.manage"
    select_related = ("community", "sponsor_unit", "leader")
    filterset_class = TeamFilter
    template_name = "volunteers/staff_team_list.html"

    def get_queryset(self):
        members = VolunteerTeam.members.through.objects.all()
        return (
            super()
            .get_queryset()
            .annotate(
                member_count=_count_of(members, "volunteerteam"),
                event_count=_count_of(VolunteerEvent.objects.exclude(status=E.CANCELLED), "team"),
            )
        )


class TeamDetail(ScopedMixin, DetailView):
    model = VolunteerTeam
    required_action = "volunteers.manage"
    select_related = ("community", "sponsor_unit", "leader")
    template_name = "volunteers/staff_team_detail.html"
    context_object_name = "team"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        team = self.object
        approved = Q(participations__hours_approved_at__isnull=False, participations__event__team=team)
        context["members"] = (
            team.members.select_related("employer_unit", "grid_cell")
            .annotate(team_hours=Sum("participations__hours", filter=approved, default=0))
            .order_by("name", "pk")
        )
        context.update(_event_figures(team.events.all()))
        return context


class TeamCreate(CommunityInitialMixin, ScopedFormMixin, CreateView):
    model = VolunteerTeam
    required_action = "volunteers.manage"
    form_class = TeamForm
    template_name = "volunteers/staff_form.html"
    title = gettext_lazy("New volunteer team")
    cancel_url = reverse_lazy("volunteers:team_list")


class TeamUpdate(ScopedFormMixin, UpdateView):
    model = VolunteerTeam
    required_action = "volunteers.manage"
    form_class = TeamForm
    template_name = "volunteers/staff_form.html"
    title = gettext_lazy("Edit volunteer team")


def _event_figures(events):
    """Figures and the latest events of a team or project: a few aggregate queries."""
    figures = events.aggregate(
        event_total=Count("pk", filter=~Q(status=E.CANCELLED)),
        events_held=Count("pk", filter=Q(status=E.DONE)),
        residents_served=Sum("residents_served", filter=Q(status=E.DONE), default=0),
    )
    figures.update(
        Participation.objects.filter(event__in=events.values("pk")).aggregate(
            attendances=Count("pk", filter=Q(checked_in_at__isnull=False)),
            hours_approved=Sum("hours", filter=Q(hours_approved_at__isnull=False), default=0),
        )
    )
    figures["events"] = with_counts(events.select_related("kind", "grid_cell", "team", "project")).order_by("-starts_at", "-pk")[:30]
    return figures


# Service projects -----------------------------------------------------------------------


class ProjectList(ScopedListView):
    model = ServiceProject
    required_action = "volunteers.manage"
    select_related = ("community", "lead_team", "lead_unit")
    filterset_class = ProjectFilter
    template_name = "volunteers/staff_project_list.html"

    def get_queryset(self):
        events = VolunteerEvent.objects.exclude(status=E.CANCELLED)
        return super().get_queryset().annotate(
            event_count=_count_of(events, "project"),
            events_held=_count_of(events.filter(status=E.DONE), "project"),
        )


class ProjectDetail(ScopedMixin, DetailView):
    model = ServiceProject
    required_action = "volunteers.manage"
    select_related = ("community", "lead_team", "lead_unit")
    template_name = "volunteers/staff_project_detail.html"
    context_object_name = "project"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_event_figures(self.object.events.all()))
        return context


class ProjectCreate(CommunityInitialMixin, ScopedFormMixin, CreateView):
    model = ServiceProject
    required_action = "volunteers.manage"
    form_class = ProjectForm
    template_name = "volunteers/staff_form.html"
    title = gettext_lazy("New service project")
    cancel_url = reverse_lazy("volunteers:project_list")


class ProjectUpdate(ScopedFormMixin, UpdateView):
    model = ServiceProject
    required_action = "volunteers.manage"
    form_class = ProjectForm
    template_name = "volunteers/staff_form.html"
    title = gettext_lazy("Edit service project")


# Special-group cases ------------------------------------------------------------------


# Sensitive personal information: the office sees the community's cases; a grid
# worker or a member only those assigned to them (SpecialGroupCaseQuerySet.for_user).
CASE_RELATED = ("community", "grid_cell", "taken_by_member", "taken_by_unit", "taken_by_team", "assigned_to")


def _get_case(user, pk, *related):
    """A case of the user's community (else 404) that the user may see (else 403)."""
    case = get_for_user(SpecialGroupCase.objects.in_community_of(user).select_related(*related), pk=pk)
    if not SpecialGroupCase.objects.for_user(user).filter(pk=case.pk).exists():
        raise PermissionDenied
    return case


class CaseObjectMixin:
    def get_object(self, queryset=None):
        return _get_case(self.request.user, self.kwargs["pk"], *self.select_related)


class CaseList(ScopedListView):
    model = SpecialGroupCase
    required_action = "volunteers.see_cases"  # grid workers and members: the cases assigned to them
    select_related = CASE_RELATED
    filterset_class = CaseFilter
    template_name = "volunteers/staff_case_list.html"


class CaseDetail(CaseObjectMixin, ScopedMixin, DetailView):
    model = SpecialGroupCase
    required_action = "volunteers.see_cases"
    select_related = (*CASE_RELATED, "event", "wish")
    template_name = "volunteers/staff_case_detail.html"
    context_object_name = "case"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record_personal_data_view(request, self.object, ["resident_phone", "address_detail"])
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        context["status_form"] = CaseStatusForm(initial={"status": case.status, "action_taken": case.action_taken})
        context["is_office"] = self.request.user.can("volunteers.manage")
        context["can_edit"] = self.request.user.can("volunteers.record_cases")
        return context


class CaseCreate(CommunityInitialMixin, ScopedFormMixin, CreateView):
    model = SpecialGroupCase
    form_class = CaseForm
    required_action = "volunteers.record_cases"  # a grid worker's new case is assigned to them (CaseForm)
    template_name = "volunteers/staff_form.html"
    title = gettext_lazy("New special-group case")
    cancel_url = reverse_lazy("volunteers:case_list")


class CaseUpdate(CaseObjectMixin, ScopedFormMixin, UpdateView):
    model = SpecialGroupCase
    form_class = CaseForm
    required_action = "volunteers.record_cases"
    template_name = "volunteers/staff_form.html"
    title = gettext_lazy("Edit special-group case")


@require_POST
@action_required("volunteers.see_cases")
def case_status(request, pk):
    case = _get_case(request.user, pk)
    form = CaseStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(case)
    data = form.cleaned_data
    perform(
        request,
        lambda: services.case_update(case=case, status=data["status"], action_taken=data["action_taken"].strip()),
        _("The case is now “%(status)s”.") % {"status": SpecialGroupCase.Status(data["status"]).label},
    )
    return redirect(case)


# Points -------------------------------------------------------------------------------


@action_required("volunteers.manage")
def points_rule(request):
    """How many points an approved hour and a fulfilled wish earn in the community."""
    community, chooser = _target_community(request)
    form = None
    if community is not None:
        rule = PointsRule.objects.filter(community=community).first() or PointsRule(community=community)
        form = PointsRuleForm(request.POST or None, instance=rule)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, _("The points rule is saved. It applies to approvals from now on."))
            return redirect(request.get_full_path())
    context = {
        "form": form,
        "chooser": chooser,
        "community": community,
        "title": _("Points rule"),
        "intro": _("Points are given when staff approve a volunteer's hours, and when a member's claimed wish is fulfilled."),
        "cancel_url": reverse("volunteers:event_list"),
    }
    return render(request, "volunteers/staff_form.html", context)


@action_required("volunteers.manage")
def points_adjust(request):
    """Add or take away points by hand, always with a reason."""
    community, chooser = _target_community(request)
    form = None
    recent = PointsEntry.objects.none()
    if community is not None:
        form = PointsAdjustForm(request.POST or None, community=community, initial={"member": request.GET.get("member")})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            done = perform(
                request,
                lambda: services.points_adjust(member=data["member"], points=data["points"], reason=data["reason"], by=request.user),
                _("%(points)s points recorded for %(name)s.") % {"points": data["points"], "name": data["member"].name},
            )
            if done:
                return redirect(request.get_full_path())
        recent = (
            PointsEntry.objects.filter(community=community, kind=PointsEntry.Kind.ADJUSTMENT)
            .select_related("member", "created_by")[:20]
        )
    context = {
        "form": form,
        "chooser": chooser,
        "community": community,
        "recent": recent,
    }
    return render(request, "volunteers/staff_points_adjust.html", context)



@require_safe
@action_required("volunteers.manage")
def member_certificate(request, pk):
    """A member's volunteer-hours certificate for a period (志愿服务时长证明), printable."""
    member = get_for_user(PartyMember.objects.for_user(request.user).select_related("community"), pk=pk)
    return hours_certificate(request, member)


def hours_certificate(request, member):
    """The certificate page for `member` and the period asked for (portal.scope)."""
    period = period_scope(request)
    rows, total = selectors.hours_record(member, period.start, period.end)
    context = {"member": member, "period": period, "rows": rows, "total": total, "issued_on": timezone.localdate()}
    return render(request, "volunteers/hours_certificate.html", context)
