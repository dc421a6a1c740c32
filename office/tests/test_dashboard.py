"""The dashboard's period section: charts, the area admin's communities side by
side, the query count, and the brief cache that never outlives a change."""

import datetime
import json
import re

from django.urls import reverse

from grid.models import CoBuildingUnit, PartyMember
from portal.models import Community
from volunteers.models import EventKind, VolunteerEvent

URL = reverse("office:dashboard")
Y2023 = {"from": "2023-01-01", "to": "2023-12-31"}


def chart_json(response):
    """The chart figures as the page's script reads them."""
    match = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match.group(1))


def period_cards(response) -> dict:
    """{label: value} of the period's figure cards as the page shows them (portal/_stat.html)."""
    section = re.search(r'<section class="mb-4" aria-labelledby="period-heading">(.*?)</section>', response.content.decode(), re.S)
    pairs = re.findall(r'<div class="text-muted small">([^<]*)</div>\s*<div class="display-6 text-party">([^<]*)</div>', section.group(1))
    return {label: int(value) for label, value in pairs if value.isdigit()}


def held_event(community, day, kind_code="haircut"):
    starts = datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    kind, _created = EventKind.objects.get_or_create(community=None, code=kind_code, defaults={"name": kind_code, "is_special_service": True})
    return VolunteerEvent.objects.create(
        community=community, title="义剪进楼院", kind=kind, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
        place="党群服务中心", status=VolunteerEvent.Status.DONE,
    )


def community_with_records(number):
    community = Community.objects.create(name=f"第{number}社区", code=f"c{number}", town="沙河镇", county="临泽县")
    unit = CoBuildingUnit.objects.create(community=community, name=f"单位{number}", agreement_signed_on=datetime.date(2023, 1, 5))
    PartyMember.objects.create(
        community=community, name=f"党员{number}", gender="male", phone=f"1350000{number:04d}", employer_unit=unit,
        registered_on=datetime.date(2023, 2, 1), reported_on=datetime.date(2023, 2, 3),
    )
    held_event(community, datetime.date(2023, 5, 1))
    return community


def test_charts_carry_the_period_figures(client, staff_a, member_a, unit_a):
    member_a.reported_on = datetime.date(2023, 3, 10)
    member_a.save()
    held_event(staff_a.community, datetime.date(2023, 12, 31))
    held_event(staff_a.community, datetime.date(2024, 1, 1))  # the day after the period: not counted
    client.force_login(staff_a)
    data = chart_json(client.get(URL, Y2023))
    assert data["months"][0] == "2023-01" and data["months"][-1] == "2023-12" and len(data["months"]) == 12
    assert [sum(row["counts"]) for row in data["events_by_kind"]] == [1]
    assert data["events_by_kind"][0]["counts"][11] == 1
    assert data["reporting"] == [{"name": unit_a.name, "registered": 1, "reported": 1}]
    assert data["funnel"] == [0, 0, 0, 0]
    assert len(data["labels"]["funnel_steps"]) == 4


def test_area_admin_sees_communities_side_by_side_and_opens_one(client, area_admin):
    community_with_records(1)
    second = community_with_records(2)
    held_event(second, datetime.date(2023, 6, 1))
    client.force_login(area_admin)
    response = client.get(URL, Y2023)
    rows = {row["code"]: row["figures"] for row in response.context["side_by_side"]}
    assert rows["c1"]["volunteer_events"] == 1 and rows["c2"]["volunteer_events"] == 2
    assert rows["c1"]["party_members"] == 1 and rows["c1"]["reporting_rate"] == 1.0
    assert '?community=c2&amp;from=2023-01-01&amp;to=2023-12-31' in response.content.decode()
    assert [row["name"] for row in chart_json(response)["reporting"]] == ["第1社区", "第2社区"]
    one = client.get(URL, {**Y2023, "community": "c2"})
    assert one.context["period"].community == second and "side_by_side" not in one.context
    cards = {card["label"]: card["value"] for card in one.context["period_cards"]}
    assert cards["开展志愿服务活动"] == 2
    assert client.get(URL, {**Y2023, "community": "nowhere"}).status_code == 404


def test_staff_cannot_open_another_community(client, staff_b, community_a):
    community_with_records(3)
    client.force_login(staff_b)
    response = client.get(URL, {**Y2023, "community": "c3"})
    assert response.status_code == 200 and response.context["period"].community == staff_b.community
    cards = {card["label"]: card["value"] for card in response.context["period_cards"]}
    assert cards["开展志愿服务活动"] == 0 and "side_by_side" not in response.context


def count_queries(client, params):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


def test_query_count_of_a_community_year_does_not_grow(client, staff_a):
    client.force_login(staff_a)
    community = staff_a.community
    held_event(community, datetime.date(2023, 1, 1))
    small = count_queries(client, Y2023)
    for number in range(20):
        unit = CoBuildingUnit.objects.create(community=community, name=f"单位{number}", agreement_signed_on=datetime.date(2023, 1, 5))
        PartyMember.objects.create(
            community=community, name=f"党员{number}", gender="male", phone=f"1360000{number:04d}", employer_unit=unit,
            registered_on=datetime.date(2023, 2, 1),
        )
        held_event(community, datetime.date(2023, 1 + number % 12, 1), kind_code=["haircut", "clinic", "policy"][number % 3])
    large = count_queries(client, Y2023)
    assert large == small
    assert large <= 43  # 40 before the three rates (appeals, wishes by grid cell, the cells: 3)


def test_query_count_of_the_area_does_not_grow_with_communities(client, area_admin):
    client.force_login(area_admin)
    community_with_records(1)
    one = count_queries(client, Y2023)
    for number in range(2, 30):
        community_with_records(number)
    many = count_queries(client, Y2023)
    assert many == one
    assert many <= 50


