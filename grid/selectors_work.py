"""Named reads of grid work: stations and their freshness, and the to-dos of the dashboard."""

import datetime

from django.db.models import (
    BooleanField,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Value,
)
from django.utils import timezone

from portal.periods import days

from .models import Appeal, Station, VisitLog


def stations_for_user(user):
    """Stations the user may see: the community's for office roles (all for an area
    admin), the ones in their own grid cells for a grid worker, nothing for others."""
    return Station.objects.for_user(user)


def _days_since_last_update(today):
    # Date minus date, as a duration, computed by the database (SQLite and PostgreSQL).
    return ExpressionWrapper(Value(today, output_field=DateField()) - F("last_updated_on"), output_field=DurationField())


def _stale_condition():
    """No content yet, or the last content is older than the place's own interval.

    Needs the `last_updated_on` and `days_since_update` annotations.
    """
    return Q(last_updated_on__isnull=True) | Q(days_since_update__gt=days("update_every_days"))


def stations_with_freshness(queryset, today: datetime.date | None = None):
    """Annotate `last_updated_on`, `days_since_update` (a timedelta, None without
    content) and `is_stale` (True when an active place needs new content)."""
    today = today or timezone.localdate()
    return (
        queryset.with_last_update()
        .annotate(days_since_update=_days_since_last_update(today))
        .annotate(is_stale=ExpressionWrapper(Q(is_active=True) & _stale_condition(), output_field=BooleanField()))
        # Meta.ordering is not applied to a grouped query: say it again.
        .order_by("community__name", "kind", "name", "pk")
    )


def filter_stale(queryset, stale: bool):
    """Keep the places that need new content (`stale`), or those that do not.

    `queryset` comes from `stations_with_freshness`. Inactive places never need content.
    """
    condition = Q(is_active=True) & _stale_condition()
    return queryset.filter(condition) if stale else queryset.exclude(condition)


def stations_needing_content(user, today: datetime.date | None = None):
    return filter_stale(stations_with_freshness(stations_for_user(user), today), stale=True)


def grid_work_todos(user) -> dict:
    """What waits for the user in grid work, one query per count:
    appeals waiting for an answer, overdue appeals, open follow-ups of visits,
    stations and micro party schools that need new content."""
    appeals = Appeal.objects.for_user(user)
    return {
        "appeals_waiting": appeals.filter(status__in=Appeal.WAITING_STATUSES).count(),
        "appeals_overdue": appeals.overdue().count(),
        "follow_ups_open": VisitLog.objects.for_user(user)
        .filter(follow_up_needed=True, follow_up_done_on__isnull=True)
        .count(),
        "stations_stale": stations_needing_content(user).count(),
    }


def appeals_due_for_anonymising(cutoff):
    """Appeals closed before `cutoff` whose resident data are still there."""
    return Appeal.objects.filter(status=Appeal.Status.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True)
