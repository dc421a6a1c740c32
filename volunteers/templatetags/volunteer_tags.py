"""Volunteer service on pages of other apps (the member's record, a unit's page)."""

from django import template
from django.db.models import Count, Q, Sum

from grid.models import PartyMember

from .. import selectors
from ..models import Participation, PointsEntry

register = template.Library()

RECENT = 5


@register.inclusion_tag("volunteers/member_service_card.html", takes_context=True)
def member_service_card(context, member):
    """A member's events, hours (approved and pending) and points with the latest ledger lines."""
    recent = (
        Participation.objects.filter(member=member, checked_in_at__isnull=False)
        .select_related("event")
        .order_by("-event__starts_at", "-pk")[:RECENT]
    )
    ledger = PointsEntry.objects.filter(member=member).order_by("-created_at", "-pk")[:RECENT]
    return {
        "request": context.get("request"),
        "member": member,
        "service": selectors.member_service(member),
        "recent": recent,
        "ledger": ledger,
    }


@register.inclusion_tag("volunteers/member_unit_service.html")
def unit_service_table(unit):
    """The unit's active members with events attended and approved hours: one aggregate query."""
    rows = list(
        PartyMember.objects.filter(employer_unit=unit, is_active=True)
        .annotate(
            events_attended=Count("participations", filter=Q(participations__checked_in_at__isnull=False)),
            hours_approved=Sum(
                "participations__hours", filter=Q(participations__hours_approved_at__isnull=False), default=0
            ),
        )
        .order_by("-hours_approved", "-events_attended", "name", "pk")
        .values("pk", "name", "events_attended", "hours_approved")
    )
    totals = {
        "events_attended": sum(row["events_attended"] for row in rows),
        "hours_approved": sum(row["hours_approved"] for row in rows),
    }
    return {"rows": rows, "totals": totals}
