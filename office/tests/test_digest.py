"""The office's morning digest (office.digest)."""

import datetime

from django.utils import timezone

from notices.models import Notification
from office.digest import send_daily_digest
from volunteers.models import SpecialGroupCase


def test_staff_with_something_waiting_get_the_digest_once(staff_a, staff_b, community_a):
    SpecialGroupCase.objects.create(community=community_a, group="elderly_alone", resident_name="张三", problem="买药")
    staff_a.email = "staff@example.org"
    staff_a.save(update_fields=["email"])
    today = timezone.localdate()
    assert send_daily_digest(today) == 1  # staff_b's community has nothing waiting
    inbox = Notification.objects.get(event="office.digest", channel="inbox")
    assert inbox.user == staff_a and "1" in inbox.text and "张三" not in inbox.text
    email = Notification.objects.get(event="office.digest", channel="email")
    assert email.to == "staff@example.org" and community_a.name in email.subject
    assert send_daily_digest(today) == 0  # once a day
    assert send_daily_digest(today + datetime.timedelta(days=1)) == 1


def test_a_liaison_gets_the_units_week(liaison_a, unit_a, member_a, community_a):
    from decimal import Decimal

    from office.digest import send_weekly_unit_summaries
    from volunteers.models import EventKind, Participation, VolunteerEvent

    monday = datetime.date(2031, 5, 12)
    tz = timezone.get_current_timezone()
    held = datetime.datetime(2031, 5, 8, 9, tzinfo=tz)
    event = VolunteerEvent.objects.create(
        community=community_a, title="义诊", starts_at=held, ends_at=held + datetime.timedelta(hours=2), place="中心",
        status="done", kind=EventKind.objects.get_or_create(community=None, code="policy", defaults={"name": "政策宣传"})[0],
    )
    Participation.objects.create(event=event, member=member_a, checked_in_at=held, hours=Decimal("2.0"),
                                 hours_approved_at=held + datetime.timedelta(hours=3))
    assert member_a.employer_unit_id == unit_a.pk
    assert send_weekly_unit_summaries(monday) == 1
    note = Notification.objects.get(event="unit.weekly")
    assert note.user == liaison_a and note.params == {"attendances": 1, "hours": 2.0, "wishes": 0}
    assert "2.0" in note.text and unit_a.name in note.subject
    assert send_weekly_unit_summaries(monday) == 0  # once a week
    assert send_weekly_unit_summaries(monday + datetime.timedelta(days=7)) == 1
    assert Notification.objects.filter(event="unit.weekly").order_by("pk").last().params["attendances"] == 0  # last week had none
