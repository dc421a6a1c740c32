"""Every rule of volunteers.services, and the races on PostgreSQL.

Services get an explicit `now=` instead of a frozen clock: events start at
NOON (a fixed moment), and each test says what time it is.
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation

from conftest import make_user
from grid.models import PartyMember
from portal.models import User
from volunteers import selectors, services
from volunteers.models import (
    Participation,
    PointsEntry,
    PointsRule,
    SpecialGroup,
    SpecialGroupCase,
    VolunteerEvent,
)
from volunteers.services import VolunteerError
from wishes import services as wish_services
from wishes.models import MicroWish

E = VolunteerEvent.Status
NOON = timezone.make_aware(datetime.datetime(2031, 5, 10, 12, 0))
H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)
BEFORE = NOON - 24 * H  # the day before: sign-up is open


@pytest.fixture(autouse=True)
def english():
    """Refusals in English, whatever the translations say (overrides the page-cookie fixture)."""
    with translation.override("en"):
        yield


def another_member(community, n=1, user=None):
    return PartyMember.objects.create(
        community=community, name=f"党员{n}", gender=PartyMember.Gender.FEMALE, phone=f"1380000{n:04d}", user=user
    )


@pytest.fixture
def event(make_event):
    return make_event(starts_at=NOON, hours=2)


def messages_of(error):
    return " ".join(error.value.messages)


# Sign-up ------------------------------------------------------------------------------------


def test_sign_up_records_the_time(event, member_a):
    participation = services.event_sign_up(event=event, member=member_a, now=BEFORE)
    assert participation.signed_up_at == BEFORE and participation.withdrawn_at is None
    assert event.participations.active().count() == 1


def test_signing_up_twice_is_refused(event, member_a):
    services.event_sign_up(event=event, member=member_a, now=BEFORE)
    with pytest.raises(VolunteerError) as error:
        services.event_sign_up(event=event, member=member_a, now=BEFORE)
    assert "already signed up" in messages_of(error)
    assert Participation.objects.count() == 1


def test_a_full_event_refuses_more(make_event, member_a, community_a):
    event = make_event(starts_at=NOON, capacity=1)
    services.event_sign_up(event=event, member=another_member(community_a), now=BEFORE)
    with pytest.raises(VolunteerError) as error:
        services.event_sign_up(event=event, member=member_a, now=BEFORE)
    assert "full" in messages_of(error)
    assert not Participation.objects.filter(member=member_a).exists()


def test_a_withdrawn_place_is_free_again(make_event, member_a, community_a):
    event = make_event(starts_at=NOON, capacity=1)
    other = another_member(community_a)
    services.event_sign_up(event=event, member=other, now=BEFORE)
    services.event_withdraw(event=event, member=other, now=BEFORE)
    services.event_sign_up(event=event, member=member_a, now=BEFORE)
    assert event.participations.active().get().member == member_a


def test_a_clash_with_another_sign_up_is_refused(make_event, member_a):
    first = make_event(starts_at=NOON, hours=2, title="义剪进楼院")
    overlapping = make_event(starts_at=NOON + H, hours=2)
    services.event_sign_up(event=first, member=member_a, now=BEFORE)
    with pytest.raises(VolunteerError) as error:
        services.event_sign_up(event=overlapping, member=member_a, now=BEFORE)
    assert "义剪进楼院" in messages_of(error)


def test_adjacent_events_do_not_clash(make_event, member_a):
    first = make_event(starts_at=NOON, hours=2)
    services.event_sign_up(event=first, member=member_a, now=BEFORE)
    services.event_sign_up(event=make_event(starts_at=NOON + 2 * H, hours=1), member=member_a, now=BEFORE)
    services.event_sign_up(event=make_event(starts_at=NOON - H, hours=1), member=member_a, now=BEFORE)
    assert Participation.objects.filter(member=member_a).active().count() == 3


def test_a_cancelled_or_withdrawn_event_does_not_clash(make_event, member_a):
    cancelled = make_event(starts_at=NOON, hours=2)
    withdrawn = make_event(starts_at=NOON, hours=2)
    services.event_sign_up(event=cancelled, member=member_a, now=BEFORE)
    services.event_cancel(event=cancelled)
    services.event_sign_up(event=withdrawn, member=member_a, now=BEFORE)
    services.event_withdraw(event=withdrawn, member=member_a, now=BEFORE)
    services.event_sign_up(event=make_event(starts_at=NOON + H), member=member_a, now=BEFORE)


def test_sign_up_after_the_start_is_refused(event, member_a):
    with pytest.raises(VolunteerError) as error:
        services.event_sign_up(event=event, member=member_a, now=NOON)
    assert "closed" in messages_of(error)


@pytest.mark.parametrize("status", [E.CANCELLED, E.DONE])
def test_sign_up_for_a_cancelled_or_held_event_is_refused(make_event, member_a, status):
    with pytest.raises(VolunteerError):
        services.event_sign_up(event=make_event(starts_at=NOON, status=status), member=member_a, now=BEFORE)


def test_sign_up_in_another_community_is_refused(make_event, community_b, member_a):
    event = make_event(community=community_b, starts_at=NOON)
    with pytest.raises(VolunteerError) as error:
        services.event_sign_up(event=event, member=member_a, now=BEFORE)
    assert "another community" in messages_of(error)


# Withdrawing -------------------------------------------------------------------------------------


def test_withdraw_before_the_start_then_sign_up_again(event, member_a):
    services.event_sign_up(event=event, member=member_a, now=BEFORE)
    participation = services.event_withdraw(event=event, member=member_a, now=NOON - M)
    assert participation.withdrawn_at == NOON - M
    assert not event.participations.active().exists()
    participation = services.event_sign_up(event=event, member=member_a, now=NOON - M)
    assert participation.withdrawn_at is None and participation.signed_up_at == NOON - M
    assert Participation.objects.count() == 1


def test_withdraw_after_the_start_is_refused(event, member_a):
    services.event_sign_up(event=event, member=member_a, now=BEFORE)
    with pytest.raises(VolunteerError) as error:
        services.event_withdraw(event=event, member=member_a, now=NOON)
    assert "started" in messages_of(error)
    assert event.participations.active().count() == 1


def test_withdraw_without_sign_up_is_refused(event, member_a):
    with pytest.raises(VolunteerError) as error:
        services.event_withdraw(event=event, member=member_a, now=BEFORE)
    assert "not signed up" in messages_of(error)


# Check-in --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("now", [NOON - 2 * H + M, NOON, NOON + H, NOON + 2 * H + 2 * H - M])
def test_check_in_with_the_right_code_in_the_window(event, member_a, now):
    services.event_sign_up(event=event, member=member_a, now=BEFORE)
    participation = services.event_check_in(event=event, member=member_a, code=event.checkin_code, now=now)
    assert participation.checked_in_at == now
    assert participation.checked_in_by == Participation.CheckInBy.SELF
    assert participation.hours == Decimal("2.0")


def test_check_in_accepts_lowercase_and_spaces(event, member_a):
    code = " ".join(event.checkin_code.lower())
    participation = services.event_check_in(event=event, member=member_a, code=code, now=NOON)
    assert participation.checked_in_at == NOON


def test_check_in_with_a_wrong_code_is_refused(event, member_a):
    wrong = "ZZZZZZ" if event.checkin_code != "ZZZZZZ" else "YYYYYY"
    with pytest.raises(VolunteerError) as error:
        services.event_check_in(event=event, member=member_a, code=wrong, now=NOON)
    assert "code is not right" in messages_of(error)
    assert not Participation.objects.exists()


@pytest.mark.parametrize("now", [NOON - 2 * H - M, NOON + 4 * H + M])
def test_check_in_outside_the_window_is_refused(event, member_a, now):
    with pytest.raises(VolunteerError) as error:
        services.event_check_in(event=event, member=member_a, code=event.checkin_code, now=now)
    assert "2 hours before the start" in messages_of(error)
    assert not Participation.objects.attended().exists()


def test_check_in_once_only(event, member_a):
    services.event_check_in(event=event, member=member_a, code=event.checkin_code, now=NOON)
    with pytest.raises(VolunteerError) as error:
        services.event_check_in(event=event, member=member_a, code=event.checkin_code, now=NOON + M)
    assert "already checked in" in messages_of(error)
    assert Participation.objects.get().checked_in_at == NOON


def test_walk_in_without_sign_up_gets_the_default_hours(make_event, member_a):
    event = make_event(starts_at=NOON, hours=1.5)
    participation = services.event_check_in(event=event, member=member_a, code=event.checkin_code, now=NOON)
    assert participation.signed_up_at is None
    assert participation.hours == Decimal("1.5")


def test_check_in_to_a_cancelled_event_or_another_community_is_refused(make_event, member_a, community_b):
    cancelled = make_event(starts_at=NOON, status=E.CANCELLED)
    with pytest.raises(VolunteerError):
        services.event_check_in(event=cancelled, member=member_a, code=cancelled.checkin_code, now=NOON)
    elsewhere = make_event(community=community_b, starts_at=NOON)
    with pytest.raises(VolunteerError):
        services.event_check_in(event=elsewhere, member=member_a, code=elsewhere.checkin_code, now=NOON)
    assert not Participation.objects.exists()


# Attendance and hours --------------------------------------------------------------------------------


def test_staff_tick_attendance_and_untick_it(event, member_a):
    participation = services.attendance_mark(event=event, member=member_a, attended=True, now=NOON)
    assert participation.checked_in_by == Participation.CheckInBy.STAFF
    assert (participation.checked_in_at, participation.hours) == (NOON, Decimal("2.0"))
    participation = services.attendance_mark(event=event, member=member_a, attended=False, now=NOON)
    assert (participation.checked_in_at, participation.hours, participation.checked_in_by) == (None, None, "")


def test_attendance_cannot_change_after_approval(event, member_a, staff_a):
    participation = services.attendance_mark(event=event, member=member_a, attended=True, now=NOON)
    services.hours_approve(participations=Participation.objects.filter(pk=participation.pk), by=staff_a, now=NOON + 3 * H)
    with pytest.raises(VolunteerError):
        services.attendance_mark(event=event, member=member_a, attended=False, now=NOON)


@pytest.mark.parametrize("hours", ["0", "3.5", "24"])
def test_hours_set_within_bounds(event, member_a, hours):
    participation = services.attendance_mark(event=event, member=member_a, attended=True, now=NOON)
    services.hours_set(participation=participation, hours=hours)
    participation.refresh_from_db()
    assert participation.hours == Decimal(hours)


@pytest.mark.parametrize("hours", ["-0.5", "24.5"])
def test_hours_set_out_of_bounds_is_refused(event, member_a, hours):
    participation = services.attendance_mark(event=event, member=member_a, attended=True, now=NOON)
    with pytest.raises(VolunteerError) as error:
        services.hours_set(participation=participation, hours=hours)
    assert "between 0 and 24" in messages_of(error)


def test_hours_only_for_those_who_attended(event, member_a):
    participation = services.event_sign_up(event=event, member=member_a, now=BEFORE)
    with pytest.raises(VolunteerError) as error:
        services.hours_set(participation=participation, hours=2)
    assert "attended" in messages_of(error)


def test_approving_hours_earns_points_once(event, member_a, community_a, staff_a):
    PointsRule.objects.create(community=community_a, points_per_hour=Decimal("5"))
    participation = services.event_check_in(event=event, member=member_a, code=event.checkin_code, now=NOON)
    services.hours_set(participation=participation, hours="2.5")
    qs = Participation.objects.filter(pk=participation.pk)
    assert services.hours_approve(participations=qs, by=staff_a, now=NOON + 3 * H) == 1
    assert services.hours_approve(participations=qs, by=staff_a, now=NOON + 4 * H) == 0
    entry = PointsEntry.objects.get()
    assert (entry.member, entry.kind, entry.points, entry.participation) == (
        member_a, PointsEntry.Kind.EVENT, Decimal("12.5"), participation
    )
    participation.refresh_from_db()
    assert (participation.hours_approved_at, participation.hours_approved_by) == (NOON + 3 * H, staff_a)


def test_approving_skips_those_who_did_not_attend(event, member_a, staff_a):
    services.event_sign_up(event=event, member=member_a, now=BEFORE)
    assert services.hours_approve(participations=Participation.objects.all(), by=staff_a, now=NOON + 3 * H) == 0
    assert not PointsEntry.objects.exists()


def test_default_rule_is_ten_points_per_hour(event, member_a, staff_a):
    services.event_check_in(event=event, member=member_a, code=event.checkin_code, now=NOON)
    services.hours_approve(participations=Participation.objects.all(), by=staff_a, now=NOON + 3 * H)
    assert PointsEntry.objects.get().points == Decimal("20.0")


def test_unapproving_removes_the_points(event, member_a, staff_a):
    participation = services.event_check_in(event=event, member=member_a, code=event.checkin_code, now=NOON)
    services.hours_approve(participations=Participation.objects.all(), by=staff_a, now=NOON + 3 * H)
    services.hours_unapprove(participation=Participation.objects.get(pk=participation.pk))
    participation.refresh_from_db()
    assert participation.hours_approved_at is None and participation.hours == Decimal("2.0")
    assert not PointsEntry.objects.exists()
    services.hours_set(participation=participation, hours=1)  # editable again


# Points for wishes and adjustments --------------------------------------------------------------------


def fulfilled_wish(community, cell, staff, claimer, confirm=True):
    wish = wish_services.wish_submit(
        wish=MicroWish(
            community=community, grid_cell=cell, category=MicroWish.Category.STUDY, title="给孙子买一个书包",
            wisher_name="王秀英", wisher_phone="13700001111",
        )
    )
    wish = wish_services.wish_approve(wish=wish, by=staff)
    wish = wish_services.wish_claim(wish=wish, by=claimer)
    wish = wish_services.wish_deliver(wish=wish, by=claimer, note="书包已送到")
    if confirm:
        wish = wish_services.wish_confirm(wish=wish, thank_you="谢谢！")
    return wish


def test_confirming_a_wish_gives_the_member_points_once(community_a, cell_a, staff_a, member_user_a, member_a):
    PointsRule.objects.create(community=community_a, points_per_wish=Decimal("15"))
    wish = fulfilled_wish(community_a, cell_a, staff_a, member_user_a)
    entry = PointsEntry.objects.get()
    assert (entry.member, entry.kind, entry.points, entry.wish) == (member_a, PointsEntry.Kind.WISH, Decimal("15"), wish)
    assert services.points_for_wish(wish=wish) == entry  # again: no second entry
    assert PointsEntry.objects.count() == 1


def test_a_wish_fulfilled_by_a_unit_gives_no_member_points(community_a, cell_a, staff_a, liaison_a):
    wish = fulfilled_wish(community_a, cell_a, staff_a, liaison_a)
    assert wish.status == MicroWish.Status.FULFILLED
    assert services.points_for_wish(wish=wish) is None
    assert not PointsEntry.objects.exists()


def test_points_adjust_needs_a_reason(member_a, staff_a):
    with pytest.raises(VolunteerError) as error:
        services.points_adjust(member=member_a, points=-5, reason="  ", by=staff_a)
    assert "reason" in messages_of(error)
    entry = services.points_adjust(member=member_a, points=-5, reason="重复计分", by=staff_a)
    assert (entry.kind, entry.points, entry.reason, entry.community_id) == (
        PointsEntry.Kind.ADJUSTMENT, Decimal("-5"), "重复计分", member_a.community_id
    )


def test_member_service_sums_attendance_hours_and_points(make_event, member_a, staff_a, community_a, cell_a, member_user_a):
    approved = make_event(starts_at=NOON, hours=2)
    pending = make_event(starts_at=NOON + 3 * H, hours=1)
    only_signed_up = make_event(starts_at=NOON + 6 * H, hours=1)
    services.event_check_in(event=approved, member=member_a, code=approved.checkin_code, now=NOON)
    services.hours_approve(participations=Participation.objects.filter(event=approved), by=staff_a, now=NOON + 3 * H)
    services.event_check_in(event=pending, member=member_a, code=pending.checkin_code, now=NOON + 3 * H)
    services.event_sign_up(event=only_signed_up, member=member_a, now=BEFORE)
    fulfilled_wish(community_a, cell_a, staff_a, member_user_a)
    services.points_adjust(member=member_a, points=-3, reason="更正", by=staff_a)
    assert selectors.member_service(member_a) == {
        "events_attended": 2,
        "hours_approved": Decimal("2.0"),
        "hours_pending": Decimal("1.0"),
        "points": Decimal("20") + Decimal("20") - Decimal("3"),
    }


# Events -------------------------------------------------------------------------------------------


def test_cancel_only_a_planned_event(event, make_event):
    assert services.event_cancel(event=event).status == E.CANCELLED
    with pytest.raises(VolunteerError):
        services.event_cancel(event=event)
    with pytest.raises(VolunteerError):
        services.event_cancel(event=make_event(status=E.DONE))


def test_mark_held_keeps_the_summary_and_residents_served(event):
    event = services.event_mark_held(event=event, summary="理发 30 人次", residents_served=30, now=NOON + 3 * H)
    assert (event.status, event.summary, event.residents_served) == (E.DONE, "理发 30 人次", 30)
    event = services.event_mark_held(event=event, now=NOON + 3 * H)  # again: the summary stays
    assert (event.summary, event.residents_served) == ("理发 30 人次", 30)


def test_a_cancelled_event_cannot_be_marked_held(event):
    services.event_cancel(event=event)
    with pytest.raises(VolunteerError):
        services.event_mark_held(event=event, now=NOON + 3 * H)


def test_copy_plans_the_next_event_with_a_new_code(event, staff_a, cell_a):
    event.grid_cell, event.capacity, event.summary = cell_a, 12, "上次的总结"
    event.save()
    next_week = NOON + datetime.timedelta(days=7)
    copy = services.event_copy(event=event, starts_at=next_week, by=staff_a)
    assert copy.pk != event.pk and copy.checkin_code != event.checkin_code
    assert (copy.title, copy.kind, copy.place, copy.grid_cell, copy.capacity) == (
        event.title, event.kind, event.place, cell_a, 12
    )
    assert (copy.starts_at, copy.ends_at, copy.status, copy.summary, copy.created_by) == (
        next_week, next_week + 2 * H, E.PLANNED, "", staff_a
    )


# Special-group cases ------------------------------------------------------------------------------


@pytest.fixture
def case(community_a):
    return SpecialGroupCase.objects.create(
        community=community_a, group=SpecialGroup.ELDERLY_ALONE, resident_name="刘大爷", problem="灯坏了",
        opened_on=datetime.date(2031, 5, 1),
    )


def test_case_dates_follow_the_status(case):
    case = services.case_update(case=case, status="in_progress", today=datetime.date(2031, 5, 2))
    assert (case.started_on, case.solved_on) == (datetime.date(2031, 5, 2), None)
    case = services.case_update(case=case, status="solved", action_taken="换了新灯", today=datetime.date(2031, 5, 3))
    assert (case.status, case.started_on, case.solved_on) == ("solved", datetime.date(2031, 5, 2), datetime.date(2031, 5, 3))
    case = services.case_update(case=case, status="in_progress", today=datetime.date(2031, 5, 4))
    assert (case.started_on, case.solved_on) == (datetime.date(2031, 5, 2), None)


def test_closing_a_case_needs_what_was_done(case):
    with pytest.raises(VolunteerError) as error:
        services.case_update(case=case, status="solved", today=datetime.date(2031, 5, 3))
    assert "what was done" in messages_of(error)
    case.refresh_from_db()
    assert case.status == "open" and case.solved_on is None


def test_case_update_refuses_an_unknown_status(case):
    with pytest.raises(VolunteerError):
        services.case_update(case=case, status="archived")


# Races (PostgreSQL only) -------------------------------------------------------------------------------


def run_at_once(target, args_list):
    """Run target(*args) in threads released together; each thread closes its connection."""
    barrier = threading.Barrier(len(args_list))
    outcomes = []

    def run(*args):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            with translation.override("en"):
                target(*args)
            outcomes.append("ok")
        except VolunteerError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_sign_ups_never_exceed_the_capacity(make_event, community_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    start = timezone.now() + datetime.timedelta(days=2)
    event = make_event(starts_at=start, capacity=2)
    members = [another_member(community_a, n) for n in range(5)]

    def sign_up(member):
        services.event_sign_up(event=VolunteerEvent.objects.get(pk=event.pk), member=member)

    outcomes = run_at_once(sign_up, [(m,) for m in members])
    assert outcomes.count("ok") == 2
    assert [o for o in outcomes if o != "ok"] == ["Sorry, this event is full."] * 3
    assert event.participations.active().count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_check_ins_check_in_once(make_event, community_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    user = make_user("racer", User.Role.MEMBER, community_a)
    member = another_member(community_a, 7, user=user)
    event = make_event(starts_at=timezone.now() - H)

    def check_in():
        services.event_check_in(event=VolunteerEvent.objects.get(pk=event.pk), member=member, code=event.checkin_code)

    outcomes = run_at_once(check_in, [(), (), ()])
    assert outcomes.count("ok") == 1
    assert [o for o in outcomes if o != "ok"] == ["You are already checked in."] * 2
    assert Participation.objects.filter(event=event, member=member).attended().count() == 1


def test_no_attendance_for_cancelled_or_not_yet_started_events(event, member_a):
    with pytest.raises(VolunteerError):
        services.attendance_mark(event=event, member=member_a, attended=True, now=NOON - 3 * H)
    services.event_cancel(event=event)
    with pytest.raises(VolunteerError):
        services.attendance_mark(event=event, member=member_a, attended=True, now=NOON)


def test_hours_of_future_events_are_not_approved(event, member_a, staff_a):
    participation = services.attendance_mark(event=event, member=member_a, attended=True, now=NOON)
    assert services.hours_approve(participations=Participation.objects.filter(pk=participation.pk), by=staff_a, now=NOON - 3 * H) == 0
    assert services.hours_approve(participations=Participation.objects.filter(pk=participation.pk), by=staff_a, now=NOON + 3 * H) == 1


def test_staff_ticking_a_withdrawn_member_clears_the_withdrawal(event, member_a):
    services.event_sign_up(event=event, member=member_a, now=BEFORE)
    services.event_withdraw(event=event, member=member_a, now=BEFORE)
    participation = services.attendance_mark(event=event, member=member_a, attended=True, now=NOON)
    assert participation.withdrawn_at is None and participation.checked_in_at == NOON


def test_an_event_is_held_only_once_started(event):
    with pytest.raises(VolunteerError):
        services.event_mark_held(event=event, now=NOON - H)
