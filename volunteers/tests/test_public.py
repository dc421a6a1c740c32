"""The public calendar, the public event page and the check-in sheet for the venue."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from grid.models import PartyMember
from volunteers import services
from volunteers.models import EventKind, VolunteerEvent
from volunteers.tests.conftest import builtin_kind

E = VolunteerEvent.Status
DAY = datetime.timedelta(days=1)
CALENDAR = reverse("volunteers:calendar")


def titles(response):
    return [event.title for event in response.context["events"]]


@pytest.fixture
def signed_up(make_event, member_a):
    """An upcoming event with capacity 3 that member_a signed up for."""
    event = make_event(title="义剪进楼院", capacity=3, kind_code="haircut")
    services.event_sign_up(event=event, member=member_a)
    return event


# The calendar -----------------------------------------------------------------------------------------


def test_calendar_lists_upcoming_soonest_first_then_recent_latest_first(client, make_event):
    now = timezone.now()
    make_event(title="下周", starts_at=now + 7 * DAY)
    make_event(title="明天", starts_at=now + DAY)
    make_event(title="上周", starts_at=now - 7 * DAY, status=E.DONE)
    make_event(title="昨天", starts_at=now - DAY)
    make_event(title="两个月前", starts_at=now - 60 * DAY, status=E.DONE)
    make_event(title="取消了", starts_at=now + 2 * DAY, status=E.CANCELLED)
    response = client.get(CALENDAR)
    assert response.status_code == 200
    assert titles(response) == ["明天", "下周", "昨天", "上周"]
    page = response.content.decode()
    assert page.index("Coming up") < page.index("明天") < page.index("Recent events") < page.index("昨天")
    assert "取消了" not in page and "两个月前" not in page


def test_calendar_shows_what_a_visitor_needs_and_no_personal_data(client, signed_up, member_a, cell_a, community_a):
    from volunteers.models import VolunteerTeam

    team = VolunteerTeam.objects.create(community=community_a, name="小红兴志愿服务一队", leader=member_a)
    VolunteerEvent.objects.filter(pk=signed_up.pk).update(grid_cell=cell_a, team=team)
    page = client.get(CALENDAR).content.decode()
    for text in ["义剪进楼院", "Free haircuts", "社区党群服务中心", cell_a.name, "小红兴志愿服务一队", "Planned", "1 signed up", "2 places left"]:
        assert text in page, text
    assert member_a.name not in page and member_a.phone not in page and "138****1234" not in page
    assert reverse("volunteers:sign_up", args=[signed_up.pk]) not in page  # anonymous: no button
    assert "log in to sign up" in page


def test_a_full_event_says_so(client, make_event, member_a):
    event = make_event(capacity=1)
    services.event_sign_up(event=event, member=member_a)
    page = client.get(CALENDAR).content.decode()
    assert "Full" in page and "0 places left" in page


def test_calendar_filters_by_kind_and_cell(client, make_event, cell_a, cell_a2):
    make_event(title="东区义剪", kind_code="haircut", grid_cell=cell_a)
    make_event(title="西区义剪", kind_code="haircut", grid_cell=cell_a2)
    make_event(title="东区义诊", kind_code="clinic", grid_cell=cell_a)
    haircut = builtin_kind("haircut")
    assert sorted(titles(client.get(CALENDAR, {"kind": haircut.pk}))) == ["东区义剪", "西区义剪"]
    assert sorted(titles(client.get(CALENDAR, {"cell": cell_a.pk}))) == ["东区义剪", "东区义诊"]
    assert titles(client.get(CALENDAR, {"kind": haircut.pk, "cell": cell_a2.pk})) == ["西区义剪"]


def test_calendar_offers_the_communitys_own_kinds(client, make_event, community_a, community_b):
    EventKind.objects.create(community=community_a, code="flag", name="升旗仪式")
    EventKind.objects.create(community=community_b, code="opera", name="秦腔演出")
    page = client.get(CALENDAR, {"c": community_a.code}).content.decode()
    assert "升旗仪式" in page and "秦腔演出" not in page


def test_calendar_filters_by_community_when_there_are_several(client, make_event, community_a, community_b):
    make_event(title="沙河街的活动")
    make_event(title="北关的活动", community=community_b)
    assert sorted(titles(client.get(CALENDAR))) == ["北关的活动", "沙河街的活动"]
    assert titles(client.get(CALENDAR, {"c": community_b.code})) == ["北关的活动"]
    page = client.get(CALENDAR).content.decode()
    assert "沙河街社区" in page and "北关社区" in page  # each card names its community


@pytest.mark.parametrize(
    "params", [{"kind": "abc"}, {"kind": "99999"}, {"cell": "x"}, {"cell": "99999"}, {"c": "nowhere"}, {"page": "zz"}, {"page": "999"}]
)
def test_bad_filter_values_are_ignored(client, make_event, community_b, params):
    make_event(title="沙河街的活动")
    response = client.get(CALENDAR, params)
    assert response.status_code == 200
    assert "沙河街的活动" in titles(response)


def test_a_member_sees_their_own_community_first(client, member_user_a, make_event, community_b):
    make_event(title="沙河街的活动")
    make_event(title="北关的活动", community=community_b)
    client.force_login(member_user_a)
    assert titles(client.get(CALENDAR)) == ["沙河街的活动"]
    assert sorted(titles(client.get(CALENDAR, {"c": ""}))) == ["北关的活动", "沙河街的活动"]


def test_calendar_query_count_is_constant(client, django_assert_max_num_queries, community_a, cell_a, member_user_a, member_a):
    kind = builtin_kind("policy")
    start = timezone.now() + DAY
    events = VolunteerEvent.objects.bulk_create(
        VolunteerEvent(
            community=community_a, title=f"活动 {i}", kind=kind, grid_cell=cell_a, place="广场", capacity=10,
            starts_at=start + i * datetime.timedelta(hours=3), ends_at=start + i * datetime.timedelta(hours=3) + datetime.timedelta(hours=2),
            checkin_code=f"C{i:05d}",
        )
        for i in range(300)
    )
    for event in events[:5]:
        services.event_sign_up(event=event, member=member_a)
    client.force_login(member_user_a)
    with django_assert_max_num_queries(10):  # 8 + the session and the user
        response = client.get(CALENDAR, {"cell": cell_a.pk, "kind": kind.pk})
    assert len(response.context["events"]) == 20
    page = response.content.decode()
    assert page.count("Signed up ✓") == 5 and "9 places left" in page
    client.logout()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_assert_max_num_queries(8):
        assert client.get(CALENDAR).status_code == 200


# The public event page ------------------------------------------------------------------------------------------


def test_event_page_shows_how_many_signed_up_not_who(client, signed_up, member_a, community_a):
    other = PartyMember.objects.create(community=community_a, name="赵敏", gender="female", phone="13800005555")
    services.event_sign_up(event=signed_up, member=other)
    response = client.get(reverse("volunteers:event_public", args=[signed_up.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "义剪进楼院" in page and "2 signed up" in page and "1 place left" in page
    assert member_a.name not in page and "赵敏" not in page and member_a.phone not in page
    assert signed_up.checkin_code not in page  # the code is for the venue only


def test_event_page_of_a_held_event_shows_the_summary(client, make_event):
    event = make_event(starts_at=timezone.now() - 3 * DAY)
    services.event_mark_held(event=event, summary="为 40 位老人理发", residents_served=40)
    page = client.get(reverse("volunteers:event_public", args=[event.pk])).content.decode()
    assert "为 40 位老人理发" in page and "Held" in page and "40" in page
    assert reverse("volunteers:sign_up", args=[event.pk]) not in page


def test_unknown_event_is_404(client, db):
    assert client.get(reverse("volunteers:event_public", args=[999999])).status_code == 404


# The check-in sheet ----------------------------------------------------------------------------------------------


SHEET_ACTORS = ["area_admin", "staff_a", "staff_b", "grid_worker_a", "member_user_a", "liaison_a"]


@pytest.fixture
def everyone(request, area_admin, staff_a, staff_b, grid_worker_a, member_user_a, liaison_a):
    return {name: request.getfixturevalue(name) for name in SHEET_ACTORS}


def test_checkin_sheet_anonymous_goes_to_login(client, make_event):
    url = reverse("volunteers:checkin_sheet", args=[make_event().pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize(
    "actor, status",
    [("area_admin", 200), ("staff_a", 200), ("staff_b", 404), ("grid_worker_a", 403), ("member_user_a", 403), ("liaison_a", 403)],
)
def test_checkin_sheet_permissions(client, everyone, make_event, actor, status):
    event = make_event()
    client.force_login(everyone[actor])
    assert client.get(reverse("volunteers:checkin_sheet", args=[event.pk])).status_code == status


def test_checkin_sheet_shows_the_code_and_a_qr_code_of_the_checkin_url(client, staff_a, make_event):
    event = make_event(title="义诊进社区")
    client.force_login(staff_a)
    page = client.get(reverse("volunteers:checkin_sheet", args=[event.pk])).content.decode()
    assert "义诊进社区" in page and event.checkin_code in page and "<svg" in page
    assert "http://testserver" + reverse("volunteers:checkin_code", args=[event.checkin_code]) in page
    assert "css/poster.css" in page


def test_checkin_sheet_of_an_unknown_event_is_404(client, area_admin):
    client.force_login(area_admin)
    assert client.get(reverse("volunteers:checkin_sheet", args=[999999])).status_code == 404
