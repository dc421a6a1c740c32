"""Excel import of co-building units and in-service party members.

Files are built in memory with openpyxl. The importer tests run in English so
that their messages stay stable once the Chinese catalogue is added; headers
are given as the Chinese aliases staff actually type, unless a test says so.
"""

import datetime
import io
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from grid.importers import IMPORTERS, MAX_ROWS, MEMBER_IMPORTER, UNIT_IMPORTER
from grid.models import CoBuildingUnit, PartyMember, Tag

UNIT_HEADERS = ["单位名称", "类型", "党组织名称", "联络人", "联络电话", "签约日期",
                "可提供资源", "资源标签", "单位报到日期", "服务承诺", "是否有效"]  # fmt: skip
MEMBER_HEADERS = ["姓名", "性别", "手机号", "工作单位", "网格", "楼院", "特长", "入党年份", "登记日期", "报到日期", "是否有效"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(importer, community, rows):
    return importer.run(community, io.BytesIO(xlsx(rows)))


def label(importer, key):
    """A column's header in the active language, as error reports name it."""
    return next(column.header for column in importer.columns if column.key == key)


def problems(result):
    return {(error.row, error.column) for error in result.errors}


def tag_names(tags):
    return {tag.name for tag in tags.all()}


# Units ------------------------------------------------------------------------------------


def good_units():
    return [
        UNIT_HEADERS,
        ["县教育局", "机关", "县教育局机关党委", "王主任", "0936-5551234", datetime.datetime(2023, 3, 1),
         "会议室", "场地, 培训", "2023/03/10", "每月一次志愿服务", "是"],
        ["第二小学", "School", "", "", 13912345678, "2023年4月2日", "", "场地", None, "", None],
        ["绿源公司", "private_firm", None, None, None, None, None, None, None, None, "否"],
        [None] * 11,  # an empty row is skipped
        ["县医院", "国企", None, None, None, None, None, "医疗，义诊", None, None, 1],
    ]  # fmt: skip


def test_units_good_file_creates_them(community_a):
    result = run(UNIT_IMPORTER, community_a, good_units())

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    bureau = CoBuildingUnit.objects.get(community=community_a, name="县教育局")
    assert bureau.kind == CoBuildingUnit.Kind.AGENCY
    assert bureau.party_organization == "县教育局机关党委"
    assert bureau.liaison_name == "王主任"
    assert bureau.liaison_phone == "0936-5551234"
    assert bureau.agreement_signed_on == datetime.date(2023, 3, 1)
    assert bureau.reported_on == datetime.date(2023, 3, 10)
    assert bureau.resources == "会议室"
    assert bureau.commitments == "每月一次志愿服务"
    assert bureau.is_active
    assert tag_names(bureau.resource_tags) == {"场地", "培训"}
    school = CoBuildingUnit.objects.get(name="第二小学")
    assert school.kind == CoBuildingUnit.Kind.SCHOOL
    assert school.liaison_phone == "13912345678"
    assert school.agreement_signed_on == datetime.date(2023, 4, 2)
    assert school.reported_on is None
    assert school.is_active  # blank: yes
    firm = CoBuildingUnit.objects.get(name="绿源公司")
    assert firm.kind == CoBuildingUnit.Kind.PRIVATE_FIRM
    assert not firm.is_active
    hospital = CoBuildingUnit.objects.get(name="县医院")
    assert hospital.kind == CoBuildingUnit.Kind.STATE_FIRM
    assert tag_names(hospital.resource_tags) == {"医疗", "义诊"}


def test_units_reimport_changes_nothing(community_a):
    run(UNIT_IMPORTER, community_a, good_units())
    tags = Tag.objects.count()

    result = run(UNIT_IMPORTER, community_a, good_units())

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert CoBuildingUnit.objects.filter(community=community_a).count() == 4
    assert Tag.objects.count() == tags


def test_units_changed_cell_updates_one(community_a):
    run(UNIT_IMPORTER, community_a, good_units())
    rows = good_units()
    rows[1][7] = "场地, 培训, 资金"

    result = run(UNIT_IMPORTER, community_a, rows)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert tag_names(CoBuildingUnit.objects.get(name="县教育局").resource_tags) == {"场地", "培训", "资金"}


def test_units_match_existing_unit_by_name(unit_a):
    rows = [["单位名称", "类型"], [unit_a.name, "学校"]]

    result = run(UNIT_IMPORTER, unit_a.community, rows)

    assert (result.created, result.updated) == (0, 1)
    unit_a.refresh_from_db()
    assert unit_a.kind == CoBuildingUnit.Kind.SCHOOL
    assert unit_a.agreement_signed_on == datetime.date(2023, 3, 1)  # absent column: kept


def test_units_blank_optional_cell_keeps_the_stored_value(unit_a):
    rows = [["单位名称", "签约日期", "类型"], [unit_a.name, None, None]]

    result = run(UNIT_IMPORTER, unit_a.community, rows)

    assert (result.updated, result.unchanged) == (0, 1)
    unit_a.refresh_from_db()
    assert unit_a.agreement_signed_on == datetime.date(2023, 3, 1)


def test_units_bad_rows_are_listed_and_nothing_is_written(community_a):
    rows = good_units()
    rows += [
        [None, "学校"] + [None] * 9,  # row 7: no name
        ["甲单位", "银行"] + [None] * 9,  # row 8: unknown kind
        ["乙单位", None, None, None, "call me"] + [None] * 6,  # row 9: bad phone
        ["县教育局"] + [None] * 10,  # row 10: twice in the file
        ["丙单位", None, None, None, None, "2023-02-30"] + [None] * 5,  # row 11: no such day
        ["丁单位"] + [None] * 9 + ["也许"],  # row 12: not yes or no
    ]

    result = run(UNIT_IMPORTER, community_a, rows)

    assert not result.ok
    assert problems(result) == {
        (7, label(UNIT_IMPORTER, "name")),
        (8, label(UNIT_IMPORTER, "kind")),
        (9, label(UNIT_IMPORTER, "liaison_phone")),
        (10, label(UNIT_IMPORTER, "name")),
        (11, label(UNIT_IMPORTER, "agreement_signed_on")),
        (12, label(UNIT_IMPORTER, "is_active")),
    }
    assert result.created == result.updated == 0
    assert not CoBuildingUnit.objects.exists()
    assert not Tag.objects.exists()
    by_row = {error.row: error.message for error in result.errors}
    assert "row 2" in by_row[10]
    assert "Government agency" in by_row[8]


def test_units_english_headers_and_labels(community_a):
    rows = [
        [" unit name ", "KIND", "Agreement signed on", "Active", "Some other column"],
        ["县教育局", "Government agency", "2023-03-01", "yes", "ignored"],
        ["县医院", "hospital", None, "false", None],
    ]

    result = run(UNIT_IMPORTER, community_a, rows)

    assert result.ok, result.errors
    assert CoBuildingUnit.objects.get(name="县教育局").agreement_signed_on == datetime.date(2023, 3, 1)
    assert CoBuildingUnit.objects.get(name="县医院").kind == CoBuildingUnit.Kind.HOSPITAL
    assert not CoBuildingUnit.objects.get(name="县医院").is_active


def test_units_of_other_communities_are_not_touched(community_a, unit_b):
    result = run(UNIT_IMPORTER, community_a, [["单位名称"], [unit_b.name]])

    assert result.created == 1
    assert CoBuildingUnit.objects.filter(name=unit_b.name).count() == 2


# Members ---------------------------------------------------------------------------------


@pytest.fixture
def roster(community_a, cell_a, cell_a2, building_a, unit_a):
    """Three members: one working in a co-building unit, two elsewhere."""
    return [
        MEMBER_HEADERS,
        ["王芳", "女", "138 0000-5678", unit_a.name, "东区网格", "1号楼", "维修, 法律", 1998,
         datetime.datetime(2024, 3, 1), "2024/03/05", "是"],
        ["李强", "男", 13900001111, "县人民医院", 2, None, None, "1985年", "2024年3月2日", None, None],
        ["赵敏", "female", 13700002222.0, f" {unit_a.name} ", "第1网格", None, "医疗", None, None, None, "否"],
    ]  # fmt: skip


def test_members_good_file_creates_them(community_a, cell_a, cell_a2, building_a, unit_a, roster):
    result = run(MEMBER_IMPORTER, community_a, roster)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    wang = PartyMember.objects.get(phone="13800005678")
    assert wang.community == community_a
    assert (wang.name, wang.gender) == ("王芳", PartyMember.Gender.FEMALE)
    assert wang.employer_unit == unit_a and wang.employer_name == ""
    assert (wang.grid_cell, wang.building) == (cell_a, building_a)
    assert tag_names(wang.skills) == {"维修", "法律"}
    assert wang.joined_party_year == 1998
    assert wang.registered_on == datetime.date(2024, 3, 1)
    assert wang.reported_on == datetime.date(2024, 3, 5) and wang.is_reported
    assert wang.source == PartyMember.Source.IMPORT
    assert wang.is_active
    li = PartyMember.objects.get(phone="13900001111")
    assert li.employer_unit is None and li.employer_name == "县人民医院"
    assert li.grid_cell == cell_a2  # by number
    assert li.building is None
    assert li.joined_party_year == 1985
    assert li.registered_on == datetime.date(2024, 3, 2)
    assert not li.is_reported
    zhao = PartyMember.objects.get(phone="13700002222")
    assert zhao.gender == PartyMember.Gender.FEMALE
    assert zhao.employer_unit == unit_a
    assert zhao.grid_cell == cell_a
    assert zhao.registered_on == timezone.localdate()
    assert not zhao.is_active


def test_members_reimport_changes_nothing(community_a, roster):
    run(MEMBER_IMPORTER, community_a, roster)

    result = run(MEMBER_IMPORTER, community_a, roster)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert PartyMember.objects.filter(community=community_a).count() == 3


def test_members_changed_cell_updates_one(community_a, cell_a2, roster):
    run(MEMBER_IMPORTER, community_a, roster)
    roster[1][4] = "西区网格"  # moves to cell 2: the building of cell 1 is dropped
    roster[1][5] = None

    result = run(MEMBER_IMPORTER, community_a, roster)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    wang = PartyMember.objects.get(phone="13800005678")
    assert (wang.grid_cell, wang.building) == (cell_a2, None)


def test_members_changed_skills_update_one(community_a, roster):
    run(MEMBER_IMPORTER, community_a, roster)
    roster[3][6] = "医疗, 心理"

    result = run(MEMBER_IMPORTER, community_a, roster)

    assert (result.updated, result.unchanged) == (1, 2)
    assert tag_names(PartyMember.objects.get(phone="13700002222").skills) == {"医疗", "心理"}


def test_members_match_existing_member_by_phone(member_a, cell_a):
    rows = [["姓名", "性别", "手机号", "工作单位", "网格"], ["张建国", "男", "138-0000-1234", "县财政局", "东区网格"]]

    result = run(MEMBER_IMPORTER, member_a.community, rows)

    assert (result.created, result.updated) == (0, 1)
    member_a.refresh_from_db()
    assert member_a.employer_unit is None and member_a.employer_name == "县财政局"
    assert member_a.registered_on == datetime.date(2023, 3, 5)  # absent column: kept
    assert member_a.source == PartyMember.Source.STAFF
    assert PartyMember.objects.count() == 1


def test_members_bad_rows_are_listed_and_nothing_is_written(community_a, cell_a, roster):
    rows = roster + [
        [None, "男", "13600000001", "某单位", "东区网格"],  # row 5: no name
        ["钱一", "男", "12345", "某单位", "东区网格"],  # row 6: bad phone
        ["孙二", "男", "13600000003", "某单位", "南区网格"],  # row 7: unknown grid cell
        ["周三", "女", "13800005678", "某单位", "东区网格"],  # row 8: same phone as row 2
        ["吴四", "男", "13600000005", "某单位", "东区网格", None, None, None, "2024-3-40"],  # row 9: bad date
        ["郑五", "男", "13600000006", "某单位", "东区网格", None, None, None, "2024-03-10", "2024-03-01"],  # row 10
        ["冯六", "人", "13600000007", "某单位", "东区网格"],  # row 11: bad gender
        ["陈七", "男", "13600000008", "某单位", "东区网格", "9号楼"],  # row 12: unknown building
        ["褚八", "男", "13600000009", "某单位", "东区网格", None, None, 1900],  # row 13: bad year
        ["卫九", "男", "13600000010", None, "东区网格"],  # row 14: no employer
    ]

    result = run(MEMBER_IMPORTER, community_a, rows)

    assert not result.ok
    assert problems(result) == {
        (5, label(MEMBER_IMPORTER, "name")),
        (6, label(MEMBER_IMPORTER, "phone")),
        (7, label(MEMBER_IMPORTER, "grid_cell")),
        (8, label(MEMBER_IMPORTER, "phone")),
        (9, label(MEMBER_IMPORTER, "registered_on")),
        (10, label(MEMBER_IMPORTER, "reported_on")),
        (11, label(MEMBER_IMPORTER, "gender")),
        (12, label(MEMBER_IMPORTER, "building")),
        (13, label(MEMBER_IMPORTER, "joined_party_year")),
        (14, label(MEMBER_IMPORTER, "employer")),
    }
    assert not PartyMember.objects.exists()
    assert not Tag.objects.exists()


def test_members_report_before_existing_registration_is_refused(member_a):
    rows = [MEMBER_HEADERS[:5] + ["报到日期"], ["张建国", "男", "13800001234", "某单位", "东区网格", "2023-01-01"]]

    result = run(MEMBER_IMPORTER, member_a.community, rows)

    assert problems(result) == {(2, label(MEMBER_IMPORTER, "reported_on"))}
    member_a.refresh_from_db()
    assert member_a.reported_on is None


def test_members_building_must_be_in_the_row_grid_cell(community_a, cell_a, cell_a2, building_a):
    rows = [MEMBER_HEADERS[:6], ["王芳", "女", "13800005678", "某单位", "西区网格", building_a.name]]

    result = run(MEMBER_IMPORTER, community_a, rows)

    assert problems(result) == {(2, label(MEMBER_IMPORTER, "building"))}


def test_members_grid_cell_by_its_display_name(community_a, cell_a):
    rows = [MEMBER_HEADERS[:5], ["王芳", "女", "13800005678", "某单位", str(cell_a)]]

    result = run(MEMBER_IMPORTER, community_a, rows)

    assert result.ok, result.errors
    assert PartyMember.objects.get().grid_cell == cell_a


def test_members_grid_cell_of_another_community_is_unknown(community_a, cell_a, cell_b):
    rows = [MEMBER_HEADERS[:5], ["王芳", "女", "13800005678", "某单位", cell_b.name]]

    result = run(MEMBER_IMPORTER, community_a, rows)

    assert problems(result) == {(2, label(MEMBER_IMPORTER, "grid_cell"))}


def test_members_english_headers(community_a, cell_a):
    headers = [column.header for column in MEMBER_IMPORTER.columns]
    assert headers[:5] == ["Name", "Gender", "Mobile phone", "Employer", "Grid cell"]
    rows = [headers, ["Wang Fang", "Female", "13800005678", "Some firm", "1"] + [None] * 6]

    result = run(MEMBER_IMPORTER, community_a, rows)

    assert result.ok, result.errors
    assert PartyMember.objects.get().gender == PartyMember.Gender.FEMALE


# Whole-file problems -----------------------------------------------------------------------


def test_missing_required_column(community_a, cell_a):
    rows = [["姓名", "性别", "工作单位", "网格"], ["王芳", "女", "某单位", "东区网格"]]

    result = run(MEMBER_IMPORTER, community_a, rows)

    assert problems(result) == {(1, label(MEMBER_IMPORTER, "phone"))}
    assert not PartyMember.objects.exists()


def test_column_given_twice(community_a):
    result = run(UNIT_IMPORTER, community_a, [["单位名称", "Unit name"], ["甲", "乙"]])

    assert problems(result) == {(1, label(UNIT_IMPORTER, "name"))}


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01garbage bytes, not a zip", "单位名称,类型\n县教育局,机关\n".encode(), b""],
    ids=["garbage", "renamed-csv", "empty-file"],
)
def test_not_an_xlsx_file(community_a, content):
    result = UNIT_IMPORTER.run(community_a, io.BytesIO(content))

    assert len(result.errors) == 1
    assert result.errors[0].row == 0
    assert ".xlsx" in result.errors[0].message
    assert not CoBuildingUnit.objects.exists()


