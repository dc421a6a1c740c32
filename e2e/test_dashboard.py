"""Staff open the dashboard for 2023 and download the figures as an Excel file."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
from django.utils import timezone
from playwright.sync_api import expect

from e2e.browsing import zh
from grid.models import PartyMember
from volunteers.models import Participation, VolunteerEvent


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_staff_see_a_period_s_figures_and_download_them(browse, community_a, cell_a, unit_a, staff_a, builtin_kind):
    # 2023: 4 members registered, 3 of them reported (75 %); 2 events held, 2.5 approved hours.
    members = [
        PartyMember.objects.create(
            community=community_a, name=name, gender=PartyMember.Gender.FEMALE, phone=f"1380000{index:04d}",
            employer_unit=unit_a, grid_cell=cell_a, registered_on=datetime.date(2023, 3, 1),
            reported_on=datetime.date(2023, 4, 1) if index < 3 else None,
        )
        for index, name in enumerate(["赵丽", "钱敏", "孙芳", "李静"])
    ]
    PartyMember.objects.create(  # registered in 2024: not counted in 2023
        community=community_a, name="周强", gender=PartyMember.Gender.MALE, phone="13800009999",
        employer_unit=unit_a, registered_on=datetime.date(2024, 2, 1), reported_on=datetime.date(2024, 2, 2),
    )
    for month in (5, 9):
        day = datetime.date(2023, month, 10)
        event = VolunteerEvent.objects.create(
            community=community_a, title=f"{month}月政策宣传", kind=builtin_kind("policy"),
            starts_at=_at(day, 9), ends_at=_at(day, 11), place="社区党群服务中心",
            status=VolunteerEvent.Status.DONE,
        )
    Participation.objects.create(
        event=event, member=members[0], signed_up_at=_at(day, 8), checked_in_at=_at(day, 9),
        hours=Decimal("2.5"), hours_approved_at=_at(day, 12), hours_approved_by=staff_a,
    )

    staff = browse.login(staff_a)
    expect(staff.page.locator("h1")).to_have_text(community_a.name)
    period = staff.page.locator("main form[method=get]").first
    period.locator("input[name=from]").fill("2023-01-01")
    period.locator("input[name=to]").fill("2023-12-31")
    staff.click(period.get_by_role("button", name=zh("Show")))

    section = staff.page.locator("section[aria-labelledby=period-heading]")
    expect(section.locator("h2")).to_contain_text("2023-01-01")
    expect(section.locator("h2")).to_contain_text("2023-12-31")

    def card(label):
        return section.locator(".stat-card", has=staff.page.get_by_text(label, exact=True))

    expect(card(zh("In-service party members")).locator(".display-6")).to_have_text("4")
    expect(card(zh("Reported")).locator(".display-6")).to_have_text("3")
    expect(card(zh("Reported"))).to_contain_text("75")
    expect(card(zh("Volunteer events held")).locator(".display-6")).to_have_text("2")
    expect(card(zh("Approved volunteer hours")).locator(".display-6")).to_have_text("2.5")
    # The four charts are drawn (Chart.js keeps a chart for each canvas it drew on).
    expect(staff.page.locator("canvas[id^=chart-]")).to_have_count(4)
    staff.page.wait_for_function("() => [...document.querySelectorAll('canvas[id^=chart-]')].every(c => Chart.getChart(c))")

    with staff.page.expect_download() as download_info:
        section.get_by_role("link", name=zh("Excel")).click()
    download = download_info.value
    assert download.suggested_filename == "figures-20230101-20231231.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    sheet = workbook[zh("Figures")]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert values[zh("In-service party members")] == 4
    assert values[zh("Reported")] == 3
    assert values[zh("Reporting rate")] == 0.75
    assert values[zh("Volunteer events held")] == 2
    assert values[zh("Approved volunteer hours")] == 2.5
    assert "2023-01-01" in sheet["A1"].value and community_a.name in sheet["A1"].value

    # The same file prepared in the background (inline here: no broker), then downloaded
    # from the list of the user's exports.
    staff.click(section.get_by_role("link", name=zh("Prepare Excel in the background")))
    staff.check()
    expect(staff.page.locator("main form[method=post]")).to_contain_text("2023-01-01 – 2023-12-31")
    staff.click(staff.page.get_by_role("button", name=zh("Prepare the file")))
    staff.check()
    ready = staff.page.locator("main .list-group-item")
    expect(ready).to_have_count(1)
    with staff.page.expect_download() as download_info:
        ready.get_by_role("link", name=zh("Download")).click()
    prepared = openpyxl.load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    assert {row[0]: row[1] for row in prepared[zh("Figures")].iter_rows(min_row=3, values_only=True) if row[0]} == values
