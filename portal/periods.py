"""Shared pieces of the figures: periods of whole days and community scoping.

Every figure counts a period [start, end] of whole days, both included, in the
portal's time zone (Asia/Shanghai): an event at 23:30 on `end` counts, one at
00:10 the day after does not.
"""

import datetime

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone


def day_bounds(start: datetime.date, end: datetime.date):
    """[start 00:00, end+1 00:00) in the portal's time zone."""
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return low, high


def in_communities(queryset, community_ids, field="community_id"):
    """Limit to some communities; `None` means all of them (an area admin's view)."""
    return queryset if community_ids is None else queryset.filter(**{f"{field}__in": community_ids})


def days(field: str):
    """`field` (a number of days) as a duration, computed by the database. The cast
    keeps SQLite from refusing "small integer * interval"."""
    return ExpressionWrapper(
        Cast(F(field), IntegerField()) * Value(datetime.timedelta(days=1)), output_field=DurationField()
    )


class DaysBefore(Func):
    """`moment` minus the whole number of days held in `field` (e.g. a community's
    claim days), for comparing a timestamp with a per-row deadline. Django's date
    arithmetic on SQLite calls a Python function for every row: 0.24 s to count a
    county's 20,000 open wishes. SQLite's own strftime() does it in C, in the text
    form Django stores timestamps in (compared as text, to the millisecond)."""

    output_field = DateTimeField()

    def __init__(self, moment, field):
        super().__init__(Value(moment, output_field=DateTimeField()), Cast(F(field), IntegerField()))

    def as_sql(self, compiler, connection, **extra_context):
        moment, number = self.get_source_expressions()
        return compiler.compile(ExpressionWrapper(moment - number * Value(datetime.timedelta(days=1)), DateTimeField()))

    def as_sqlite(self, compiler, connection, **extra_context):
        (moment_sql, moment_params), (number_sql, number_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = f"strftime('%%Y-%%m-%%d %%H:%%M:%%f', {moment_sql}, '-' || {number_sql} || ' days')"
        return sql, (*moment_params, *number_params)


def aggregate(queryset, group_by=None, **expressions):
    """`queryset.aggregate(**expressions)`; with `group_by` (a field such as
    "community_id"), one GROUP BY query giving {group value: {name: value}}, the
    same expressions per group. Groups without rows are absent."""
    if group_by is None:
        return queryset.aggregate(**expressions)
    return {row.pop(group_by): row for row in queryset.order_by().values(group_by).annotate(**expressions)}


def merge_groups(*groups: dict) -> dict:
    """{group: {...}} dicts from several grouped aggregates, merged per group."""
    merged: dict = {}
    for group in groups:
        for key, values in group.items():
            merged.setdefault(key, {}).update(values)
    return merged


def per_row(queryset, field, value=None, output_field=None):
    """`value` (a count by default) of the `queryset` rows whose `field` is the outer row,
    as a correlated subquery, for annotating a list. Unlike a join with COUNT(DISTINCT ...),
    it does not multiply the rows of several relations (members x events x wishes of each
    grid cell), and the database computes it only for the rows of the page once it has
    walked the ordering's index (a join must group every row first)."""
    rows = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(value=value or Count("pk"))
    output_field = output_field or IntegerField()
    return Coalesce(Subquery(rows.values("value"), output_field=output_field), Value(0), output_field=output_field)