def test_empty_sheet(community_a):
    result = run(UNIT_IMPORTER, community_a, [])

    assert [error.message for error in result.errors] == [
        "The file has no data rows: fill in the rows below the header row."
    ]


def test_headers_only(community_a):
    result = run(UNIT_IMPORTER, community_a, [UNIT_HEADERS, [None] * 11])

    assert len(result.errors) == 1
    assert "no data rows" in result.errors[0].message


def test_too_many_rows(community_a):
    rows = [["单位名称"]] + [[f"单位{number}"] for number in range(MAX_ROWS + 1)]

    result = run(UNIT_IMPORTER, community_a, rows)

    assert len(result.errors) == 1
    assert str(MAX_ROWS) in result.errors[0].message
    assert not CoBuildingUnit.objects.exists()


def test_row_error_text():
    result = IMPORTERS["units"].run(None, io.BytesIO(b"junk"))
    assert str(result.errors[0]) == result.errors[0].message  # file-level: no row
    error = type(result.errors[0])(3, "Unit name", "This value is required.")
    assert str(error) == "Row 3, Unit name: This value is required."


def test_template_lists_every_column_and_has_instructions():
    workbook = openpyxl.load_workbook(io.BytesIO(MEMBER_IMPORTER.template_bytes()))

    first, notes = workbook.worksheets
    assert [cell.value for cell in first[1]] == [column.header for column in MEMBER_IMPORTER.columns]
    assert first.max_row == 1
    assert notes.title == "Instructions"
    assert [row[0] for row in notes.iter_rows(min_row=2, max_row=12, values_only=True)] == [
        column.header for column in MEMBER_IMPORTER.columns
    ]


