"""The volunteer-hours certificate (志愿服务时长证明): a member's approved hours of held
events in a period, for staff to print and for the member themself."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from volunteers.models import Participation, VolunteerEvent


def attended(make_event, member, day, hours, *, approved=True, status=VolunteerEvent.Status.DONE, title="义诊"):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    event = make_event(starts_at=start, status=status, title=title)
    return Participation.objects.create(
        event=event, member=member, checked_in_at=start, hours=Decimal(hours), hours_approved_at=start if approved else None,
    )


def test_staff_print_a_members_hours_for_a_period(client, make_event, member_a, staff_a):
    attended(make_event, member_a, datetime.date(2023, 3, 1), "2.5", title="政策宣讲")
    attended(make_event, member_a, datetime.date(2023, 6, 1), "1.5", title="楼道清扫")
    attended(make_event, member_a, datetime.date(2023, 7, 1), "3.0", approved=False)  # not approved: not certified
    attended(make_event, member_a, datetime.date(2024, 1, 5), "4.0")  # another year
    client.force_login(staff_a)
    page = client.get(reverse("volunteers:member_certificate", args=[member_a.pk]), {"from": "2023-01-01", "to": "2023-12-31"})
    assert page.status_code == 200
    assert [row.event.title for row in page.context["rows"]] == ["政策宣讲", "楼道清扫"] and page.context["total"] == Decimal("4.0")
    text = page.content.decode()
    assert member_a.name in text and "4.0" in text and "data-print" in text
    member_page = client.get(reverse("grid:member_detail", args=[member_a.pk])).content.decode()
    assert reverse("volunteers:member_certificate", args=[member_a.pk]) in member_page


def test_a_member_opens_their_own_and_a_bad_date_is_refused_kindly(client, make_event, member_a, member_user_a):
    attended(make_event, member_a, timezone.localdate() - datetime.timedelta(days=3), "2.0")
    client.force_login(member_user_a)
    page = client.get(reverse("volunteers:my_certificate"))
    assert page.status_code == 200 and page.context["total"] == Decimal("2.0") and page.context["member"] == member_a
    bad = client.get(reverse("volunteers:my_certificate"), {"from": "1800-01-01", "to": "2023-13-40"})
    assert bad.status_code == 200 and bad.context["period"].error


def test_another_communitys_member_is_404(client, member_b, staff_a):
    client.force_login(staff_a)
    assert client.get(reverse("volunteers:member_certificate", args=[member_b.pk])).status_code == 404
