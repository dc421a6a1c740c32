"""The micro-wish state machine: every allowed step, every refused one, and the race."""

import threading

import pytest
from django.db import connection

from wishes import services
from wishes.models import CODE_ALPHABET, MicroWish, WishEvent
from wishes.services import WishError

S = MicroWish.Status


def test_full_life_records_every_step(make_wish, staff_a, member_user_a):
    wish = make_wish("fulfilled", staff=staff_a, claimer=member_user_a)
    assert wish.status == S.FULFILLED
    assert wish.claimed_by_member.user == member_user_a
    assert wish.thank_you_note == "谢谢！"
    steps = list(wish.events.values_list("from_status", "to_status", "actor__username", "by_resident"))
    assert steps == [
        ("", "submitted", None, True),
        ("submitted", "open", "staff_a", False),
        ("open", "claimed", "member_a", False),
        ("claimed", "delivered", "member_a", False),
        ("delivered", "fulfilled", None, True),
    ]
    assert wish.published_at <= wish.claimed_at <= wish.delivered_at <= wish.fulfilled_at


def test_approve_can_correct_category_and_place(make_wish, staff_a, cell_a2):
    wish = make_wish()
    wish = services.wish_approve(wish=wish, by=staff_a, category=MicroWish.Category.REPAIR, grid_cell=cell_a2)
    assert (wish.status, wish.category, wish.grid_cell) == (S.OPEN, "repair", cell_a2)


def test_reject_needs_a_reason_and_keeps_it(make_wish, staff_a):
    wish = make_wish()
    with pytest.raises(WishError):
        services.wish_reject(wish=wish, by=staff_a, reason="  ")
    wish = services.wish_reject(wish=wish, by=staff_a, reason="请联系民政窗口")
    assert wish.status == S.REJECTED and wish.reject_reason == "请联系民政窗口"


def test_liaison_claims_for_the_unit(make_wish, staff_a, liaison_a, unit_a):
    wish = make_wish("open", staff=staff_a)
    wish = services.wish_claim(wish=wish, by=liaison_a)
    assert wish.claimed_by_unit == unit_a and wish.claimed_by_member is None
    assert services.is_holder(wish, liaison_a)


def test_cancel_claim_returns_the_wish_to_open(make_wish, staff_a, member_user_a):
    wish = make_wish("claimed", staff=staff_a, claimer=member_user_a)
    with pytest.raises(WishError):
        services.wish_cancel_claim(wish=wish, by=member_user_a, reason="")
    wish = services.wish_cancel_claim(wish=wish, by=member_user_a, reason="出差")
    assert wish.status == S.OPEN and wish.holder is None and wish.claimed_at is None
    assert wish.events.last().note == "出差"


@pytest.mark.parametrize(
    "status,step",
    [
        ("open", "approve"),
        ("claimed", "approve"),
        ("open", "reject"),
        ("submitted", "claim"),
        ("claimed", "claim"),
        ("fulfilled", "claim"),
        ("rejected", "claim"),
        ("open", "deliver"),
        ("submitted", "deliver"),
        ("delivered", "deliver"),
        ("open", "cancel"),
        ("delivered", "cancel"),
        ("claimed", "confirm"),
        ("fulfilled", "confirm"),
        ("open", "confirm"),
    ],
)
def test_illegal_transitions_are_refused(make_wish, staff_a, member_user_a, status, step):
    wish = make_wish(status, staff=staff_a, claimer=member_user_a)
    before = WishEvent.objects.count()
    calls = {
        "approve": lambda: services.wish_approve(wish=wish, by=staff_a),
        "reject": lambda: services.wish_reject(wish=wish, by=staff_a, reason="x"),
        "claim": lambda: services.wish_claim(wish=wish, by=member_user_a),
        "deliver": lambda: services.wish_deliver(wish=wish, by=staff_a),
        "cancel": lambda: services.wish_cancel_claim(wish=wish, by=staff_a, reason="x"),
        "confirm": lambda: services.wish_confirm(wish=wish),
    }
    with pytest.raises(WishError):
        calls[step]()
    wish.refresh_from_db()
    assert wish.status == status
    assert WishEvent.objects.count() == before


def test_only_the_holder_or_staff_deliver_and_cancel(make_wish, staff_a, staff_b, member_user_a, liaison_a):
    wish = make_wish("claimed", staff=staff_a, claimer=member_user_a)
    for outsider in (liaison_a, staff_b):
        with pytest.raises(WishError):
            services.wish_deliver(wish=wish, by=outsider)
        with pytest.raises(WishError):
            services.wish_cancel_claim(wish=wish, by=outsider, reason="x")
    assert services.wish_deliver(wish=wish, by=staff_a, note="上门送达").status == S.DELIVERED


def test_only_the_resident_or_own_staff_confirm(make_wish, staff_a, staff_b, member_user_a):
    wish = make_wish("delivered", staff=staff_a, claimer=member_user_a)
    for outsider in (member_user_a, staff_b):
        with pytest.raises(WishError):
            services.wish_confirm(wish=wish, by=outsider)
    wish = services.wish_confirm(wish=wish, by=staff_a)
    assert wish.status == S.FULFILLED and wish.events.last().actor == staff_a


def test_only_members_and_liaisons_claim(make_wish, staff_a, grid_worker_a):
    wish = make_wish("open", staff=staff_a)
    for user in (staff_a, grid_worker_a):
        with pytest.raises(WishError):
            services.wish_claim(wish=wish, by=user)


def test_claim_across_communities_is_refused(make_wish, staff_a, community_b, member_user_a):
    wish = make_wish("open", staff=staff_a, community=community_b)
    with pytest.raises(WishError):
        services.wish_claim(wish=wish, by=member_user_a)


def test_tracking_codes_are_long_random_and_unique(make_wish):
    codes = {make_wish(wisher_phone=f"1370000{i:04d}").code for i in range(30)}
    assert len(codes) == 30
    assert all(len(code) >= 10 and set(code) <= set(CODE_ALPHABET) for code in codes)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_claims_leave_exactly_one_holder(make_wish, staff_a, member_user_a, liaison_a, community_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    from grid.models import PartyMember
    from portal.models import User

    # Four claimers: the member, the liaison and two more members.
    claimers = [member_user_a, liaison_a]
    for i in range(2):
        user = User.objects.create_user(f"m{i}", role=User.Role.MEMBER, community=community_a)
        PartyMember.objects.create(community=community_a, name=f"党员{i}", gender="male", phone=f"1350000000{i}", user=user, employer_name="某单位")
        claimers.append(user)
    wish = make_wish("open", staff=staff_a)
    barrier = threading.Barrier(len(claimers))
    outcomes = []

    def claim(user):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.wish_claim(wish=MicroWish.objects.get(pk=wish.pk), by=user)
            outcomes.append("won")
        except WishError:
            outcomes.append("lost")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=claim, args=(user,)) for user in claimers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lost"] * (len(claimers) - 1) + ["won"]
    wish.refresh_from_db()
    assert wish.status == S.CLAIMED and wish.holder is not None
    assert wish.events.filter(to_status=S.CLAIMED).count() == 1