# Views ---------------------------------------------------------------------------------------


def upload(rows, name="roster.xlsx"):
    return SimpleUploadedFile(name, xlsx(rows), content_type="application/octet-stream")


def test_staff_imports_members(login, staff_a, community_a, roster):
    client = login(staff_a)

    response = client.post(reverse("grid:member_import"), {"file": upload(roster)})

    assert response.status_code == 302
    assert response.url == reverse("grid:member_list")
    assert PartyMember.objects.filter(community=community_a).count() == 3


def test_staff_imports_units(login, staff_a, community_a):
    client = login(staff_a)

    response = client.post(reverse("grid:unit_import"), {"file": upload(good_units())})

    assert response.status_code == 302
    assert CoBuildingUnit.objects.filter(community=community_a).count() == 4


def test_import_page_lists_the_columns(login, staff_a):
    response = login(staff_a).get(reverse("grid:member_import"))

    assert response.status_code == 200
    with translation.override("zh-hans"):  # the page is in the portal's default language
        headers = [str(column.header) for column in response.context["importer"].columns]
    assert "姓名" in headers
    for header in headers:
        assert escape(header) in response.content.decode()
    assert reverse("grid:member_import_template") in response.content.decode()


def test_bad_file_shows_the_errors_and_writes_nothing(login, staff_a, cell_a, roster):
    rows = roster + [["钱一", "男", "12345", "某单位", "东区网格"]]

    response = login(staff_a).post(reverse("grid:member_import"), {"file": upload(rows)})

    assert response.status_code == 200
    result = response.context["result"]
    assert [error.row for error in result.errors] == [5]
    content = response.content.decode()
    assert "alert-danger" in content
    assert escape(result.errors[0].message) in content
    assert escape(result.errors[0].column) in content
    assert not PartyMember.objects.exists()


