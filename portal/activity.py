"""Records that count while they are active: co-building units, party members,
volunteer teams, stations and micro party schools.

A stock figure for a period (units, members, teams, stations) counts what was
active on the period's last day, so a report for 2023 stays the same when a unit
leaves in 2024. Each such record keeps two dates besides its `is_active` flag:

- the day from which it counts (`active_from_field`: the unit's agreement date,
  the member's registration date, the team's or station's start date; a team or
  station without one, entered before the portal kept it, counts from the start:
  `unknown_start_counts`);
- `inactive_since`, the first day it no longer counts (the unit left the
  co-building, the member moved away, the team was disbanded, the station closed).

`is_active` is today's flag that lists and forms filter on; a database constraint
keeps it in step with `inactive_since` (inactive exactly when the date is set), and
`sync_active_dates()` fills the date in when a form or an import unticks "active".
Reactivating clears the date: the record then counts again from its start, also for
the days it was inactive (one interval per record, not a log of them).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dates import validate_day


def inactive_since_field():
    return models.DateField(
        _("inactive since"),
        null=True,
        blank=True,
        validators=[validate_day],
        help_text=_(
            "The first day it no longer counts. Filled in with today when \"active\" is unticked; "
            "reports for earlier periods still count it."
        ),
    )


def active_dates_constraint(name: str) -> models.CheckConstraint:
    """Inactive exactly when `inactive_since` is set."""
    return models.CheckConstraint(
        condition=Q(is_active=True, inactive_since__isnull=True) | Q(is_active=False, inactive_since__isnull=False),
        name=name,
    )


def not_yet_inactive(day: datetime.date) -> Q:
    return Q(inactive_since__isnull=True) | Q(inactive_since__gt=day)


def active_on(queryset, day: datetime.date):
    """The records of `queryset` that counted on `day`: started by then, not yet inactive."""
    start = queryset.model.active_from_field
    started = Q(**{f"{start}__lte": day})
    if queryset.model.unknown_start_counts:
        started |= Q(**{f"{start}__isnull": True})
    return queryset.filter(started, not_yet_inactive(day))


class CountsWhileActive:
    """Mixin for the models above; each names its `active_from_field`."""

    active_from_field: str
    unknown_start_counts = False

    def sync_active_dates(self, today: datetime.date | None = None) -> None:
        """Make `inactive_since` agree with `is_active`: cleared while active, today
        when the record has just become inactive without a date."""
        if self.is_active:
            self.inactive_since = None
        elif self.inactive_since is None:
            self.inactive_since = today or timezone.localdate()

    def clean(self):
        super().clean()
        self.sync_active_dates()
        if self.inactive_since is None:
            return
        start = getattr(self, self.active_from_field)
        if self.inactive_since > timezone.localdate():
            raise ValidationError(
                {"inactive_since": _("This date is still to come: leave the record active until that day.")}
            )
        if start is not None and self.inactive_since < start:
            raise ValidationError(
                {"inactive_since": _("This is before %(field)s (%(date)s).") % {
                    "field": self._meta.get_field(self.active_from_field).verbose_name,
                    "date": start.isoformat(),
                }}
            )
