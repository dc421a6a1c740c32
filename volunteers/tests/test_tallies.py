"""Each event's tally (volunteers.tallies) equals a count of its participations after
every way a participation changes: the services, a save or delete in admin, a move to
another event, bulk writes followed by a recount, and simultaneous check-ins on
PostgreSQL. The period's figures read the tallies (volunteers.selectors)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from portal.models import User
from volunteers import selectors, services, tallies
from volunteers.models import EventTally, Participation, VolunteerEvent
from volunteers.tests.test_services import BEFORE, NOON, H, another_member, run_at_once


def tally(event) -> tuple:
    row = EventTally.objects.filter(event=event).first()
    return (row.attendances, row.approved_hours) if row else (0, Decimal(0))


def counted(event) -> tuple:
    row = Participation.objects.filter(event=event).aggregate(
        attendances=Count("pk", filter=Q(checked_in_at__isnull=False)),
        hours=Sum("hours", filter=Q(hours_approved_at__isnull=False), default=Decimal(0)),
    )
    return row["attendances"], row["hours"]


@pytest.fixture
def event(make_event):
    return make_event(starts_at=NOON, hours=2)


def test_every_service_step_leaves_the_tally_equal_to_the_count(event, member_a, community_a, staff_a):
    other = another_member(community_a, 3)
    services.event_sign_up(event=event, member=member_a, now=BEFORE)
    assert tally(event) == counted(event) == (0, 0)
    services.event_withdraw(event=event, member=member_a, now=BEFORE)
    assert tally(event) == counted(event) == (0, 0)

    # A check-in with the code is an UPDATE that sends no signal: the service recounts.
    services.event_check_in(event=event, member=member_a, code=event.checkin_code, now=NOON)
    assert tally(event) == counted(event) == (1, 0)
    participation = services.attendance_mark(event=event, member=other, attended=True, now=NOON)
    assert tally(event) == counted(event) == (2, 0)
    services.hours_set(participation=participation, hours=Decimal("1.5"), by=staff_a)
    assert tally(event) == (2, 0)  # not approved yet

    assert services.hours_approve(participations=event.participations.all(), by=staff_a, now=NOON + 3 * H) == 2
    assert tally(event) == counted(event) == (2, Decimal("3.5"))  # 2.0 default + 1.5
    services.hours_unapprove(participation=Participation.objects.get(event=event, member=other), by=staff_a)
    assert tally(event) == counted(event) == (2, Decimal("2.0"))
    services.attendance_mark(event=event, member=other, attended=False, now=NOON)
    assert tally(event) == counted(event) == (1, Decimal("2.0"))


def test_a_save_a_move_and_a_delete_are_recounted(make_event, member_a, community_a):
    first, second = make_event(starts_at=NOON), make_event(starts_at=NOON + 24 * H)
    participation = Participation.objects.create(
        event=first, member=member_a, checked_in_at=NOON, hours=Decimal(2), hours_approved_at=NOON + 3 * H
    )
    assert tally(first) == (1, Decimal(2))

    participation = Participation.objects.get(pk=participation.pk)  # as admin loads it
    participation.event = second
    participation.save()
    assert tally(first) == counted(first) == (0, 0)
    assert tally(second) == counted(second) == (1, Decimal(2))

    participation.delete()
    assert tally(second) == counted(second) == (0, 0)


def test_deleting_an_event_with_participations_deletes_its_tally(event, member_a):
    Participation.objects.create(event=event, member=member_a, checked_in_at=NOON)
    assert EventTally.objects.filter(event=event).exists()
    event.delete()  # the participations' delete signals must not recreate the tally
    assert not EventTally.objects.exists()
    assert not VolunteerEvent.objects.filter(pk=event.pk).exists()


def test_bulk_writes_are_right_once_recounted(make_event, member_a, community_a):
    events = [make_event(starts_at=NOON + day * 24 * H) for day in range(3)]
    members = [member_a, another_member(community_a, 4), another_member(community_a, 5)]
    Participation.objects.bulk_create(
        Participation(event=event, member=member, checked_in_at=NOON, hours=Decimal("1.5"), hours_approved_at=NOON + 3 * H)
        for event in events[:2]
        for member in members
    )
    assert tally(events[0]) == (0, 0)  # no signals for a bulk insert
    tallies.recount([event.pk for event in events] + [None])
    assert [tally(event) for event in events] == [(3, Decimal("4.5")), (3, Decimal("4.5")), (0, 0)]
    assert [tally(event) for event in events] == [counted(event) for event in events]


def test_the_period_figures_read_the_tallies(make_event, member_a, community_a, staff_a):
    day = timezone.localdate() - datetime.timedelta(days=2)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    held = make_event(starts_at=starts, status=VolunteerEvent.Status.DONE)
    planned = make_event(starts_at=starts + H * 3)
    for event in (held, planned):
        Participation.objects.create(
            event=event, member=member_a, checked_in_at=starts, hours=Decimal("2.5"), hours_approved_at=starts + 3 * H
        )
    figures = selectors.volunteer_figures(day, day, community_ids=[community_a.pk])
    assert (figures["attendances"], figures["volunteer_hours"]) == (1, Decimal("2.5"))  # held events only
    by_community = selectors.volunteer_figures(day, day, community_ids=[community_a.pk], by_community=True)
    assert by_community[community_a.pk]["volunteer_hours"] == Decimal("2.5")


def test_the_admin_lists_tallies_and_changes_none(client, event, member_a):
    Participation.objects.create(event=event, member=member_a, checked_in_at=NOON)
    superuser = make_user("root", User.Role.AREA_ADMIN, is_staff=True, is_superuser=True)
    client.force_login(superuser)
    page = client.get(reverse("admin:volunteers_eventtally_changelist"), {"q": event.title})
    assert page.status_code == 200 and event.title in page.content.decode()
    assert client.get(reverse("admin:volunteers_eventtally_change", args=[event.pk])).status_code in (200, 403)
    assert client.post(reverse("admin:volunteers_eventtally_change", args=[event.pk]), {"attendances": 9}).status_code == 403
    assert tally(event) == (1, 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_check_ins_are_all_counted(make_event, community_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    event = make_event(starts_at=timezone.now() - H)
    members = [another_member(community_a, 10 + n) for n in range(4)]

    def check_in(member):
        services.event_check_in(event=VolunteerEvent.objects.get(pk=event.pk), member=member, code=event.checkin_code)

    assert run_at_once(check_in, [(member,) for member in members]) == ["ok"] * 4
    assert tally(event) == counted(event) == (4, 0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_approvals_at_one_event_are_all_counted(make_event, community_a, staff_a):
    """Approvals lock the participations, not the event: the recount's own lock on the
    event makes the later one count the earlier one's hours."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    start = timezone.now() - 3 * H
    event = make_event(starts_at=start)
    rows = [
        Participation.objects.create(event=event, member=another_member(community_a, 20 + n), checked_in_at=start, hours=Decimal(2))
        for n in range(4)
    ]

    def approve(participation):
        services.hours_approve(participations=Participation.objects.filter(pk=participation.pk), by=staff_a)

    assert run_at_once(approve, [(row,) for row in rows]) == ["ok"] * 4
    assert tally(event) == counted(event) == (4, Decimal(8))


def test_recount_tallies_finds_and_mends_a_stale_tally(event, member_a):
    from django.core.management import CommandError, call_command

    Participation.objects.create(event=event, member=member_a, checked_in_at=NOON)
    out = io.StringIO()
    call_command("recount_tallies", "--check", stdout=out)
    assert "matches" in out.getvalue()

    EventTally.objects.filter(event=event).update(attendances=7)  # written behind the signals' back
    with pytest.raises(CommandError, match=f"1 event tallies differ .* events {event.pk}"):
        call_command("recount_tallies", "--check")
    assert tally(event) == (7, 0)  # --check changes nothing
    call_command("recount_tallies", stdout=out)
    assert tally(event) == counted(event) == (1, 0)
