"""Named reads of the grid app, always scoped to the user."""

from django.utils import timezone

from portal.models import Community
from portal.periods import per_row

from .models import Building, CoBuildingUnit, GridCell, PartyMember


def overview_for(user) -> dict:
    """Headline figures of the user's community (every community for an area admin)."""
    today = timezone.localdate()
    members = PartyMember.objects.for_user(user)
    return {
        "communities": Community.objects.for_user(user).count(),
        "grid_cells": GridCell.objects.for_user(user).count(),
        "buildings": Building.objects.for_user(user).count(),
        "units": CoBuildingUnit.objects.for_user(user).co_building_as_of(today).count(),
        "members": members.reporting_summary(today),
        "pending": members.filter(is_active=True, reported_on__isnull=True)
        .select_related("grid_cell", "employer_unit")
        .order_by("registered_on", "pk")[:10],
    }


def grid_cells_with_counts(user):
    return (
        GridCell.objects.for_user(user)
        .select_related("community", "leader")
        .annotate(
            building_count=per_row(Building.objects.all(), "grid_cell"),
            member_count=per_row(PartyMember.objects.filter(is_active=True), "grid_cell"),
        )
        .order_by("community__name", "number")
    )


def units_with_counts(user):
    return (
        CoBuildingUnit.objects.for_user(user)
        .select_related("community")
        .annotate(
            member_count=per_row(PartyMember.objects.filter(is_active=True), "employer_unit"),
            reported_count=per_row(PartyMember.objects.filter(is_active=True, reported_on__isnull=False), "employer_unit"),
        )
        .order_by("community__name", "name")
    )
