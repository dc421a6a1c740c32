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
