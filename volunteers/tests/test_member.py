"""Members: sign-up and withdrawal, check-in (typed code and QR link), my service record,
and the service shown on the member's and the unit's pages."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from grid.models import PartyMember
from portal.models import User
from volunteers import services
from volunteers.models import Participation

H = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
ACTORS = ["area_admin", "staff_a", "grid_worker_a", "member_user_a", "liaison_a"]


@pytest.fixture
def everyone(request, member_user_a, liaison_a, grid_worker_a, staff_a, area_admin):
    return {name: request.getfixturevalue(name) for name in ACTORS}


@pytest.fixture
def event(make_event):
    """Upcoming, in community A."""
    return make_event(title="政策宣传进楼院")


@pytest.fixture
def running(make_event):
    """Started an hour ago, ends in an hour: check-in is open."""
    return make_event(title="义诊进社区", starts_at=timezone.now() - H, kind_code="clinic")


@pytest.fixture
def member_client(client, member_user_a):
    client.force_login(member_user_a)
    return client


def flashed(response, level=None):
    return [str(m) for m in get_messages(response.wsgi_request) if level is None or m.level_tag == level]


def other_member(community, n=1):
    return PartyMember.objects.create(community=community, name=f"党员{n}", gender="female", phone=f"1380000{n:04d}")


# The permission matrix -----------------------------------------------------------------------------------


def member_urls(event):
    return [
        reverse("volunteers:checkin"),
        reverse("volunteers:checkin_code", args=[event.checkin_code]),
        reverse("volunteers:my"),
    ]


def test_anonymous_is_sent_to_login_and_back(client, event):
    for url in member_urls(event):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('portal:login')}?next={url}"


@pytest.mark.parametrize("actor", ACTORS)
def test_member_pages_are_for_members_only(client, everyone, event, actor):
    client.force_login(everyone[actor])
    for url in member_urls(event):
        assert client.get(url).status_code == (200 if actor == "member_user_a" else 403), url


@pytest.mark.parametrize("name", ["volunteers:sign_up", "volunteers:withdraw"])
def test_sign_up_and_withdraw_are_post_only(member_client, event, name):
    assert member_client.get(reverse(name, args=[event.pk])).status_code == 405


@pytest.mark.parametrize("name", ["volunteers:sign_up", "volunteers:withdraw"])
def test_sign_up_and_withdraw_anonymous_go_to_login(client, event, name):
    response = client.post(reverse(name, args=[event.pk]))
    event_page = reverse("volunteers:event_public", args=[event.pk])
    assert response.status_code == 302 and response["Location"] == f"{reverse('portal:login')}?next={event_page}"
    assert not Participation.objects.exists()


@pytest.mark.parametrize("name", ["volunteers:sign_up", "volunteers:withdraw"])
@pytest.mark.parametrize("actor", ["area_admin", "staff_a", "grid_worker_a", "liaison_a"])
def test_sign_up_and_withdraw_are_for_members_only(client, everyone, event, name, actor):
    client.force_login(everyone[actor])
    assert client.post(reverse(name, args=[event.pk])).status_code == 403


@pytest.mark.parametrize("name", ["volunteers:sign_up", "volunteers:withdraw"])
def test_an_event_of_another_community_is_404(member_client, make_event, community_b, name):
    elsewhere = make_event(community=community_b)
    assert member_client.post(reverse(name, args=[elsewhere.pk])).status_code == 404
    assert not Participation.objects.exists()


def test_checked_in_page_of_an_event_not_checked_in_is_404(member_client, event):
    assert member_client.get(reverse("volunteers:checked_in", args=[event.pk])).status_code == 404


def test_a_member_login_without_a_member_record_gets_a_friendly_message(client, community_a, event):
    client.force_login(make_user("lonely", User.Role.MEMBER, community_a))
    for url in member_urls(event):
        response = client.get(url)
        assert response.status_code == 200
        assert "not linked to a party member record" in response.content.decode()
    response = client.post(reverse("volunteers:sign_up", args=[event.pk]))
    assert "not linked to a party member record" in " ".join(flashed(response, "error"))
    assert not Participation.objects.exists()


# Sign-up and withdrawal --------------------------------------------------------------------------------------


def test_member_signs_up_and_withdraws_from_the_calendar(member_client, event, member_a):
    calendar = reverse("volunteers:calendar")
    page = member_client.get(calendar).content.decode()
    assert reverse("volunteers:sign_up", args=[event.pk]) in page

    response = member_client.post(reverse("volunteers:sign_up", args=[event.pk]), {"next": calendar})
    assert response.status_code == 302 and response["Location"] == calendar
    assert "You are signed up for “政策宣传进楼院”" in flashed(response, "success")[0]
    assert Participation.objects.active().get().member == member_a
    page = member_client.get(calendar).content.decode()
    assert "Signed up ✓" in page and reverse("volunteers:withdraw", args=[event.pk]) in page

    response = member_client.post(reverse("volunteers:withdraw", args=[event.pk]), {"next": calendar})
    assert response["Location"] == calendar
    assert "You have withdrawn" in flashed(response, "success")[0]
    assert not Participation.objects.active().exists()


def test_sign_up_from_the_event_page_returns_there(member_client, event):
    url = reverse("volunteers:event_public", args=[event.pk])
    assert reverse("volunteers:sign_up", args=[event.pk]) in member_client.get(url).content.decode()
    response = member_client.post(reverse("volunteers:sign_up", args=[event.pk]))
    assert response["Location"] == url
    assert "Signed up ✓" in member_client.get(url).content.decode()


def test_next_must_be_a_local_url(member_client, event):
    response = member_client.post(reverse("volunteers:sign_up", args=[event.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("volunteers:event_public", args=[event.pk])


def test_a_full_event_says_so(member_client, make_event, community_a):
    event = make_event(capacity=1)
    services.event_sign_up(event=event, member=other_member(community_a))
    response = member_client.post(reverse("volunteers:sign_up", args=[event.pk]))
    assert flashed(response, "error") == ["Sorry, this event is full."]
    assert event.participations.active().count() == 1


def test_a_clash_says_which_event(member_client, make_event, member_a):
    first = make_event(title="义剪进楼院")
    services.event_sign_up(event=first, member=member_a)
    clash = make_event(starts_at=first.starts_at + H)
    response = member_client.post(reverse("volunteers:sign_up", args=[clash.pk]))
    assert "义剪进楼院" in flashed(response, "error")[0]
    assert not clash.participations.exists()


def test_withdraw_after_the_start_is_refused(member_client, running, member_a):
    Participation.objects.create(event=running, member=member_a, signed_up_at=timezone.now() - DAY)
    response = member_client.post(reverse("volunteers:withdraw", args=[running.pk]))
    assert "no longer withdraw" in flashed(response, "error")[0]
    assert running.participations.active().count() == 1


# Check-in with the typed code -------------------------------------------------------------------------------


def test_check_in_with_the_code_typed_lowercase_with_spaces(member_client, running, member_a):
    typed = " ".join([running.checkin_code[:3].lower(), running.checkin_code[3:]])
    response = member_client.post(reverse("volunteers:checkin"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == reverse("volunteers:checked_in", args=[running.pk])
    participation = Participation.objects.get(event=running, member=member_a)
    assert participation.checked_in_at is not None and participation.hours == Decimal("2.0")
    page = member_client.get(response["Location"]).content.decode()
    assert "You are checked in" in page and "义诊进社区" in page and "Service hours: 2.0" in page


@pytest.mark.parametrize("typed", ["ZZZZZ", "ZZZZZZ", "??????", ""])
def test_a_wrong_code_is_refused_clearly(member_client, running, typed):
    if typed == running.checkin_code:
        pytest.skip("the random code happens to be ZZZZZZ")
    response = member_client.post(reverse("volunteers:checkin"), {"code": typed})
    assert response.status_code == 200
    page = response.content.decode()
    if typed:
        assert "The check-in code is not right" in page
    assert not Participation.objects.exists()


def test_the_code_of_another_communitys_event_is_a_wrong_code(member_client, make_event, community_b):
    elsewhere = make_event(community=community_b, starts_at=timezone.now() - H)
    response = member_client.post(reverse("volunteers:checkin"), {"code": elsewhere.checkin_code})
    assert "The check-in code is not right" in response.content.decode()
    assert not Participation.objects.exists()


def test_check_in_outside_the_window_is_refused(member_client, make_event):
    later = make_event(starts_at=timezone.now() + 2 * H + 5 * 60 * datetime.timedelta(seconds=1))
    response = member_client.post(reverse("volunteers:checkin"), {"code": later.checkin_code})
    assert response.status_code == 200
    assert "Check-in is open from 2 hours before the start" in response.content.decode()
    assert not Participation.objects.exists()


def test_checking_in_twice_says_already_checked_in(member_client, running):
    member_client.post(reverse("volunteers:checkin"), {"code": running.checkin_code})
    response = member_client.post(reverse("volunteers:checkin"), {"code": running.checkin_code})
    assert "already checked in" in response.content.decode()
    assert Participation.objects.attended().count() == 1


# Check-in with the QR code's link -----------------------------------------------------------------------------


def test_the_qr_link_asks_before_checking_in(member_client, running):
    url = reverse("volunteers:checkin_code", args=[running.checkin_code])
    page = member_client.get(url).content.decode()
    assert "义诊进社区" in page and "Check in now" in page
    assert not Participation.objects.exists()  # a GET never checks in

    response = member_client.post(url)
    assert response["Location"] == reverse("volunteers:checked_in", args=[running.pk])
    assert Participation.objects.attended().count() == 1
    page = member_client.get(url).content.decode()
    assert "You are checked in" in page and "Check in now" not in page


def test_the_qr_link_accepts_a_lowercase_code(member_client, running):
    response = member_client.post(reverse("volunteers:checkin_code", args=[running.checkin_code.lower()]))
    assert response.status_code == 302 and Participation.objects.attended().count() == 1


def test_the_qr_link_with_a_wrong_code(member_client, running):
    url = reverse("volunteers:checkin_code", args=["ZZZZZ9"] if running.checkin_code != "ZZZZZ9" else ["ZZZZZ8"])
    assert "The check-in code is not right" in member_client.get(url).content.decode()
    response = member_client.post(url)
    assert response.status_code == 200 and "The check-in code is not right" in response.content.decode()
    assert not Participation.objects.exists()


def test_the_qr_link_outside_the_window(member_client, make_event):
    old = make_event(starts_at=timezone.now() - DAY)
    url = reverse("volunteers:checkin_code", args=[old.checkin_code])
    response = member_client.post(url)
    assert response["Location"] == url
    assert "Check-in is open from 2 hours before the start" in flashed(response, "error")[0]
    assert not Participation.objects.exists()


def test_the_qr_link_rejects_get_only_methods_it_does_not_know(member_client, running):
    assert member_client.put(reverse("volunteers:checkin_code", args=[running.checkin_code])).status_code == 405


# My service ------------------------------------------------------------------------------------------------------


@pytest.fixture
def history(make_event, member_a, staff_a, community_a):
    """member_a: one upcoming sign-up, an approved event (3 h), a pending one (2 h), an adjustment."""
    now = timezone.now()
    upcoming = make_event(title="下周的宣传")
    services.event_sign_up(event=upcoming, member=member_a)
    approved = make_event(title="上月的义剪", starts_at=now - 30 * DAY, hours=3)
    pending = make_event(title="昨天的义诊", starts_at=now - DAY, hours=2)
    for past in (approved, pending):
        services.attendance_mark(event=past, member=member_a, attended=True)
    services.hours_approve(participations=Participation.objects.filter(event=approved), by=staff_a)
    services.points_adjust(member=member_a, points=5, reason="优秀志愿者", by=staff_a)
    return {"upcoming": upcoming, "approved": approved, "pending": pending}


def test_my_page_shows_sign_ups_hours_and_points(member_client, history):
    page = member_client.get(reverse("volunteers:my")).content.decode()
    assert "下周的宣传" in page and reverse("volunteers:withdraw", args=[history["upcoming"].pk]) in page
    assert "上月的义剪" in page and "昨天的义诊" in page
    assert "Approved" in page and "Waiting for approval" in page
    assert "Points: 35" in page  # 3 h × 10 + 5
    assert "优秀志愿者" in page and "+30" in page
    assert reverse("volunteers:checkin") in page


def test_my_page_query_count_is_constant(member_client, django_assert_max_num_queries, make_event, member_a, staff_a):
    start = timezone.now() - 100 * DAY
    for i in range(60):
        event = make_event(starts_at=start + i * DAY, hours=1)
        services.attendance_mark(event=event, member=member_a, attended=True)
    services.hours_approve(participations=Participation.objects.all(), by=staff_a)
    for i in range(10):
        services.event_sign_up(event=make_event(starts_at=timezone.now() + (i + 1) * DAY), member=member_a)
    with django_assert_max_num_queries(9):
        response = member_client.get(reverse("volunteers:my"))
    assert len(response.context["past"]) == 50 and len(response.context["ledger"]) == 50
    assert len(response.context["upcoming"]) == 10


def test_member_me_shows_the_service_card(member_client, history):
    response = member_client.get(reverse("grid:member_me"))
    page = response.content.decode()
    assert "Volunteer service" in page and "上月的义剪" in page and "优秀志愿者" in page
    assert reverse("volunteers:my") in page
    service = {"events_attended": 2, "hours_approved": Decimal("3.0"), "points": Decimal("35.0")}
    for key, value in service.items():
        assert response.context["service"][key] == value


# The unit's page ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["liaison_a", "staff_a"])
def test_unit_page_shows_the_members_service(client, everyone, history, unit_a, member_a, community_a, actor):
    quiet = other_member(community_a, 2)
    quiet.employer_unit = unit_a
    quiet.save()
    client.force_login(everyone[actor])
    page = client.get(reverse("grid:unit_detail", args=[unit_a.pk])).content.decode()
    assert "Volunteer service of the unit&#x27;s members" in page or "Volunteer service of the unit's members" in page
    table = page[page.index("unit-service"):]
    assert table.index(member_a.name) < table.index(quiet.name)  # most hours first
    assert "<td class=\"text-end\">2</td><td class=\"text-end\">3</td>" in table


def test_unit_service_table_is_one_query(django_assert_num_queries, unit_a, community_a, make_event, staff_a):
    from volunteers.templatetags.volunteer_tags import unit_service_table

    members = [other_member(community_a, n) for n in range(20)]
    PartyMember.objects.filter(pk__in=[m.pk for m in members]).update(employer_unit=unit_a)
    event = make_event(starts_at=timezone.now() - DAY)
    for member in members:
        services.attendance_mark(event=event, member=member, attended=True)
    services.hours_approve(participations=Participation.objects.all(), by=staff_a)
    with django_assert_num_queries(1):
        context = unit_service_table(unit_a)
    assert len(context["rows"]) == 20
    assert context["totals"] == {"events_attended": 20, "hours_approved": Decimal("40.0")}


def test_calendar_offers_check_in_while_an_event_is_under_way(member_client, running):
    page = member_client.get(reverse("volunteers:calendar")).content.decode()
    assert "Under way" in page and reverse("volunteers:checkin") in page
    assert reverse("volunteers:sign_up", args=[running.pk]) not in page


def test_no_sign_up_button_for_another_communitys_events(member_client, make_event, community_b):
    elsewhere = make_event(community=community_b, title="北关的活动")
    page = member_client.get(reverse("volunteers:calendar"), {"c": community_b.code}).content.decode()
    assert "北关的活动" in page and reverse("volunteers:sign_up", args=[elsewhere.pk]) not in page
