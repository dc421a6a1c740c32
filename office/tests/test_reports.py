"""The headline figures, the report command and the dashboard's period cards."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from grid.models import CoBuildingUnit, PartyMember
from office.reports import (
    HEADLINE_KEYS,
    breakdowns,
    figures,
    figures_by_community,
    figures_total,
)
from portal.privacy import resident_key

Y2023 = (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))


@pytest.fixture
def records(community_a, community_b, unit_a, member_a, member_b, cell_a):
    """Community A: one unit (agreement 2023-03-01), one member registered 2023-03-05
    and reported 2023-03-10; an inactive unit and a member registered in 2024, which
    must not count for 2023. Community B's records never count for A."""
    member_a.reported_on = datetime.date(2023, 3, 10)
    member_a.save()
    CoBuildingUnit.objects.create(community=community_a, name="停用单位", is_active=False, agreement_signed_on=datetime.date(2023, 1, 1),
                                  inactive_since=datetime.date(2023, 6, 1))
    PartyMember.objects.create(
        community=community_a, name="新党员", gender="male", phone="13500001111", employer_name="某公司",
        registered_on=datetime.date(2024, 1, 2),
    )


def test_figures_keys_and_stock_figures(records, community_a):
    result = figures(*Y2023, community_ids=[community_a.pk])
    assert list(result) == HEADLINE_KEYS
    assert result["co_building_units"] == 1
    assert (result["party_members"], result["reported_members"], result["reporting_rate"]) == (1, 1, 1.0)
    # before the report was confirmed: registered but not reported
    early = figures(datetime.date(2023, 1, 1), datetime.date(2023, 3, 9), community_ids=[community_a.pk])
    assert (early["party_members"], early["reported_members"], early["reporting_rate"]) == (1, 0, 0.0)


def test_figures_for_all_communities_add_up(records, community_a, community_b):
    whole = figures(*Y2023)
    a = figures(*Y2023, community_ids=[community_a.pk])
    b = figures(*Y2023, community_ids=[community_b.pk])
    assert whole["party_members"] == a["party_members"] + b["party_members"]


def test_breakdowns_by_unit_and_cell(records, community_a, unit_a, cell_a):
    result = breakdowns(*Y2023, community_ids=[community_a.pk])
    units = {u.name: (u.member_count, u.reported_count) for u in result["units"]}
    assert units[unit_a.name] == (1, 1)
    assert [c.member_count for c in result["grid_cells"] if c.pk == cell_a.pk] == [1]


def test_report_command_json(records, community_a):
    out = io.StringIO()
    call_command("report", "--from", "2023-01-01", "--to", "2023-12-31", "--community", community_a.code, "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data) == HEADLINE_KEYS and data["reported_members"] == 1


def test_report_command_refuses_bad_input(db):
    with pytest.raises(CommandError):
        call_command("report", "--from", "2023-13-01", "--to", "2023-12-31")
    with pytest.raises(CommandError):
        call_command("report", "--from", "2023-01-01", "--to", "2023-12-31", "--community", "nowhere")


def test_dashboard_period_cards(client, staff_a, records):
    client.force_login(staff_a)
    response = client.get(reverse("office:dashboard"), {"from": "2023-01-01", "to": "2023-12-31"})
    cards = {card["label"]: card["value"] for card in response.context["period_cards"]}
    assert cards["共驻共建单位"] == 1 and cards["已报到"] == 1
    bad = client.get(reverse("office:dashboard"), {"from": "not-a-date"})
    assert bad.status_code == 200 and bad.context["period"].error


def test_dashboard_query_count_does_not_grow(client, staff_a, records, django_assert_max_num_queries):
    client.force_login(staff_a)
    with django_assert_max_num_queries(60):
        client.get(reverse("office:dashboard"), {"from": "2023-01-01", "to": "2023-12-31"})


def test_excel_export_reads_back(client, staff_a, records):
    import openpyxl

    client.force_login(staff_a)
    response = client.get(reverse("office:dashboard_export"), {"from": "2023-01-01", "to": "2023-12-31"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "数据"
    rows = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(min_row=4, values_only=True)}
    assert rows["共驻共建单位"] == 1 and rows["已报到"] == 1
    units = [row for row in workbook["按单位"].iter_rows(min_row=2, values_only=True)]
    assert ("临泽县示例局", 1, 1) in units


def test_excel_export_permissions(client, member_user_a, staff_b, records):
    url = reverse("office:dashboard_export")
    assert client.get(url).status_code == 302
    client.force_login(member_user_a)
    assert client.get(url).status_code == 403
    client.force_login(staff_b)  # their own community only: A's unit is not in it
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url, {"from": "2023-01-01", "to": "2023-12-31"}).content))
    assert all(row[0] != "临泽县示例局" for row in workbook["按单位"].iter_rows(min_row=2, values_only=True))


@pytest.fixture
def two_communities(community_b, unit_b, member_b):
    """The demo community (every kind of record) next to community B with a few of
    its own, including a wisher whose phone is also a demo wisher's: the same
    resident, helped in both communities."""
    from django.utils import timezone

    from wishes.models import MicroWish

    call_command("seed_demo", "--force", stdout=io.StringIO())
    fulfilled_2023 = MicroWish.objects.filter(status="fulfilled", fulfilled_at__year=2023).exclude(community=community_b)
    demo_phone = fulfilled_2023.values_list("wisher_phone", flat=True)[0]
    member_b.reported_on = datetime.date(2023, 6, 1)
    member_b.save()
    moment = timezone.make_aware(datetime.datetime(2023, 12, 31, 23, 30))
    MicroWish.objects.create(
        community=community_b, category="study", title="书包", description="一年级", wisher_name="王秀英",
        wisher_phone=demo_phone, wisher_key=resident_key(demo_phone), status="fulfilled", submitted_at=moment, published_at=moment,
        claimed_at=moment, claimed_by_member=member_b, fulfilled_at=moment,
    )


def test_figures_by_community_match_each_community_alone(two_communities, community_b, django_assert_max_num_queries):
    from portal.models import Community

    demo = Community.objects.get(code="shahejie")
    with django_assert_max_num_queries(12):
        side_by_side = figures_by_community(*Y2023)
    assert set(side_by_side) == set(Community.objects.values_list("pk", flat=True))
    for community in (demo, community_b):
        assert side_by_side[community.pk] == figures(*Y2023, community_ids=[community.pk])
    assert side_by_side[demo.pk]["wishers_fulfilled"] == 76
    assert side_by_side[community_b.pk]["wishers_fulfilled"] == 1
    # the same phone in two communities is one resident of the area: not the sum of the rows
    assert figures(*Y2023)["wishers_fulfilled"] == 76
    # the area's figures from the rows are the figures counted over the whole area
    assert figures_total(side_by_side, *Y2023) == figures(*Y2023)
    assert figures_total({}, *Y2023, community_ids=[]) == figures(*Y2023, community_ids=[])
    narrowed = figures_by_community(*Y2023, community_ids=[community_b.pk])
    assert list(narrowed) == [community_b.pk]
