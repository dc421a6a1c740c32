"""`wish_figures`: what the community reports for a period (the story's 76 wishers)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from portal.models import User
from wishes.models import MicroWish
from wishes.selectors import wish_figures

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = datetime.date
YEAR_2022 = (D(2022, 1, 1), D(2022, 12, 31))
YEAR_2023 = (D(2023, 1, 1), D(2023, 12, 31))
YEAR_2024 = (D(2024, 1, 1), D(2024, 12, 31))
ZERO = {
    "wishes_submitted": 0,
    "wishes_published": 0,
    "wishes_claimed": 0,
    "wishes_fulfilled": 0,
    "wishers_fulfilled": 0,
}

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=10, minute=0):
    """A moment in Asia/Shanghai, the portal's time zone."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def stamp(wish, **times):
    """Move a wish's timestamps into the past (the services stamp them with now)."""
    MicroWish.objects.filter(pk=wish.pk).update(**times)


def fulfilled_at(wish, moment, steps=("submitted_at", "published_at", "claimed_at", "delivered_at")):
    """Fulfilled at `moment`, each earlier step one day before the next."""
    times = {"fulfilled_at": moment}
    for days, field in enumerate(reversed(steps), start=1):
        times[field] = moment - datetime.timedelta(days=days)
    stamp(wish, **times)


def figures(start_end, wishes=None):
    return wish_figures(MicroWish.objects.all() if wishes is None else wishes, *start_end)


@pytest.fixture
def fulfilled(make_wish, staff_a, member_user_a):
    """`fulfilled(phone, moment)`: a wish of that resident fulfilled at `moment`."""

    def _make(phone, moment, **fields):
        wish = make_wish("fulfilled", staff=staff_a, claimer=member_user_a, wisher_phone=phone, **fields)
        fulfilled_at(wish, moment)
        return wish

    return _make


@pytest.fixture
def liaison_b(community_b, unit_b):
    return User.objects.create_user(
        username="liaison_b", password="Correct-horse-battery-9", role=User.Role.LIAISON,
        community=community_b, unit=unit_b,
    )


def test_nothing_gives_zeros(community_a):
    assert figures(YEAR_2023) == ZERO


def test_each_step_is_counted_by_its_own_timestamp(make_wish, staff_a, member_user_a):
    def wish(status, phone, **times):
        made = make_wish(status, staff=staff_a, claimer=member_user_a, wisher_phone=phone)
        stamp(made, **times)
        return made

    wish(  # the whole life in March 2023
        "fulfilled", "13700000001", submitted_at=at(2023, 3, 1), published_at=at(2023, 3, 2),
        claimed_at=at(2023, 3, 5), delivered_at=at(2023, 3, 10), fulfilled_at=at(2023, 3, 12),
    )
    wish(  # submitted and published in 2022, claimed and fulfilled in 2023
        "fulfilled", "13700000002", submitted_at=at(2022, 12, 20), published_at=at(2022, 12, 22),
        claimed_at=at(2023, 1, 3), delivered_at=at(2023, 1, 10), fulfilled_at=at(2023, 1, 12),
    )
    wish("claimed", "13700000003", submitted_at=at(2023, 11, 1), published_at=at(2023, 11, 2), claimed_at=at(2023, 11, 5))
    wish("open", "13700000004", submitted_at=at(2023, 6, 1), published_at=at(2023, 6, 2))
    wish("submitted", "13700000005", submitted_at=at(2023, 12, 20))
    wish(  # all of it in 2024
        "fulfilled", "13700000006", submitted_at=at(2024, 2, 1), published_at=at(2024, 2, 2),
        claimed_at=at(2024, 2, 3), delivered_at=at(2024, 2, 4), fulfilled_at=at(2024, 2, 5),
    )

    assert figures(YEAR_2023) == {
        "wishes_submitted": 4,
        "wishes_published": 3,
        "wishes_claimed": 3,
        "wishes_fulfilled": 2,
        "wishers_fulfilled": 2,
    }
    assert figures(YEAR_2022) == {**ZERO, "wishes_submitted": 1, "wishes_published": 1}
    assert figures(YEAR_2024) == {
        "wishes_submitted": 1,
        "wishes_published": 1,
        "wishes_claimed": 1,
        "wishes_fulfilled": 1,
        "wishers_fulfilled": 1,
    }
    # Part of a year: 1-5 March 2023, both days included.
    assert figures((D(2023, 3, 1), D(2023, 3, 5))) == {
        **ZERO, "wishes_submitted": 1, "wishes_published": 1, "wishes_claimed": 1,
    }
    # One day.
    assert figures((D(2023, 3, 12), D(2023, 3, 12))) == {**ZERO, "wishes_fulfilled": 1, "wishers_fulfilled": 1}
    # Every time stamp the services gave (now) was moved: nothing today.
    today = timezone.localdate()
    assert figures((today, today)) == ZERO


def test_a_wisher_with_two_fulfilled_wishes_counts_once(fulfilled):
    fulfilled("13700001111", at(2023, 4, 1), title="血压计")
    fulfilled("13700001111", at(2023, 9, 1), title="冬天的棉衣")
    fulfilled("13700002222", at(2023, 5, 1))

    result = figures(YEAR_2023)
    assert result["wishes_fulfilled"] == 3
    assert result["wishers_fulfilled"] == 2


def test_a_wisher_is_known_by_phone_not_by_name(fulfilled):
    fulfilled("13700001111", at(2023, 4, 1), wisher_name="王秀英")
    fulfilled("13700001111", at(2023, 9, 1), wisher_name="王秀英（代办）")

    assert figures(YEAR_2023)["wishers_fulfilled"] == 1


