"""The office's morning digest (daily, 08:00): to each community's staff, what is overdue;
and the weekly summary (Mondays) to each co-building unit's liaisons."""

import datetime

from django.conf import settings
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grid.selectors_work import grid_work_todos
from notices.models import Notification
from notices.services import notify
from portal.models import User
from portal.periods import day_bounds
from volunteers.models import Participation, SpecialGroupCase
from wishes.models import MicroWish
from wishes.selectors import fulfilled_between, wish_todos


def send_daily_digest(today=None) -> int:
    """An inbox message (and an e-mail, where the account has an address) to every active
    staff member whose community has overdue wishes or appeals or open special-group
    cases; nothing to those with nothing waiting. Once a day per person."""
    today = today or timezone.localdate()
    staff = User.objects.filter(role=User.Role.STAFF, is_active=True, community__isnull=False).select_related("community")
    sent, by_community = 0, {}
    for user in staff:
        if user.community_id not in by_community:  # staff of one community see the same counts: once each
            wishes, grid = wish_todos(user), grid_work_todos(user)
            cases = SpecialGroupCase.objects.filter(community_id=user.community_id).exclude(status=SpecialGroupCase.Status.SOLVED)
            by_community[user.community_id] = {"wishes": wishes["overdue"], "appeals": grid["appeals_overdue"], "cases": cases.count()}
        counts = by_community[user.community_id]
        if not any(counts.values()):
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Waiting in %(community)s on %(day)s") % {"community": user.community.name, "day": today.isoformat()}
            text = _("Overdue micro-wishes: %(wishes)s; overdue appeals: %(appeals)s; special-group cases not yet solved: %(cases)s.") % counts
        common = {
            "event": "office.digest", "key": f"digest:{today.isoformat()}:{user.pk}", "template": "daily_digest",
            "text": text, "subject": subject, "community_id": user.community_id, "params": counts,
            "link": reverse("office:dashboard"),
        }
        sent += notify(channel=Notification.Channel.INBOX, user=user, **common) is not None
        if user.email:
            notify(channel=Notification.Channel.EMAIL, to=user.email, user=user, **common)
    return sent


def send_weekly_unit_summaries(today=None) -> int:
    """Mondays: each unit liaison's inbox (and e-mail) gets the past week of the unit's
    members and the unit itself: attendances, approved hours, wishes fulfilled."""
    today = today or timezone.localdate()
    start, end = today - datetime.timedelta(days=7), today - datetime.timedelta(days=1)
    low, high = day_bounds(start, end)
    year, week, _weekday = today.isocalendar()
    liaisons = User.objects.filter(role=User.Role.LIAISON, is_active=True, unit__isnull=False).select_related("unit")
    sent, by_unit = 0, {}
    for user in liaisons:
        unit = user.unit
        if unit.pk not in by_unit:  # a unit's liaisons get the same figures: counted once
            by_unit[unit.pk] = _unit_week(unit, start, end, low, high)
        counts = by_unit[unit.pk]
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("%(unit)s: the week of %(start)s to %(end)s") % {"unit": unit.name, "start": start.isoformat(), "end": end.isoformat()}
            text = _("Your members attended %(attendances)s volunteer events and had %(hours)s hours approved; %(wishes)s micro-wishes came true with your unit's help.") % counts
        common = {
            "event": "unit.weekly", "key": f"unit-week:{year}-{week}:{user.pk}", "template": "unit_weekly", "text": text,
            "subject": subject, "community_id": unit.community_id, "params": counts,
            "link": reverse("grid:unit_detail", args=[unit.pk]),
        }
        sent += notify(channel=Notification.Channel.INBOX, user=user, **common) is not None
        if user.email:
            notify(channel=Notification.Channel.EMAIL, to=user.email, user=user, **common)
    return sent


def _unit_week(unit, start, end, low, high) -> dict:
    """A unit's week: its members' attendances and approved hours, wishes fulfilled by it or them."""
    attended = Participation.objects.filter(member__employer_unit=unit, checked_in_at__gte=low, checked_in_at__lt=high)
    hours = Participation.objects.filter(member__employer_unit=unit, hours_approved_at__gte=low, hours_approved_at__lt=high)
    wishes = fulfilled_between(MicroWish.objects.filter(Q(claimed_by_unit=unit) | Q(claimed_by_member__employer_unit=unit)), start, end)
    return {
        "attendances": attended.count(),
        "hours": float(hours.aggregate(total=Sum("hours", default=0))["total"]),
        "wishes": wishes.count(),
    }
