import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from audit.services import record_export
from grid.selectors import grid_cells_with_counts, overview_for
from grid.selectors_work import grid_work_todos
from office.exports import XLSX_TYPE, figures_file
from office.rates import definitions, scope_rates
from office.reports import chart_data, scope_figures, side_by_side_heading
from office.word import file_response
from portal.figures_cache import cached, cached_html
from portal.models import Community
from portal.permissions import Reach, action_required, reach
from portal.scope import report_period, report_scope
from portal.templatetags.portal_tags import percent
from volunteers.filters import hours_awaiting_approval_of
from volunteers.models import VolunteerEvent
from wishes.selectors import wish_todos


def home(request):
    """Public landing page: what the portal is, and where residents and members start."""
    communities = Community.objects.order_by("name")[:50]
    return render(request, "office/home.html", {"communities": communities})


@login_required
def dashboard(request):
    user = request.user
    if not user.can("office.dashboard"):  # each elsewhere: their own first page
        if user.can("audit.read_log"):
            return redirect("audit:event_list")
        if user.can("grid.own_registration"):
            return redirect("grid:member_me")
        if user.can("grid.view_unit") and user.unit_id:
            return redirect("grid:unit_detail", pk=user.unit_id)
        return render(request, "office/dashboard_empty.html")
    # The counts of the to-do cards, cached like the figures (renewed by any change made
    # in the portal): a dozen COUNT queries made the dashboard serve 1/15 of /healthz's rate.
    todos = cached("dashboard", lambda: _dashboard_todos(user), user.pk, get_language())
    # Everything above the forms with a CSRF token, rendered once per data version: on a
    # hit neither the period's figures nor the cards and their links are built again.
    content = cached_html(
        "dashboard_html",
        "office/_dashboard_content.html",
        lambda: _dashboard_context(request, todos),
        request,
        user.pk,
        *_period_key(request),
    )
    context = {"content": content, "overview": todos["overview"], "with_charts": user.can("office.reports")}
    return render(request, "office/dashboard.html", context)


def _period_key(request) -> tuple:
    """What the dashboard's period part depends on, read without a query: the period
    as understood (not the raw query string, whose every variant would be a cache
    entry of its own) and the community or area code asked for (a wrong one answers 404)."""
    start, end, error, _shortcuts = report_period(request)
    return start, end, error, request.GET.get("community", "").strip()[:40], request.GET.get("area", "").strip()[:40]


def _dashboard_context(request, todos) -> dict:
    user = request.user
    overview = todos["overview"]
    context = {
        "cards": _dashboard_cards(user, overview),
        "wish_cards": _wish_cards(todos["wishes"]),
        "grid_work_cards": _grid_work_cards(todos["grid_work"]),
    }
    if reach(user) is Reach.CELLS:
        context["my_cells"] = todos["my_cells"]
    if user.can("office.reports"):
        context["volunteer_cards"] = _volunteer_cards(todos["volunteers"])
        context.update(_period_context(report_scope(request)))
    return context


def _dashboard_todos(user) -> dict:
    overview = overview_for(user)
    todos = {
        "overview": {**overview, "pending": [_pending_row(member) for member in overview["pending"]]},
        "wishes": wish_todos(user),
        "grid_work": grid_work_todos(user),
    }
    if reach(user) is Reach.CELLS:
        todos["my_cells"] = list(grid_cells_with_counts(user))
    if user.can("office.reports"):
        todos["volunteers"] = _volunteer_counts(user)
    return todos


def _pending_row(member) -> dict:
    """A registration awaiting confirmation as the dashboard shows it: plain values,
    cheap to read from the cache and to render (in the language of the cached todos)."""
    return {
        "name": member.name,
        "url": member.get_absolute_url(),
        "employer": member.employer_display,
        "grid_cell": str(member.grid_cell) if member.grid_cell_id else "",
        "registered_on": member.registered_on,
        "confirm_url": reverse("grid:member_confirm", args=[member.pk]),
    }


