"""The days a visitor may ask for: in a list's filter, a report's period, the report command.

Python's dates run from 0001-01-01 to 9999-12-31, but the portal cannot count with
either end: a period of whole days runs from midnight of its first day to midnight
after its last, in the portal's time zone (portal.periods.day_bounds). The day after
9999-12-31 does not exist, and 0001-01-01 00:00 in Asia/Shanghai is earlier than the
first moment in UTC that Python (and the database) can hold. Every day from EARLIEST
to LATEST is safe, and the span covers any record the portal keeps or plans.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)


def in_range(day: datetime.date) -> bool:
    return EARLIEST <= day <= LATEST


def validate_day(day: datetime.date):
    """Validator of a date field (portal.filters.DayFilter, the models' date fields): a day
    the portal can count with."""
    if not in_range(day):
        raise _out_of_range()


def validate_moment(moment: datetime.datetime):
    """Validator of the models' date-and-time fields: a moment on such a day (a form's
    0001-01-01 00:00 in Asia/Shanghai cannot even be stored in UTC)."""
    if not in_range(moment.date()):
        raise _out_of_range()


def _out_of_range() -> ValidationError:
    return ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": f"{EARLIEST:%Y-%m-%d}", "latest": f"{LATEST:%Y-%m-%d}"},
        )
