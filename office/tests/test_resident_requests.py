"""A resident's request to see or delete their personal data: the staff page
/privacy/resident/ (查阅、复制、删除)."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from audit.models import SecurityEvent
from council.models import ProxyService
from grid import services_work
from grid.models import Appeal, VisitLog
from office import reports
from office.resident_requests import records_of_resident
from volunteers.models import SpecialGroupCase
from wishes import services as wish_services
from wishes.models import MicroWish

PHONE = "13700001111"
NAME = "王秀英"
PAGE = "/privacy/resident/"
REMOVE = "/privacy/resident/remove/"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def _wish(community, cell, title, phone=PHONE, name=NAME):
    return wish_services.wish_submit(
        wish=MicroWish(
            community=community, grid_cell=cell, category="health", title=title, wisher_name=name, wisher_phone=phone,
            address_detail="3单元502室", description=f"{name}腿脚不便，电话{phone}",
        )
    )


def _appeal(community, cell, title, phone=PHONE):
    return services_work.appeal_submit(
        appeal=Appeal(
            community=community, grid_cell=cell, category="assistance", title=title, resident_name=NAME,
            resident_phone=phone, address_detail="3单元502室",
        )
    )


@pytest.fixture
def held(community_a, community_b, cell_a, cell_b, staff_a, member_user_a, grid_worker_a):
    """The resident's records in community A: finished and unfinished ones of
    each kind; the same number in community B; another resident in A."""
    fulfilled = _wish(community_a, cell_a, "需要一副拐杖")
    fulfilled = wish_services.wish_approve(wish=fulfilled, by=staff_a)
    fulfilled = wish_services.wish_claim(wish=fulfilled, by=member_user_a)
    fulfilled = wish_services.wish_deliver(wish=fulfilled, by=member_user_a, note=f"送给{NAME}了")
    fulfilled = wish_services.wish_confirm(wish=fulfilled, by=staff_a)
    waiting = _wish(community_a, cell_a, "想要一个助听器")
    closed = _appeal(community_a, cell_a, "申请残疾人补贴")
    closed = services_work.appeal_answer(appeal=closed, by=staff_a, answer="已办理")
    closed = services_work.appeal_close(appeal=closed, by=staff_a)
    open_appeal = _appeal(community_a, cell_a, "楼道灯坏了")
    solved = SpecialGroupCase.objects.create(
        community=community_a, group="disabled", resident_name=NAME, resident_phone="137-0000-1111", grid_cell=cell_a,
        address_detail="3单元502室", problem="轮椅坏了", description=f"{NAME}行动不便", status="solved",
        solved_on=timezone.localdate(), action_taken="修好了轮椅",
    )
    open_case = SpecialGroupCase.objects.create(
        community=community_a, group="low_income", resident_name=NAME, resident_phone=PHONE, problem="生活困难",
    )
    done = ProxyService.objects.create(
        community=community_a, kind="subsidy", resident_name=NAME, resident_phone=PHONE, status="done",
        received_on=datetime.date(2024, 5, 1), done_on=datetime.date(2024, 5, 3), description="残疾人补贴申请",
    )
    received = ProxyService.objects.create(community=community_a, kind="payment", resident_name=NAME, resident_phone=PHONE)
    visit = VisitLog.objects.create(
        community=community_a, grid_cell=cell_a, household=f"3单元502室 {NAME}", kind=VisitLog.Kind.CARE,
        findings=f"{NAME}（{PHONE}）说补贴还没到。", visitor=grid_worker_a, appeal=closed,
    )
    follow_up = VisitLog.objects.create(
        community=community_a, grid_cell=cell_a, household="3单元502室", kind=VisitLog.Kind.CARE,
        findings=f"留了电话{PHONE}，下周再来。", visitor=grid_worker_a, follow_up_needed=True,
    )
    elsewhere = _wish(community_b, cell_b, "北关的心愿")
    neighbour = _wish(community_a, cell_a, "邻居的心愿", phone="13700002222", name="李桂兰")
    return {
        "fulfilled": fulfilled, "waiting": waiting, "closed": closed, "open_appeal": open_appeal, "solved": solved,
        "open_case": open_case, "done": done, "received": received, "visit": visit, "follow_up": follow_up,
        "elsewhere": elsewhere, "neighbour": neighbour,
    }


def look_up(client, user, phone="137 0000 1111", **extra):
    client.force_login(user)
    response = client.post(PAGE, {"phone": phone, **extra})
    assert response.status_code == 302 and response["Location"] == PAGE
    return client.get(PAGE)


def test_everything_held_under_the_number_is_listed(client, staff_a, held):
    response = look_up(client, staff_a)
    page = response.content.decode()
    for title in ["需要一副拐杖", "想要一个助听器", "申请残疾人补贴", "楼道灯坏了", "轮椅坏了", "生活困难", "残疾人补贴申请"]:
        assert title in page, title
    assert "说补贴还没到" in page and "下周再来" in page  # the visit logs tied to the appeal or naming the number
    assert "北关的心愿" not in page and "邻居的心愿" not in page  # another community; another resident
    assert "Copy of the personal data held about you" in page and "data-print" in page
    sections = {section.key: len(section.records) for section in response.context["held"].sections}
    assert sections == {"wishes": 2, "appeals": 2, "cases": 2, "proxies": 2, "visits": 2, "members": 0}


def test_the_number_never_travels_in_a_url(client, staff_a, held):
    client.force_login(staff_a)
    response = client.post(PAGE, {"phone": PHONE})
    assert PHONE not in response["Location"]
    page = client.get(PAGE).content.decode()
    assert f'action="{REMOVE}"' in page and PHONE not in REMOVE


def test_a_party_members_registration_is_listed_but_not_removed_here(client, staff_a, member_a):
    page = look_up(client, staff_a, phone=member_a.phone).content.decode()
    assert member_a.name in page and "changed or removed on the member's page" in page


def test_a_number_with_nothing_held(client, staff_a, held):
    response = look_up(client, staff_a, phone="13999999999")
    assert "holds no record under this phone number" in response.content.decode()
    assert not SecurityEvent.objects.filter(event_type=SecurityEvent.Type.PERSONAL_DATA_VIEWED).exists()


def test_a_short_number_is_refused(client, staff_a):
    client.force_login(staff_a)
    response = client.post(PAGE, {"phone": "1111"})
    assert response.status_code == 200 and "phone" in response.context["form"].errors


def test_showing_the_copy_is_in_the_security_log(client, staff_a, held):
    look_up(client, staff_a)
    entry = SecurityEvent.objects.get(event_type=SecurityEvent.Type.PERSONAL_DATA_VIEWED)
    assert entry.actor == staff_a
    assert "137****1111" in entry.description and PHONE not in entry.description


def test_another_communitys_staff_see_their_own_community_only(client, staff_b, held):
    page = look_up(client, staff_b).content.decode()
    assert "北关的心愿" in page and "需要一副拐杖" not in page


def test_an_area_admin_chooses_the_community(client, area_admin, community_a, held):
    client.force_login(area_admin)
    response = client.post(PAGE, {"phone": PHONE})
    assert "community" in response.context["form"].errors
    page = look_up(client, area_admin, community=community_a.pk).content.decode()
    assert "需要一副拐杖" in page and "北关的心愿" not in page


def test_finishing_forgets_the_number(client, staff_a, held):
    look_up(client, staff_a)
    client.post(PAGE, {"clear": "1"})
    response = client.get(PAGE)
    assert response.context["held"] is None and "需要一副拐杖" not in response.content.decode()


# Deleting ---------------------------------------------------------------------------------


def test_removing_needs_the_confirmation(client, staff_a, held):
    look_up(client, staff_a)
    response = client.post(REMOVE, {}, follow=True)
    assert "Tick the box to confirm." in response.content.decode()
    assert not MicroWish.objects.filter(anonymised_at__isnull=False).exists()


def test_removing_without_a_lookup_does_nothing(client, staff_a, held):
    client.force_login(staff_a)
    response = client.post(REMOVE, {"confirm": "on"}, follow=True)
    assert "Look the resident up by their phone number first." in response.content.decode()
    assert not MicroWish.objects.filter(anonymised_at__isnull=False).exists()


def test_finished_records_lose_the_data_and_unfinished_ones_are_named(client, staff_a, held):
    today = timezone.localdate()
    year = (datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31))
    figures_before = reports.figures(*year)
    look_up(client, staff_a)
    response = client.post(REMOVE, {"confirm": "on"}, follow=True)
    page = response.content.decode()
    assert "removed from 5 finished records" in page  # a wish, an appeal, a case, an errand, a visit log
    for title in ["想要一个助听器", "楼道灯坏了", "生活困难", "Bills and payments"]:  # named as not finished
        assert title in str([str(m) for m in response.context["messages"]]), title

    for key in ("fulfilled", "closed", "solved", "done"):
        record = type(held[key]).objects.get(pk=held[key].pk)
        assert record.anonymised_at is not None, key
        name = getattr(record, "wisher_name", None) or record.resident_name
        assert name == "王**", key
        phone = getattr(record, "wisher_phone", None) or record.resident_phone
        assert phone.startswith("x"), key
    wish = MicroWish.objects.get(pk=held["fulfilled"].pk)
    assert wish.address_detail == "" and PHONE not in wish.description and NAME not in wish.delivery_note
    case = SpecialGroupCase.objects.get(pk=held["solved"].pk)
    assert case.address_detail == "" and NAME not in case.description
    assert case.problem == "轮椅坏了" and case.status == "solved" and case.group == "disabled"  # what the figures count

    for key in ("waiting", "open_appeal", "open_case", "received"):  # unfinished: untouched
        record = type(held[key]).objects.get(pk=held[key].pk)
        assert record.anonymised_at is None, key
    visit = VisitLog.objects.get(pk=held["visit"].pk)
    assert PHONE not in visit.findings and NAME not in visit.findings and NAME not in visit.household
    assert "说补贴还没到" in visit.findings
    assert PHONE in VisitLog.objects.get(pk=held["follow_up"].pk).findings  # follow-up still open

    for other in ("elsewhere", "neighbour"):
        assert MicroWish.objects.get(pk=held[other].pk).anonymised_at is None
    assert reports.figures(*year) == figures_before


def test_removing_is_in_the_security_log(client, staff_a, held):
    look_up(client, staff_a)
    client.post(REMOVE, {"confirm": "on"})
    entries = SecurityEvent.objects.filter(description__contains="removed at the resident's request")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.event_type == SecurityEvent.Type.PERSONAL_DATA_REMOVED
    assert entry.actor == staff_a and "137****1111" in entry.description and "5 records" in entry.description


def test_after_removal_the_number_finds_only_the_unfinished_records(client, staff_a, community_a, held):
    look_up(client, staff_a)
    client.post(REMOVE, {"confirm": "on"})
    left = records_of_resident(community_a, PHONE)
    assert {section.key: len(section.records) for section in left.sections} == {
        "wishes": 1, "appeals": 1, "cases": 1, "proxies": 1, "visits": 1, "members": 0,
    }


def test_removing_twice_is_harmless(client, staff_a, held):
    look_up(client, staff_a)
    client.post(REMOVE, {"confirm": "on"})
    response = client.post(REMOVE, {"confirm": "on"}, follow=True)
    assert "No finished record" in response.content.decode() or "not finished yet" in response.content.decode()
    assert MicroWish.objects.filter(anonymised_at__isnull=False).count() == 1


def test_the_page_names_the_printed_copy_without_staff_instructions(client, staff_a, held):
    page = look_up(client, staff_a).content.decode()
    assert 'class="page-header d-print-none"' in page and 'card border-danger mt-4 d-print-none' in page


def test_a_case_without_a_phone_keeps_none_when_anonymised(community_a):
    from volunteers.services import cases_anonymise

    case = SpecialGroupCase.objects.create(
        community=community_a, group="child", resident_name="小明", problem="缺书包", status="solved",
        solved_on=timezone.localdate(), action_taken="送了书包",
    )
    assert cases_anonymise(SpecialGroupCase.objects.all()) == 1
    case.refresh_from_db()
    assert case.resident_phone == "" and case.resident_name == "小*" and case.anonymised_at is not None


def test_an_open_case_is_never_anonymised_by_the_service(community_a):
    from volunteers.services import cases_anonymise

    SpecialGroupCase.objects.create(community=community_a, group="child", resident_name="小明", problem="缺书包")
    assert cases_anonymise(SpecialGroupCase.objects.all()) == 0
