"""The three rates (接诉即办 响应率 / 解决率 / 满意率) with known answers: computed from
records in `manage.py report --rates`, on the dashboard and in the Excel file."""

import datetime
import io
import json
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from zoneinfo import ZoneInfo

from conftest import make_user
from grid.models import Appeal
from portal.models import User
from wishes.models import MicroWish

TZ = ZoneInfo("Asia/Shanghai")
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def at(*parts):
    return datetime.datetime(*parts, tzinfo=TZ)


def appeal(community, cell, received, *, status="received", responded=None, rating="", number=[0]):
    """An appeal as it stands, its times given (the report counts records; the services are tested in grid)."""
    number[0] += 1
    fields = {
        "community": community, "grid_cell": cell, "category": "facilities", "title": f"诉求{number[0]}",
        "resident_name": "王秀英", "resident_phone": "13700001111", "status": status, "received_at": received,
        "waiting_since": received, "respond_by": received + 24 * HOUR, "responded_at": responded,
    }
    if status in ("answered", "closed", "reopened"):
        fields["answered_at"] = received + 2 * DAY
    if status == "closed":
        fields["closed_at"] = received + 3 * DAY
    if rating:
        fields.update(rating=rating, rated_at=received + 4 * DAY)
    return Appeal.objects.create(**fields)


def wish(community, cell, submitted, *, status, responded, rating="", number=[0], **extra):
    number[0] += 1
    fields = {
        "community": community, "grid_cell": cell, "category": "study", "title": f"心愿{number[0]}",
        "wisher_name": "李秀兰", "wisher_phone": "13700002222", "wisher_key": "k", "status": status,
        "submitted_at": submitted, "respond_by": submitted + 3 * DAY, "responded_at": responded,
    }
    if status == "rejected":
        fields["rejected_at"] = responded
    if rating:
        fields.update(rating=rating, rated_at=submitted + 9 * DAY)
    return MicroWish.objects.create(**fields, **extra)


@pytest.fixture
def records(community_a, community_b, cell_a, cell_a2, cell_b, member_a):
    """Community A in 2023: five appeals (three responded in time, three resolved, three
    rated of which two satisfied) and two wishes; one appeal in 2024; B: one appeal."""
    appeal(community_a, cell_a, at(2023, 3, 1, 10), status="closed", responded=at(2023, 3, 1, 15), rating="satisfied")
    appeal(community_a, cell_a, at(2023, 5, 1, 10), status="answered", responded=at(2023, 5, 3, 9), rating="basically")  # late
    # Reopened after its answer: rated then, unresolved now.
    appeal(community_a, cell_a2, at(2023, 6, 1, 10), status="reopened", responded=at(2023, 6, 1, 11), rating="dissatisfied")
    appeal(community_a, cell_a2, at(2023, 12, 31, 23, 30))  # the year's last half hour: no response yet
    appeal(community_a, cell_a, at(2024, 1, 1, 0, 10), status="answered", responded=at(2024, 1, 1, 8))  # the next year
    appeal(community_a, None, at(2023, 7, 1, 10), status="answered", responded=at(2023, 7, 1, 12))  # no grid cell, unrated
    appeal(community_b, cell_b, at(2023, 8, 1, 10), status="answered", responded=at(2023, 8, 1, 11), rating="satisfied")
    wish(
        community_a, cell_a, at(2023, 2, 1, 10), status="fulfilled", responded=at(2023, 2, 2, 10), rating="satisfied",
        published_at=at(2023, 2, 2, 10), claimed_by_member=member_a, claimed_at=at(2023, 2, 3, 10), fulfilled_at=at(2023, 2, 9, 10),
    )
    wish(community_a, cell_a2, at(2023, 4, 1, 10), status="rejected", responded=at(2023, 4, 6, 10))  # reviewed late