def _period_context(scope) -> dict:
    """The period's figures, charts and (for an area admin) the areas one level down
    or the communities side by side, cached briefly (portal.figures_cache)."""
    values, rows = scope_figures(scope)
    context = {"period": scope, "period_cards": _period_cards(values, scope)}
    if rows is not None:
        context["side_by_side"] = rows
        context["side_by_side_heading"] = side_by_side_heading(rows)
    charts = cached(
        "charts",
        lambda: chart_data(scope.start, scope.end, community_ids=scope.community_ids, side_by_side=rows),
        *scope.cache_key,
        get_language(),
    )
    context.update(_rates_context(scope))
    labels = _chart_labels(rows)
    context["charts"] = {**charts, "labels": labels}
    context["chart_titles"] = [(name, labels[name]) for name in ("events", "funnel", "reporting", "teams")]
    return context


def _rates_context(scope) -> dict:
    """The three rates' section: cards of the scope's rates by kind (linking to the
    requests received in the period), its rows, the definitions."""
    totals, rows, by = scope_rates(scope)
    start, end = f"{scope.start:%Y-%m-%d}", f"{scope.end:%Y-%m-%d}"
    lists = {
        "appeals": (_("Appeals"), reverse("grid:appeal_list") + f"?received_from={start}&received_to={end}"),
        "wishes": (_("Micro-wishes"), reverse("wishes:list") + f"?submitted_from={start}&submitted_to={end}"),
    }
    groups = []
    for kind, (title, href) in lists.items():
        r = totals[kind]
        cards = [
            (_("Response rate"), r["response_rate"], _("%(n)s of %(total)s in time") % {"n": r["responded_in_time"], "total": r["received"]}),
            (_("Resolution rate"), r["resolution_rate"], _("%(n)s of %(total)s resolved") % {"n": r["resolved"], "total": r["received"]}),
            (_("Satisfaction rate"), r["satisfaction_rate"], _("%(n)s rated") % {"n": r["rated"]}),
        ]
        groups.append((title, [{"label": label, "value": percent(value) or "—", "href": href, "note": note} for label, value, note in cards]))
    return {
        "rate_groups": groups,
        "rate_rows": [{"name": row["name"], "kinds": (row["appeals"], row["wishes"])} for row in rows],
        "rate_rows_by": by,
        "rate_definitions": definitions(scope.community),
    }


def _chart_labels(side_by_side) -> dict:
    return {
        "events": _("Volunteer events held per month, by kind"),
        "funnel": _("Micro-wishes in the period"),
        "funnel_steps": [
            pgettext("wish step", "Submitted"),
            pgettext("wish step", "Published"),
            pgettext("wish step", "Claimed"),
            pgettext("wish step", "Fulfilled"),
        ],
        "reporting": _("Members' reporting side by side") if side_by_side else _("Members' reporting by unit"),
        "not_reported": _("Not yet reported"),
        "reported": _("Reported"),
        "teams": _("Approved volunteer hours side by side") if side_by_side else _("Approved volunteer hours by team"),
        "hours": _("Hours"),
    }


@action_required("office.reports")
def dashboard_export(request):
    """The period's figures and breakdowns as an Excel workbook."""
    scope = report_scope(request)
    content, filename = figures_file(scope)
    record_export(request, _("Dashboard figures (Excel)"), scope=scope)
    return file_response(content, filename, XLSX_TYPE)


def _period_cards(values: dict, scope) -> list[dict]:
    """The headline figures of the period as cards, each linking to the records behind it."""
    day = "%Y-%m-%d"
    start, end = scope.start.strftime(day), scope.end.strftime(day)
    events = reverse("volunteers:event_list") + f"?status=done&date_from={start}&date_to={end}"
    wishes = reverse("wishes:list") + "?status=fulfilled"
    # The stock figures' records as counted on the period's last day (portal.filters.CountedOnFilter).
    counted = f"?counted_on={end}"
    members = reverse("grid:member_list") + counted
    rows = [
        (_("Co-building units"), values["co_building_units"], reverse("grid:unit_list") + counted, ""),
        (_("In-service party members"), values["party_members"], members, ""),
        (
            _("Reported"),
            values["reported_members"],
            members + "&reported=yes",
            _("Reporting rate %(rate)s") % {"rate": percent(values["reporting_rate"])},
        ),
        (_("Volunteer events held"), values["volunteer_events"], events, ""),
        (_("Haircuts, clinics, performances"), values["special_services"], events, ""),
        (_("Approved volunteer hours"), f"{values['volunteer_hours']:g}", events, ""),
        (_("Wishes submitted"), values["wishes_submitted"], reverse("wishes:list") + f"?submitted_from={start}&submitted_to={end}", ""),
        (_("Wishers helped"), values["wishers_fulfilled"], wishes,
         _("%(count)s wishes fulfilled") % {"count": values["wishes_fulfilled"]}),
        (_("Special-group cases solved"), values["special_group_cases_resolved"], reverse("volunteers:case_list") + "?status=solved", ""),
        (_("Topics settled in the hall"), values["deliberation_topics_resolved"], reverse("council:topic_list") + "?status=settled", ""),
        (_("Active volunteer teams"), values["volunteer_teams"], reverse("volunteers:team_list") + counted, ""),
        (_("Red vanguard stations"), values["stations"], reverse("grid:station_list") + counted + "&kind=station", ""),
    ]
    return [{"label": label, "value": value, "href": href, "note": note} for label, value, href, note in rows]


