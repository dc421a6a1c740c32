"""Feedback sheets to employer units (报到反馈单): what each unit's in-service party
members did for the community in a period.

Per member, for the period [start, end] (whole days, Asia/Shanghai):
- events attended: checked-in participations at events held (status done) that
  started in the period;
- approved hours: approved hours of those participations at events held in the
  period (the same rule as the dashboard's volunteer hours);
- wishes fulfilled: micro-wishes the member claimed, fulfilled in the period;
- points: the member's points entries created in the period.

Every figure is a correlated subquery, so the counts and sums never multiply one
another through joins. The sheets leave the community: they carry names, the
reporting date and these figures only, never phones, addresses or special groups.
"""

import dataclasses
import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import pgettext_lazy

from grid.models import CoBuildingUnit, PartyMember
from portal.periods import day_bounds
from volunteers.models import Participation, PointsEntry, VolunteerEvent
from wishes.models import MicroWish

FIGURES = ("events_attended", "hours_approved", "wishes_fulfilled", "points")
ROW_FIELDS = ("pk", "name", "reported_on", "employer_unit_id", *FIGURES)

# The sheet's columns, shared by the page and the Word file.
COLUMNS = [
    pgettext_lazy("person", "Name"),
    pgettext_lazy("feedback sheet", "Reporting date"),
    pgettext_lazy("feedback sheet", "Events attended"),
    pgettext_lazy("feedback sheet", "Volunteer hours"),
    pgettext_lazy("feedback sheet", "Wishes fulfilled"),
    pgettext_lazy("feedback sheet", "Points"),
]

ZERO = Decimal("0")


@dataclasses.dataclass
class FeedbackSheet:
    unit: CoBuildingUnit
    rows: list[dict]
    totals: dict


def _per_member(queryset, expression, output_field, default, member_field="member"):
    """`expression` over `queryset` (the rows of one member), as a scalar subquery."""
    grouped = queryset.order_by().values(member_field).annotate(value=expression).values("value")
    return Coalesce(Subquery(grouped, output_field=output_field), Value(default), output_field=output_field)


def _figures(start: datetime.date, end: datetime.date) -> dict:
    low, high = day_bounds(start, end)
    at_held_events = Participation.objects.filter(
        member=OuterRef("pk"),
        event__status=VolunteerEvent.Status.DONE,
        event__starts_at__gte=low,
        event__starts_at__lt=high,
    )
    hours = DecimalField(max_digits=8, decimal_places=1)
    points = DecimalField(max_digits=9, decimal_places=1)
    return {
        "events_attended": _per_member(
            at_held_events.filter(checked_in_at__isnull=False), Count("pk"), IntegerField(), 0
        ),
        "hours_approved": _per_member(at_held_events.filter(hours_approved_at__isnull=False), Sum("hours"), hours, ZERO),
        "wishes_fulfilled": _per_member(
            MicroWish.objects.filter(
                claimed_by_member=OuterRef("pk"),
                status=MicroWish.Status.FULFILLED,
                fulfilled_at__gte=low,
                fulfilled_at__lt=high,
            ),
            Count("pk"),
            IntegerField(),
            0,
            member_field="claimed_by_member",
        ),
        "points": _per_member(
            PointsEntry.objects.filter(member=OuterRef("pk"), created_at__gte=low, created_at__lt=high),
            Sum("points"),
            points,
            ZERO,
        ),
    }


def _unit_ids(units) -> list[int]:
    """A unit, a unit id, or several of either (a queryset, a list)."""
    if isinstance(units, (CoBuildingUnit, int)):
        units = [units]
    return [unit.pk if isinstance(unit, CoBuildingUnit) else unit for unit in units]


def members_as_of(end: datetime.date):
    """The members a sheet lists: registered by `end` and still active on that day."""
    return PartyMember.objects.registered_as_of(end)


def reported_as_of(end: datetime.date) -> Q:
    """Of those, the ones whose report was confirmed by `end`."""
    return Q(reported_on__lte=end)


def _members(units, end: datetime.date):
    return members_as_of(end).filter(employer_unit_id__in=_unit_ids(units))


def unit_feedback_rows(units, start: datetime.date, end: datetime.date):
    """The members of one or several units with their figures for the period, as
    dicts (ROW_FIELDS; nothing else leaves the database), ordered by unit and name.
    One query, whatever the number of units and members."""
    return (
        _members(units, end)
        .annotate(**_figures(start, end))
        .order_by("employer_unit_id", "name", "pk")
        .values(*ROW_FIELDS)
    )


def unit_feedback_totals(units, start: datetime.date, end: datetime.date) -> dict[int, dict]:
    """Per unit id: members, reported members and the sums of the figures. One query."""
    sums = {f"{name}_sum": Sum(name) for name in FIGURES}
    rows = (
        _members(units, end)
        .alias(**_figures(start, end))
        .order_by()
        .values("employer_unit_id")
        .annotate(members=Count("pk"), reported=Count("pk", filter=reported_as_of(end)), **sums)
    )
    return {
        row["employer_unit_id"]: {
            "members": row["members"],
            "reported": row["reported"],
            **{name: row[f"{name}_sum"] or 0 for name in FIGURES},
        }
        for row in rows
    }


def empty_totals() -> dict:
    return {"members": 0, "reported": 0, "events_attended": 0, "hours_approved": ZERO, "wishes_fulfilled": 0, "points": ZERO}


def feedback_sheets(units: Iterable[CoBuildingUnit], start: datetime.date, end: datetime.date) -> list[FeedbackSheet]:
    """One sheet per unit, in the given order: two queries for any number of units."""
    units = list(units)
    if not units:
        return []
    by_unit: dict[int, list[dict]] = {unit.pk: [] for unit in units}
    for row in unit_feedback_rows(units, start, end):
        if row["reported_on"] and row["reported_on"] > end:
            row["reported_on"] = None  # confirmed after the period: not yet reported then
        by_unit[row["employer_unit_id"]].append(row)
    totals = unit_feedback_totals(units, start, end)
    return [FeedbackSheet(unit, by_unit[unit.pk], totals.get(unit.pk, empty_totals())) for unit in units]


def number(value) -> str:
    """Hours and points as people write them: 3.5, 30 (not 30.0)."""
    if value is None:
        return "0"
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else str(value)