def report(*args):
    out = StringIO()
    call_command("report", "--from", "2023-01-01", "--to", "2023-12-31", "--rates", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_report_of_one_community_with_known_answers(records):
    data = report("--community", "shahejie")
    assert data["total"]["appeals"] == {
        "received": 5, "responded_in_time": 3, "resolved": 3, "rated": 3, "satisfied": 1, "basically": 1, "dissatisfied": 1,
        "response_rate": 0.6, "resolution_rate": 0.6, "satisfaction_rate": 0.6667,
    }
    assert data["total"]["wishes"] == {
        "received": 2, "responded_in_time": 1, "resolved": 1, "rated": 1, "satisfied": 1, "basically": 0, "dissatisfied": 0,
        "response_rate": 0.5, "resolution_rate": 0.5, "satisfaction_rate": 1.0,
    }
    assert data["rows"] == []


def test_report_by_grid_cell(records):
    rows = {row["name"]: row for row in report("--community", "shahejie", "--by", "cell")["rows"]}
    # Community A's cells, and its requests with no cell (the command speaks the portal's language); not B's cell.
    assert set(rows) == {"第1网格 · 东区网格", "第2网格 · 西区网格", "未划入网格"}
    east, west, none = rows["第1网格 · 东区网格"]["appeals"], rows["第2网格 · 西区网格"]["appeals"], rows["未划入网格"]["appeals"]
    assert (east["received"], east["responded_in_time"], east["resolved"], east["satisfaction_rate"]) == (2, 1, 2, 1.0)
    # The reopened appeal counts against resolution; its rating was "dissatisfied".
    assert (west["received"], west["responded_in_time"], west["resolved"], west["satisfaction_rate"]) == (2, 1, 0, 0.0)
    # Nothing rated: no satisfaction rate at all, not 0 % and not 100 %.
    assert (none["received"], none["resolution_rate"], none["rated"], none["satisfaction_rate"]) == (1, 1.0, 0, None)
    assert rows["第2网格 · 西区网格"]["wishes"]["response_rate"] == 0.0  # turned down after five days


def test_report_of_every_community_and_by_community(records):
    data = report("--by", "community")
    appeals = data["total"]["appeals"]
    assert (appeals["received"], appeals["responded_in_time"], appeals["resolved"], appeals["rated"]) == (6, 4, 4, 4)
    assert appeals["satisfaction_rate"] == 0.75
    rows = {row["name"]: row["appeals"]["received"] for row in data["rows"]}
    assert rows == {"沙河街社区": 5, "北关社区": 1}


def test_report_of_a_period_without_requests(records):
    out = StringIO()
    call_command("report", "--from", "2020-01-01", "--to", "2020-12-31", "--rates", stdout=out)
    text = out.getvalue()
    assert "appeals  0 / 0 / 0 / 0 / 0" in text and "response_rate -" in text


def test_report_refuses_by_without_rates(records):
    with pytest.raises(CommandError, match="--by goes with --rates"):
        call_command("report", "--from", "2023-01-01", "--to", "2023-12-31", "--by", "cell", stdout=StringIO())


def test_dashboard_shows_the_rates_with_their_definitions(client, records, staff_a):
    client.force_login(staff_a)
    html = client.get(reverse("office:dashboard"), {"from": "2023-01-01", "to": "2023-12-31"}).content.decode()
    assert "接诉即办" in html  # the section's heading
    assert "60%" in html and "5 件中 3 件按时响应" in html and "66.7%" in html
    assert "响应率" in html and "解决率" in html and "满意率" in html and "未评价的不计入" in html
    assert "东区网格" in html and "西区网格" in html  # by grid cell
    assert "24 小时" in html  # the community's own limits in the definition


def test_area_admin_sees_the_rates_side_by_side(client, records):
    client.force_login(make_user("county", User.Role.AREA_ADMIN))
    html = client.get(reverse("office:dashboard"), {"from": "2023-01-01", "to": "2023-12-31"}).content.decode()
    assert "沙河街社区" in html and "北关社区" in html and "75%" in html


def test_excel_has_the_three_rates(client, records, staff_a):
    client.force_login(staff_a)
    response = client.get(reverse("office:dashboard_export"), {"from": "2023-01-01", "to": "2023-12-31"})
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook["三率"].iter_rows(values_only=True))
    assert rows[0][:4] == ("名称", "诉求：受理", "诉求：按时响应", "诉求：响应率")
    total = rows[1]
    assert total[:9] == ("合计", 5, 3, 0.6, 3, 0.6, 3, 2, 0.6667)
    assert total[9:12] == (2, 1, 0.5)
    assert any(row[0] == "满意率" and "未评价" in row[1] for row in rows if row and row[0])
