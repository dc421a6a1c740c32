"""A grid worker logs a door-knocking visit on their phone and turns what they found into an appeal."""

from django.utils import timezone
from playwright.sync_api import expect

from e2e.browsing import zh
from grid.models import Appeal, VisitLog

FINDINGS = "3单元楼道灯坏了一个多月，老人晚上下楼不方便。"


def test_a_grid_worker_logs_a_visit_and_turns_it_into_an_appeal(browse, community_a, cell_a, building_a, grid_worker_a):
    worker = browse.login(grid_worker_a)
    worker.menu(zh("Log a visit"))
    form = worker.page.locator("main form")
    visited_on = form.locator("input[name=visited_on]")
    if not visited_on.input_value():  # today, unless the form already says so
        visited_on.fill(timezone.localdate().isoformat())
    form.locator("select[name=grid_cell]").select_option(label=str(cell_a))
    form.locator("select[name=building]").select_option(label=f"{cell_a.name} · {building_a.name}")
    form.locator("input[name=household]").fill("3单元201 李大爷家")
    worker.choose(zh(VisitLog.Kind.CARE.label))
    form.locator("textarea[name=findings]").fill(FINDINGS)
    worker.tick(form.locator("input[name=follow_up_needed]"))
    worker.submit(zh("Save"))

    expect(worker.message()).to_contain_text(zh("The visit is recorded."))
    expect(worker.page.locator("h1")).to_contain_text("3单元201 李大爷家")
    record = worker.page.locator("dl.record")
    expect(record).to_contain_text(FINDINGS)
    expect(record).to_contain_text(zh("needed, not done yet"))
    expect(worker.page.locator("h1")).to_contain_text(zh("follow-up open"))

    worker.follow(zh("Turn into an appeal"))
    expect(worker.page.locator("textarea[name=description]")).to_have_value(FINDINGS)  # the findings, to start from
    worker.choose(zh(Appeal.Category.FACILITIES.label))
    worker.page.locator("input[name=title]").fill("3单元楼道灯不亮")
    worker.page.locator("input[name=resident_name]").fill("李建华")
    worker.page.locator("input[name=resident_phone]").fill("13900002222")
    worker.submit(zh("Save"))

    expect(worker.message()).to_contain_text(zh("The appeal is recorded."))
    expect(worker.page.locator("h1")).to_contain_text("3单元楼道灯不亮")
    expect(worker.page.locator("h1 .badge").first).to_have_text(zh(Appeal.Status.RECEIVED.label))
    appeal = Appeal.objects.get()
    expect(worker.page.locator("#tracking-code")).to_have_text(appeal.code_display)
    record = worker.page.locator("dl.record")
    expect(record).to_contain_text(zh(Appeal.Category.FACILITIES.label))
    expect(record).to_contain_text("13900002222")
    expect(record).to_contain_text(zh(Appeal.Source.VISIT.label))

    # The visit now links to its appeal.
    worker.follow(zh("the visit"))
    expect(worker.page.locator("dl.record")).to_contain_text(appeal.code_display)
    expect(worker.page.get_by_role("link", name=zh("Turn into an appeal"))).to_have_count(0)
    assert VisitLog.objects.get().appeal == appeal