def _dashboard_cards(user, overview):
    members_url = reverse("grid:member_list")
    members = overview["members"]
    cards = []
    if user.can("portal.all_communities"):
        cards.append((_("Communities"), overview["communities"], reverse("grid:community_list"), ""))
    cards.append((_("Grid cells"), overview["grid_cells"], reverse("grid:gridcell_list"), ""))
    if user.can("office.reports"):
        cards.append((_("Co-building units"), overview["units"], reverse("grid:unit_list") + "?is_active=true", ""))
    cards += [
        (_("Registered party members"), members["registered"], members_url + "?is_active=true", ""),
        (
            _("Reported"),
            members["reported"],
            members_url + "?is_active=true&reported=yes",
            _("Reporting rate %(rate)s") % {"rate": percent(members["rate"])},
        ),
        (_("Awaiting confirmation"), members["registered"] - members["reported"], members_url + "?is_active=true&reported=no", ""),
    ]
    return [{"label": label, "value": value, "href": href, "note": note} for label, value, href, note in cards]


def _wish_cards(todos):
    """Micro-wish to-dos of office roles and grid workers: to review, overdue."""
    wishes_url = reverse("wishes:list")
    return [
        {"label": _("Wishes awaiting review"), "value": todos["awaiting_review"], "href": wishes_url + "?status=submitted", "note": ""},
        {"label": _("Overdue wishes"), "value": todos["overdue"], "href": wishes_url + "?overdue=yes", "note": ""},
    ]


def _grid_work_cards(todos):
    """Grid work to-dos of office roles and grid workers: appeals waiting for an answer,
    overdue appeals, open follow-ups of visits, stations that need new content."""
    appeals_url, visits_url = reverse("grid:appeal_list"), reverse("grid:visit_list")
    cards = [
        (_("Appeals waiting for an answer"), todos["appeals_waiting"], appeals_url + "?status=waiting"),
        (_("Overdue appeals"), todos["appeals_overdue"], appeals_url + "?overdue=yes"),
        (_("Open follow-ups from visits"), todos["follow_ups_open"], visits_url + "?follow_up=yes"),
        (_("Stations needing new content"), todos["stations_stale"], reverse("grid:station_list") + "?stale=yes"),
    ]
    return [{"label": label, "value": value, "href": href, "note": ""} for label, value, href in cards]


def _volunteer_counts(user) -> dict:
    """Volunteer to-dos of office roles: hours to approve, this week's events."""
    pending = hours_awaiting_approval_of(VolunteerEvent.objects.for_user(user))
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)
    tz = timezone.get_current_timezone()
    week = VolunteerEvent.objects.for_user(user).public().filter(
        starts_at__gte=datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz),
        starts_at__lt=datetime.datetime.combine(sunday + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )
    return {"hours_pending": pending.count(), "events_this_week": week.count(), "monday": monday, "sunday": sunday}


def _volunteer_cards(counts):
    events_url = reverse("volunteers:event_list")
    monday, sunday = counts["monday"], counts["sunday"]
    return [
        {"label": _("Hours awaiting approval"), "value": counts["hours_pending"], "href": events_url + "?pending_hours=yes", "note": ""},
        {
            "label": _("Events this week"),
            "value": counts["events_this_week"],
            "href": f"{events_url}?date_from={monday:%Y-%m-%d}&date_to={sunday:%Y-%m-%d}",
            "note": "",
        },
    ]
