"""Reminders of a claimed wish's delivery deadline (wishes.reminders)."""

import datetime

from notices.models import Notification
from wishes.models import MicroWish
from wishes.reminders import remind_deadlines

DAY = datetime.timedelta(days=1)


def test_the_holder_is_reminded_once_a_day_before_the_deadline(make_wish, staff_a, member_user_a, member_a, community_a):
    wish = make_wish("claimed", staff=staff_a, claimer=member_user_a)
    days = community_a.wish_delivery_days
    deadline = wish.claimed_at + datetime.timedelta(days=days)
    assert remind_deadlines(now=deadline - 2 * DAY) == 0  # not yet
    assert remind_deadlines(now=deadline - DAY / 2) == 1
    (inbox,) = Notification.objects.filter(event="wish.deadline", channel="inbox")
    assert inbox.user == member_user_a and "给孙子买一个书包" in inbox.text
    assert Notification.objects.get(event="wish.deadline", channel="sms").to == member_a.phone
    assert remind_deadlines(now=deadline - DAY / 4) == 0  # once
    assert remind_deadlines(now=deadline + DAY) == 0  # overdue: the office's digest says it


def test_a_unit_holder_reminds_its_liaisons(make_wish, staff_a, liaison_a, community_a):
    wish = make_wish("claimed", staff=staff_a, claimer=liaison_a)
    deadline = wish.claimed_at + datetime.timedelta(days=community_a.wish_delivery_days)
    assert remind_deadlines(now=deadline - DAY / 2) == 1
    assert Notification.objects.get(event="wish.deadline").user == liaison_a
    assert not Notification.objects.filter(event="wish.deadline", channel="sms").exists()  # a unit has no member's phone


def test_a_delivered_wish_is_not_reminded(make_wish, staff_a, member_user_a, community_a):
    wish = make_wish("delivered", staff=staff_a, claimer=member_user_a)
    deadline = MicroWish.objects.get(pk=wish.pk).claimed_at + datetime.timedelta(days=community_a.wish_delivery_days)
    assert remind_deadlines(now=deadline - DAY / 2) == 0