def test_the_same_phone_in_two_communities_is_one_resident_of_the_area(
    fulfilled, make_wish, staff_b, community_a, community_b, liaison_b
):
    fulfilled("13700001111", at(2023, 4, 1))
    wish_b = make_wish("fulfilled", staff=staff_b, claimer=liaison_b, community=community_b, wisher_phone="13700001111")
    fulfilled_at(wish_b, at(2023, 6, 1))

    # A wisher is a person: helped in each community, once in the area.
    assert figures(YEAR_2023)["wishers_fulfilled"] == 1
    assert figures(YEAR_2023, MicroWish.objects.filter(community=community_a))["wishers_fulfilled"] == 1
    assert figures(YEAR_2023, MicroWish.objects.filter(community=community_b))["wishers_fulfilled"] == 1


def test_the_year_ends_at_midnight_in_shanghai(fulfilled):
    # 23:30 on 31 December in Shanghai is 15:30 UTC: 2023 in both.
    late = fulfilled("13700000001", at(2023, 12, 31, 23, 30))
    # 00:10 on 1 January in Shanghai is still 31 December (16:10) in UTC: 2024 here.
    early = fulfilled("13700000002", at(2024, 1, 1, 0, 10))

    assert figures(YEAR_2023)["wishes_fulfilled"] == 1
    assert figures(YEAR_2023)["wishers_fulfilled"] == 1
    assert figures(YEAR_2024)["wishes_fulfilled"] == 1
    assert figures(YEAR_2024)["wishers_fulfilled"] == 1
    in_2023 = MicroWish.objects.filter(pk=late.pk)
    assert figures(YEAR_2023, in_2023)["wishers_fulfilled"] == 1
    assert figures(YEAR_2024, in_2023)["wishers_fulfilled"] == 0
    in_2024 = MicroWish.objects.filter(pk=early.pk)
    assert figures(YEAR_2023, in_2024)["wishers_fulfilled"] == 0
    assert figures(YEAR_2024, in_2024)["wishers_fulfilled"] == 1


def test_the_year_starts_at_midnight_in_shanghai(fulfilled):
    fulfilled("13700000001", at(2022, 12, 31, 23, 55))  # 15:55 UTC
    fulfilled("13700000002", at(2023, 1, 1, 0, 5))  # still 31 December, 16:05, in UTC

    assert figures(YEAR_2022)["wishers_fulfilled"] == 1
    assert figures(YEAR_2023)["wishers_fulfilled"] == 1
    assert figures((D(2023, 1, 1), D(2023, 1, 1)))["wishes_fulfilled"] == 1
    assert figures((D(2022, 12, 31), D(2022, 12, 31)))["wishes_fulfilled"] == 1


def test_submissions_near_midnight_count_by_the_local_day(make_wish):
    stamp(make_wish(wisher_phone="13700000001"), submitted_at=at(2023, 12, 31, 23, 59))
    stamp(make_wish(wisher_phone="13700000002"), submitted_at=at(2024, 1, 1, 0, 1))

    assert figures(YEAR_2023)["wishes_submitted"] == 1
    assert figures(YEAR_2024)["wishes_submitted"] == 1


def test_a_rejected_wish_is_never_fulfilled(make_wish, staff_a, member_user_a):
    rejected = make_wish("rejected", staff=staff_a, wisher_phone="13700000001")
    # Even with a stray fulfilment time (bad import, hand edit), status decides.
    stamp(rejected, submitted_at=at(2023, 5, 1), rejected_at=at(2023, 5, 2), fulfilled_at=at(2023, 5, 3))
    delivered = make_wish("delivered", staff=staff_a, claimer=member_user_a, wisher_phone="13700000002")
    stamp(delivered, submitted_at=at(2023, 6, 1), published_at=at(2023, 6, 2), claimed_at=at(2023, 6, 3),
          delivered_at=at(2023, 6, 4))

    assert figures(YEAR_2023) == {
        "wishes_submitted": 2,
        "wishes_published": 1,
        "wishes_claimed": 1,
        "wishes_fulfilled": 0,
        "wishers_fulfilled": 0,
    }


def test_figures_are_scoped_to_the_queryset(
    fulfilled, make_wish, staff_a, staff_b, area_admin, community_a, community_b, liaison_b
):
    fulfilled("13700000001", at(2023, 4, 1))
    fulfilled("13700000002", at(2023, 5, 1))
    for phone, month in (("13700000003", 6), ("13700000004", 7), ("13700000005", 8)):
        wish = make_wish("fulfilled", staff=staff_b, claimer=liaison_b, community=community_b, wisher_phone=phone)
        fulfilled_at(wish, at(2023, month, 1))

    only_a = figures(YEAR_2023, MicroWish.objects.filter(community=community_a))
    assert (only_a["wishes_fulfilled"], only_a["wishers_fulfilled"]) == (2, 2)
    only_b = figures(YEAR_2023, MicroWish.objects.filter(community=community_b))
    assert (only_b["wishes_fulfilled"], only_b["wishers_fulfilled"]) == (3, 3)
    # As the people who ask see it: staff their community, the area admin all.
    assert figures(YEAR_2023, MicroWish.objects.for_user(staff_a))["wishers_fulfilled"] == 2
    assert figures(YEAR_2023, MicroWish.objects.for_user(staff_b))["wishers_fulfilled"] == 3
    assert figures(YEAR_2023, MicroWish.objects.for_user(area_admin))["wishers_fulfilled"] == 5