def test_not_xlsx_name_is_refused_by_the_form(login, staff_a, roster):
    response = login(staff_a).post(reverse("grid:member_import"), {"file": upload(roster, name="roster.csv")})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert response.context["result"] is None
    assert not PartyMember.objects.exists()


def test_area_admin_chooses_the_community(login, area_admin, community_a, community_b, cell_b):
    rows = [MEMBER_HEADERS[:5], ["李红", "女", "13900005678", "某单位", cell_b.name]]

    response = login(area_admin).post(
        reverse("grid:member_import"), {"file": upload(rows), "community": community_b.pk}
    )

    assert response.status_code == 302
    assert PartyMember.objects.get().community == community_b


def test_template_download_is_accepted_back_with_no_data_rows(login, staff_a, community_a):
    response = login(staff_a).get(reverse("grid:unit_import_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    result = UNIT_IMPORTER.run(community_a, io.BytesIO(response.content))
    assert len(result.errors) == 1
    assert "no data rows" in result.errors[0].message


def test_template_download_headers_are_accepted(login, staff_a, community_a, cell_a):
    """Whatever the language of the downloaded template, its headers map back to the columns."""
    response = login(staff_a).get(reverse("grid:member_import_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    workbook.worksheets[0].append(["王芳", "女", "13800005678", "某单位", "东区网格"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = MEMBER_IMPORTER.run(community_a, buffer)

    assert result.ok, result.errors
    assert result.created == 1


@pytest.mark.parametrize("name", ["grid:unit_import", "grid:member_import_template"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


@pytest.mark.parametrize("name", ["grid:member_import", "grid:unit_import_template"])
def test_member_user_is_forbidden(login, member_user_a, name):
    assert login(member_user_a).get(reverse(name)).status_code == 403


def test_member_user_cannot_post(login, member_user_a, roster):
    response = login(member_user_a).post(reverse("grid:member_import"), {"file": upload(roster)})

    assert response.status_code == 403
    assert PartyMember.objects.count() == 1  # member_a only


# Commands ----------------------------------------------------------------------------------


@pytest.fixture
def units_file(tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx(good_units()))
    return path


def test_import_units_command(community_a, units_file):
    out = StringIO()

    call_command("import_units", str(units_file), community="shahejie", stdout=out)

    assert CoBuildingUnit.objects.filter(community=community_a).count() == 4
    assert "4 added" in out.getvalue()


def test_import_units_command_needs_no_community_when_there_is_one(community_a, units_file):
    call_command("import_units", str(units_file), stdout=StringIO())

    assert CoBuildingUnit.objects.filter(community=community_a).count() == 4


def test_import_units_command_requires_community_when_there_are_several(community_a, community_b, units_file):
    with pytest.raises(CommandError):
        call_command("import_units", str(units_file), stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("import_units", str(units_file), community="nowhere", stdout=StringIO())
    assert not CoBuildingUnit.objects.exists()


def test_import_units_command_reports_errors(community_a, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([["单位名称", "类型"], ["县教育局", "机关"], ["县医院", "银行"]]))
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_units", str(path), community="shahejie", stdout=StringIO(), stderr=err)

    assert f"Row 3, {label(UNIT_IMPORTER, 'kind')}:" in err.getvalue()
    assert not CoBuildingUnit.objects.exists()


def test_import_units_command_missing_file(community_a, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_units", str(tmp_path / "missing.xlsx"), community="shahejie")


def test_import_members_command(community_a, cell_a, tmp_path):
    path = tmp_path / "members.xlsx"
    path.write_bytes(xlsx([MEMBER_HEADERS[:5], ["王芳", "女", "13800005678", "某单位", "东区网格"]]))
    out = StringIO()

    call_command("import_members", str(path), community="shahejie", stdout=out)
    call_command("import_members", str(path), community="shahejie", stdout=out)

    assert PartyMember.objects.filter(community=community_a).count() == 1
    assert "1 unchanged" in out.getvalue()
