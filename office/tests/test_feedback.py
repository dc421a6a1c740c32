"""Feedback sheets to employer units (报到反馈单): the figures per member on hand-made
data with known answers (the period's edges in Asia/Shanghai), the Word files, who
may see which sheet, and the number of queries."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import docx
import pytest
from django.urls import reverse

from conftest import make_user
from grid.models import CoBuildingUnit, PartyMember
from office.feedback import feedback_sheets, unit_feedback_rows, unit_feedback_totals
from portal.models import User
from portal.privacy import resident_key
from volunteers.models import EventKind, Participation, PointsEntry, VolunteerEvent
from wishes.models import MicroWish

TZ = ZoneInfo("Asia/Shanghai")
START, END = datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)
PERIOD = {"from": "2024-01-01", "to": "2024-06-30"}
DONE, PLANNED, CANCELLED = VolunteerEvent.Status.DONE, VolunteerEvent.Status.PLANNED, VolunteerEvent.Status.CANCELLED
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def local(*args):
    return datetime.datetime(*args, tzinfo=TZ)


def add_member(community, unit, name, phone, registered_on=datetime.date(2023, 5, 1), **fields):
    return PartyMember.objects.create(
        community=community, name=name, gender=PartyMember.Gender.FEMALE, phone=phone,
        employer_unit=unit, registered_on=registered_on, **fields,
    )


def add_event(community, starts_at, status=DONE):
    kind, _ = EventKind.objects.get_or_create(community=community, code="service", defaults={"name": "志愿服务"})
    return VolunteerEvent.objects.create(
        community=community, title="志愿服务进楼院", kind=kind, starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=20), place="社区党群服务中心", status=status,
    )


def attend(event, member, hours=None, approved=False, checked_in=True):
    at = event.starts_at if checked_in else None
    return Participation.objects.create(
        event=event, member=member, signed_up_at=event.starts_at, checked_in_at=at,
        hours=hours, hours_approved_at=event.ends_at if approved else None,
    )


def fulfilled_wish(community, at, status=MicroWish.Status.FULFILLED, **holder):
    return MicroWish.objects.create(
        community=community, category=MicroWish.Category.DAILY, title="一盏台灯", wisher_name="王奶奶",
        wisher_phone="13700001111", wisher_key=resident_key("13700001111"), status=status, claimed_at=at - datetime.timedelta(days=3),
        fulfilled_at=at if status == MicroWish.Status.FULFILLED else None, **holder,
    )


def points(member, amount, at):
    return PointsEntry.objects.create(
        community=member.community, member=member, kind=PointsEntry.Kind.ADJUSTMENT,
        points=Decimal(amount), reason="表彰", created_at=at,
    )


@pytest.fixture
def records(community_a, community_b, unit_a, unit_b, member_a, member_b):
    """Unit A: 张建国 (reported 2023-03-10) and 王芳 (registered in the period, not
    reported), plus members who must not be listed. Expected for 2024-01-01..06-30:

    张建国: events 2 (the start day's and the end day's), hours 2.5 (the end day's;
            the start day's are not approved), wishes 1, points 15.5
    王芳:   events 1, hours 1.5, wishes 0, points 0
    """
    member_a.reported_on = datetime.date(2023, 3, 10)
    member_a.save()
    wang = add_member(community_a, unit_a, "王芳", "13600000002", registered_on=datetime.date(2024, 2, 1))
    add_member(community_a, unit_a, "停用党员", "13600000003", is_active=False, inactive_since=datetime.date(2023, 12, 1))
    add_member(community_a, unit_a, "晚登记党员", "13600000004", registered_on=datetime.date(2024, 7, 1))
    other_unit = CoBuildingUnit.objects.create(community=community_a, name="沙河镇中心小学", agreement_signed_on=datetime.date(2023, 1, 1))
    add_member(community_a, other_unit, "他单位党员", "13600000005")

    at_start = add_event(community_a, local(2024, 1, 1, 0, 0))
    at_end = add_event(community_a, local(2024, 6, 30, 23, 30))
    mid = add_event(community_a, local(2024, 3, 15, 9))
    attend(at_start, member_a, hours=3)  # checked in, hours not approved
    attend(at_end, member_a, hours="2.5", approved=True)
    attend(mid, member_a, checked_in=False)  # signed up, never came
    attend(mid, wang, hours="1.5", approved=True)
    # Outside the period, or not held: never count.
    attend(add_event(community_a, local(2024, 7, 1, 0, 10)), member_a, hours=4, approved=True)
    attend(add_event(community_a, local(2023, 12, 31, 23, 50)), member_a, hours=1, approved=True)
    attend(add_event(community_a, local(2024, 4, 1, 9), status=CANCELLED), member_a, hours=5, approved=True)
    attend(add_event(community_a, local(2024, 4, 2, 9), status=PLANNED), member_a, hours=6, approved=True)

    fulfilled_wish(community_a, local(2024, 6, 30, 23, 59), claimed_by_member=member_a)
    fulfilled_wish(community_a, local(2024, 7, 1, 0, 0), claimed_by_member=member_a)
    fulfilled_wish(community_a, local(2024, 3, 1, 9), status=MicroWish.Status.DELIVERED, claimed_by_member=member_a)
    fulfilled_wish(community_a, local(2024, 3, 1, 9), claimed_by_unit=unit_a)

    points(member_a, "10", local(2024, 1, 1, 0, 0))
    points(member_a, "5.5", local(2024, 6, 30, 23, 59))
    points(member_a, "100", local(2024, 7, 1, 0, 0))
    points(member_a, "7", local(2023, 12, 31, 23, 59))

    # Community B's member does something in the period too.
    attend(add_event(community_b, local(2024, 3, 1, 9)), member_b, hours=2, approved=True)
    return {"wang": wang}


def figures_of(row):
    return (row["events_attended"], row["hours_approved"], row["wishes_fulfilled"], row["points"])


# The figures ---------------------------------------------------------------------


def test_rows_per_member_with_period_edges(records, unit_a, member_a):
    rows = list(unit_feedback_rows(unit_a, START, END))
    assert [row["name"] for row in rows] == sorted(["张建国", "王芳"])
    by_name = {row["name"]: row for row in rows}
    assert figures_of(by_name["张建国"]) == (2, Decimal("2.5"), 1, Decimal("15.5"))
    assert by_name["张建国"]["reported_on"] == datetime.date(2023, 3, 10)
    assert figures_of(by_name["王芳"]) == (1, Decimal("1.5"), 0, 0)
    assert by_name["王芳"]["reported_on"] is None


def test_rows_carry_no_contact_data(records, unit_a):
    row = unit_feedback_rows(unit_a, START, END)[0]
    assert set(row) == {"pk", "name", "reported_on", "employer_unit_id", "events_attended", "hours_approved",
                        "wishes_fulfilled", "points"}


def test_totals(records, unit_a):
    totals = unit_feedback_totals(unit_a, START, END)[unit_a.pk]
    assert totals == {"members": 2, "reported": 1, "events_attended": 3, "hours_approved": Decimal("4.0"),
                      "wishes_fulfilled": 1, "points": Decimal("15.5")}


def test_a_shorter_period_moves_the_edges(records, unit_a):
    """Up to 2024-01-31: 王芳 is not registered yet; 张建国 has only the start day's
    event (hours not approved) and the 10 points of 1 January."""
    rows = list(unit_feedback_rows(unit_a, START, datetime.date(2024, 1, 31)))
    assert [row["name"] for row in rows] == ["张建国"]
    assert figures_of(rows[0]) == (1, 0, 0, Decimal("10"))


def test_sheets_for_several_units(records, unit_a, unit_b, member_b):
    empty = CoBuildingUnit.objects.create(community=unit_a.community, name="没有党员的单位")
    sheets = feedback_sheets([unit_a, unit_b, empty], START, END)
    assert [sheet.unit for sheet in sheets] == [unit_a, unit_b, empty]
    assert [row["name"] for row in sheets[1].rows] == ["李红"]
    assert figures_of(sheets[1].rows[0]) == (1, Decimal("2"), 0, 0)
    assert sheets[2].rows == [] and sheets[2].totals["members"] == 0


# The pages and Word files ----------------------------------------------------------


def test_unit_page_shows_the_figures_and_no_phone(login, staff_a, records, unit_a, member_a):
    response = login(staff_a).get(reverse("office:feedback_unit", args=[unit_a.pk]), PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "张建国" in page and "王芳" in page and "2023-03-10" in page
    assert response.context["rows"][[r[0] for r in response.context["rows"]].index("张建国")][2:] == [2, "2.5", 1, "15.5"]
    assert response.context["total_row"][2:] == [3, "4", 1, "15.5"]
    assert member_a.phone not in page and "停用党员" not in page and "他单位党员" not in page and "李红" not in page
    assert "data-print" in page
    assert reverse("office:feedback_unit_docx", args=[unit_a.pk]) in page


def test_unit_docx_opens_and_holds_the_figures(login, staff_a, records, unit_a, member_a):
    response = login(staff_a).get(reverse("office:feedback_unit_docx", args=[unit_a.pk]), PERIOD)
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="feedback-{unit_a.pk}-20240101-20240630.docx"'
    document = docx.Document(io.BytesIO(response.content))
    cells = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert ["张建国", "2023-03-10", "2", "2.5", "1", "15.5"] in cells
    assert cells[-1][2:] == ["3", "4", "1", "15.5"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert unit_a.name in text and unit_a.community.name in text and "2024-06-30" in text
    assert member_a.phone not in text + str(cells)


def test_all_units_docx_has_community_a_units_only(login, staff_a, records, unit_a, unit_b):
    second = CoBuildingUnit.objects.create(community=unit_a.community, name="临泽县人民医院")
    CoBuildingUnit.objects.create(community=unit_a.community, name="已停用的单位", is_active=False, inactive_since=datetime.date(2023, 12, 1))
    response = login(staff_a).get(reverse("office:feedback_all_docx"), PERIOD)
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert unit_a.name in text and second.name in text and "沙河镇中心小学" in text
    assert unit_b.name not in text and "已停用的单位" not in text
    names = {row.cells[0].text for table in document.tables for row in table.rows}
    assert "张建国" in names and "李红" not in names
    # One sheet a page: a page break between the units' sheets.
    breaks = document.element.body.xpath('.//w:br[@w:type="page"]')
    assert len(breaks) == 2


def test_area_admin_all_units_docx_with_and_without_community(login, area_admin, records, unit_a, unit_b):
    client = login(area_admin)
    everything = docx.Document(io.BytesIO(client.get(reverse("office:feedback_all_docx"), PERIOD).content))
    text = "\n".join(p.text for p in everything.paragraphs)
    assert unit_a.name in text and unit_b.name in text
    only_b = client.get(reverse("office:feedback_all_docx"), {**PERIOD, "community": unit_b.community.code})
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(only_b.content)).paragraphs)
    assert unit_b.name in text and unit_a.name not in text
    assert client.get(reverse("office:feedback_all_docx"), {"community": "nowhere"}).status_code == 404


def test_list_shows_units_in_scope_with_member_counts(login, staff_a, records, unit_a, unit_b):
    CoBuildingUnit.objects.create(community=unit_a.community, name="已停用的单位", is_active=False, inactive_since=datetime.date(2023, 12, 1))
    response = login(staff_a).get(reverse("office:feedback_list"), PERIOD)
    assert response.status_code == 200
    counts = {unit.name: (unit.member_count, unit.reported_count) for unit in response.context["units"]}
    assert counts == {unit_a.name: (2, 1), "沙河镇中心小学": (1, 0)}
    page = response.content.decode()
    sheet = reverse("office:feedback_unit", args=[unit_a.pk]) + "?from=2024-01-01&amp;to=2024-06-30"
    assert sheet in page and reverse("office:feedback_all_docx") in page


def test_unit_detail_links_to_the_sheet(login, staff_a, liaison_a, unit_a):
    sheet = reverse("office:feedback_unit", args=[unit_a.pk])
    for user in (staff_a, liaison_a):
        assert sheet in login(user).get(reverse("grid:unit_detail", args=[unit_a.pk])).content.decode()


def test_bad_date_falls_back_to_this_year(login, staff_a, unit_a):
    response = login(staff_a).get(reverse("office:feedback_unit", args=[unit_a.pk]), {"from": "2024-13-01"})
    assert response.status_code == 200 and response.context["period"].error


# Who may see what ------------------------------------------------------------------


def urls(unit):
    return {
        "list": reverse("office:feedback_list"),
        "all": reverse("office:feedback_all_docx"),
        "unit": reverse("office:feedback_unit", args=[unit.pk]),
        "docx": reverse("office:feedback_unit_docx", args=[unit.pk]),
    }


def test_anonymous_is_sent_to_login(client, unit_a):
    for url in urls(unit_a).values():
        response = client.get(url)
        assert response.status_code == 302 and reverse("portal:login") in response["Location"]


@pytest.mark.parametrize("actor", ["staff_a", "area_admin"])
def test_office_roles_see_everything_in_scope(request, login, actor, unit_a):
    client = login(request.getfixturevalue(actor))
    assert {name: client.get(url).status_code for name, url in urls(unit_a).items()} == dict.fromkeys(urls(unit_a), 200)


def test_staff_get_404_for_another_communitys_unit(login, staff_a, staff_b, unit_a, unit_b):
    client = login(staff_a)
    assert client.get(urls(unit_b)["unit"]).status_code == 404
    assert client.get(urls(unit_b)["docx"]).status_code == 404
    assert login(staff_b).get(urls(unit_a)["unit"]).status_code == 404


def test_liaison_sees_own_unit_only(login, liaison_a, unit_a, unit_b):
    client = login(liaison_a)
    own = urls(unit_a)
    assert client.get(own["unit"]).status_code == 200
    assert client.get(own["docx"]).status_code == 200
    assert client.get(own["list"]).status_code == 403
    assert client.get(own["all"]).status_code == 403
    other_here = CoBuildingUnit.objects.create(community=unit_a.community, name="沙河镇卫生院")
    for unit in (other_here, unit_b):
        assert client.get(urls(unit)["unit"]).status_code == 404
        assert client.get(urls(unit)["docx"]).status_code == 404


def test_liaison_without_unit_gets_404(login, community_a, unit_a):
    client = login(make_user("liaison_none", User.Role.LIAISON, community_a))
    assert client.get(urls(unit_a)["unit"]).status_code == 404


@pytest.mark.parametrize("actor", ["member_user_a", "grid_worker_a"])
def test_members_and_grid_workers_are_refused(request, login, actor, unit_a):
    client = login(request.getfixturevalue(actor))
    assert {name: client.get(url).status_code for name, url in urls(unit_a).items()} == dict.fromkeys(urls(unit_a), 403)


# Queries ---------------------------------------------------------------------------


def many_members(community, unit, count, offset=0):
    PartyMember.objects.bulk_create(
        PartyMember(community=community, name=f"党员{offset + n:03d}", gender=PartyMember.Gender.MALE,
                    phone=f"135{offset + n:08d}", employer_unit=unit, registered_on=datetime.date(2023, 1, 1))
        for n in range(count)
    )


def test_unit_page_queries_do_not_grow_with_members(login, staff_a, community_a, unit_a, django_assert_max_num_queries):
    client = login(staff_a)
    many_members(community_a, unit_a, 5)
    # 12: the security-log entry of the download, and its record's content type the first time
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("office:feedback_unit", args=[unit_a.pk]), PERIOD)
        client.get(reverse("office:feedback_unit_docx", args=[unit_a.pk]), PERIOD)
    many_members(community_a, unit_a, 45, offset=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("office:feedback_unit", args=[unit_a.pk]), PERIOD)
        client.get(reverse("office:feedback_unit_docx", args=[unit_a.pk]), PERIOD)
    assert len(response.context["rows"]) == 50


def test_all_units_docx_queries_do_not_grow_with_units(login, staff_a, community_a, django_assert_max_num_queries):
    client = login(staff_a)

    def add_units(first, last):
        for n in range(first, last):
            unit = CoBuildingUnit.objects.create(community=community_a, name=f"共建单位{n:02d}")
            many_members(community_a, unit, 3, offset=n * 10)

    add_units(0, 1)
    with django_assert_max_num_queries(12) as few:  # 12: with the security-log entry and the list's page count
        client.get(reverse("office:feedback_all_docx"), PERIOD)
        client.get(reverse("office:feedback_list"), PERIOD)
    add_units(1, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("office:feedback_all_docx"), PERIOD)
        client.get(reverse("office:feedback_list"), PERIOD)
    document = docx.Document(io.BytesIO(response.content))
    assert len(document.tables) == 10 and all(len(table.rows) == 5 for table in document.tables)
