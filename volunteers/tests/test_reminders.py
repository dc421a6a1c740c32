"""Reminders of tomorrow's events (volunteers.reminders), once per event and member."""

import datetime

from django.utils import timezone

from conftest import make_user
from notices.models import Notification
from portal.models import User
from volunteers import services
from volunteers.reminders import remind_events
from volunteers.tests.test_services import another_member

H = datetime.timedelta(hours=1)


def test_members_signed_up_for_tomorrow_are_reminded_once(make_event, community_a, member_a):
    now = timezone.now()
    tomorrow = make_event(starts_at=now + 20 * H, title="明日义诊")
    later = make_event(starts_at=now + 30 * H)
    cancelled = make_event(starts_at=now + 10 * H)
    account = make_user("m2", User.Role.MEMBER, community_a)
    with_account = another_member(community_a, 2, user=account)
    gone = another_member(community_a, 3)
    for member in (member_a, with_account, gone):
        services.event_sign_up(event=tomorrow, member=member, now=now - H)
    services.event_withdraw(event=tomorrow, member=gone, now=now - H)
    services.event_sign_up(event=later, member=member_a, now=now - H)
    services.event_sign_up(event=cancelled, member=member_a, now=now - 2 * H)
    services.event_cancel(event=cancelled)

    assert remind_events(now=now) == 2
    sms = Notification.objects.filter(event="event.reminder", channel="sms")
    assert sorted(sms.values_list("to", flat=True)) == sorted([member_a.phone, with_account.phone])
    assert all("明日义诊" in text and "签到" in text for text in sms.values_list("text", flat=True))
    (inbox,) = Notification.objects.filter(event="event.reminder", channel="inbox")
    assert inbox.user == account
    assert remind_events(now=now + H) == 0  # the next hourly run adds nothing
    assert remind_events(now=now + 7 * H) == 1  # the later event is now within 24 hours