def test_query_count_of_a_city_does_not_grow_with_its_districts(client, db):
    """One query more or less whatever the number of districts and streets: the
    areas' rows are sums of the communities' rows, their wishers one GROUP BY."""
    from conftest import make_user
    from portal.models import Area, User

    city = Area.objects.create(code="city", name="示例市", level="city")
    client.force_login(make_user("city_admin", User.Role.AREA_ADMIN, area=city))

    def district(number):
        d = Area.objects.create(code=f"d{number}", name=f"第{number}区", level="district", parent=city)
        for street_number in range(2):
            street = Area.objects.create(code=f"d{number}-s{street_number}", name=f"第{street_number}街道", level="street", parent=d)
            community = community_with_records(number * 10 + street_number)
            community.area = street
            community.save()

    district(1)
    one = count_queries(client, Y2023)
    for number in range(2, 8):
        district(number)
    many = count_queries(client, Y2023)
    assert many == one
    assert many <= 50
    client.get(URL, Y2023)  # renders the district rows
    district_page = count_queries(client, {**Y2023, "area": "d3"})
    assert district_page <= many + 3  # the area asked for, its communities and its trail


def test_cached_figures_are_renewed_by_any_change(client, staff_a, member_a, settings):
    settings.FIGURES_CACHE_SECONDS = 300
    client.force_login(staff_a)

    def reported():
        # As the page shows it: the figures' section may come rendered from the cache.
        return period_cards(client.get(URL))["已报到"]

    assert reported() == 0
    # a change outside a request (a script, the shell, a command) shows on the very next page ...
    PartyMember.objects.filter(pk=member_a.pk).update(reported_on=datetime.date(2023, 3, 10))
    assert reported() == 1
    PartyMember.objects.filter(pk=member_a.pk).update(reported_on=None)
    assert reported() == 0
    # ... and so does one made in the portal
    response = client.post(reverse("grid:member_confirm", args=[member_a.pk]))
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.reported_on is not None
    assert reported() == 1


def test_a_second_visit_reads_only_the_user(client, staff_a, member_a, settings, django_assert_num_queries):
    settings.FIGURES_CACHE_SECONDS = 300
    client.force_login(staff_a)
    first = client.get(URL, Y2023)
    with django_assert_num_queries(1):  # the user (the session is cached); the rest is rendered once per data version
        again = client.get(URL, Y2023)
    assert period_cards(again) == period_cards(first)
    assert period_cards(again)["在职党员"] == 1


def test_the_cached_section_follows_the_language(client, staff_a, settings):
    settings.FIGURES_CACHE_SECONDS = 300
    client.force_login(staff_a)
    assert "已报到" in period_cards(client.get(URL))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = period_cards(client.get(URL))
    assert "Reported" in english and "已报到" not in english


def test_no_cache_when_switched_off(client, staff_a, member_a, settings):
    settings.FIGURES_CACHE_SECONDS = 0
    client.force_login(staff_a)
    client.get(URL)
    PartyMember.objects.filter(pk=member_a.pk).update(reported_on=datetime.date(2023, 3, 10))
    cards = {card["label"]: card["value"] for card in client.get(URL).context["period_cards"]}
    assert cards["已报到"] == 1


def test_member_and_grid_worker_have_no_period_section(client, member_user_a, grid_worker_a):
    client.force_login(grid_worker_a)
    response = client.get(URL)
    assert response.status_code == 200 and "period_cards" not in response.context and "charts" not in response.context
    client.force_login(member_user_a)
    assert client.get(URL).status_code == 302


def test_a_summary_preview_leaves_the_cached_figures(client, staff_a, member_a, settings):
    from django.core.cache import cache

    from portal.figures_cache import VERSION_KEY

    settings.FIGURES_CACHE_SECONDS = 300
    client.force_login(staff_a)
    client.get(URL)
    version = cache.get(VERSION_KEY)
    client.post(reverse("office:work_summary"), {"text": "本期工作总结", "action": "preview"})
    assert cache.get(VERSION_KEY) == version
    client.post(reverse("grid:member_confirm", args=[member_a.pk]))
    assert cache.get(VERSION_KEY) != version


def test_events_fall_in_their_local_month(community_a):
    """Months are Asia/Shanghai months: 23:30 on 31 January is January's (15:30 UTC),
    00:10 on 1 February is February's (16:10 UTC on 31 January)."""
    from volunteers.selectors import events_by_month

    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    for moment in (
        datetime.datetime(2023, 1, 31, 23, 30, tzinfo=shanghai),
        datetime.datetime(2023, 2, 1, 0, 10, tzinfo=shanghai),
        datetime.datetime(2023, 2, 28, 23, 59, tzinfo=shanghai),
        datetime.datetime(2023, 12, 31, 23, 59, tzinfo=shanghai),
    ):
        event = held_event(community_a, moment.date())
        VolunteerEvent.objects.filter(pk=event.pk).update(starts_at=moment, ends_at=moment + datetime.timedelta(minutes=20))
    rows = events_by_month(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), community_ids=[community_a.pk])
    assert [(month, count) for month, _kind, count in rows] == [
        (datetime.date(2023, 1, 1), 1), (datetime.date(2023, 2, 1), 2), (datetime.date(2023, 12, 1), 1),
    ]
    rows = events_by_month(datetime.date(2023, 2, 15), datetime.date(2023, 3, 31), community_ids=[community_a.pk])
    assert [(month, count) for month, _kind, count in rows] == [(datetime.date(2023, 2, 1), 1)]
