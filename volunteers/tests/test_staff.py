"""Staff event pages: the permission matrix of every staff view, events (create,
edit, cancel, held, copy, photo), kinds, the roster and its Excel export, the
list filters and query counts."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from grid.models import PartyMember
from volunteers.models import (
    EventKind,
    Participation,
    PointsEntry,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)

OFFICE = {"area_admin", "staff_a"}
GRID = OFFICE | {"grid_worker_a"}
ACTORS = ["area_admin", "staff_a", "grid_worker_a", "member_user_a", "liaison_a"]


# Helpers and fixtures -----------------------------------------------------------------------


def jpeg(size=(40, 30), color="red"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def flashed(response):
    """Messages not shown yet (they pile up while a test does not follow the redirects)."""
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def errors(response):
    return [text for level, text in flashed(response) if level == "error"]


def successes(response):
    return [text for level, text in flashed(response) if level == "success"]


def form_errors(response, field):
    """The form's errors for `field`, in English (they are translated lazily)."""
    with translation.override("en"):
        return [str(error) for error in response.context["form"].errors.get(field, [])]


def local_input(value: datetime.datetime) -> str:
    """The value a datetime-local input sends."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def at(days=0, hour=9):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def everyone(request, member_user_a, liaison_a, grid_worker_a, staff_a, staff_b, area_admin):
    return {name: request.getfixturevalue(name) for name in ACTORS + ["staff_b"]}


@pytest.fixture
def event_a(make_event):
    return make_event(title="义剪进楼院", kind_code="haircut")


@pytest.fixture
def past_event(make_event):
    return make_event(title="政策宣讲", starts_at=at(days=-1), hours=2)


@pytest.fixture
def event_with_photo(make_event):
    event = make_event(title="有照片的活动")
    event.photo.save("photo.jpg", ContentFile(jpeg()))
    return event


@pytest.fixture
def team_a(community_a, member_a):
    team = VolunteerTeam.objects.create(community=community_a, name="小红兴一队", leader=member_a)
    team.members.add(member_a)
    return team


@pytest.fixture
def project_a(community_a):
    from volunteers.models import ServiceProject

    return ServiceProject.objects.create(community=community_a, name="爱心助餐·聚爱成河", start_date=datetime.date(2023, 1, 1))


@pytest.fixture
def case_a(community_a, cell_a, grid_worker_a):
    """Assigned to the grid worker: only they and the office see it."""
    return SpecialGroupCase.objects.create(
        community=community_a, group="elderly_alone", resident_name="王奶奶", grid_cell=cell_a, problem="灯坏了",
        assigned_to=grid_worker_a,
    )


@pytest.fixture
def kind_b(community_b):
    return EventKind.objects.create(community=community_b, code="b-kind", name="北关专属")


def kind(code):
    return EventKind.objects.get(community__isnull=True, code=code)


def event_data(**overrides):
    data = {
        "title": "义诊进社区",
        "kind": kind("clinic").pk,
        "starts_at": local_input(at(days=5, hour=9)),
        "ends_at": local_input(at(days=5, hour=11)),
        "place": "社区卫生室",
        "capacity": "20",
        "description": "为老人量血压",
        "special_groups": ["elderly_alone", "disabled"],
    }
    data.update(overrides)
    return data


# The permission matrix ------------------------------------------------------------------------

# url name, the object it addresses (fixture name or None), roles that may GET it
GET_VIEWS = [
    ("volunteers:event_list", None, GRID),
    ("volunteers:event_create", None, OFFICE),
    ("volunteers:event_detail", "event_a", GRID),
    ("volunteers:event_update", "event_a", OFFICE),
    ("volunteers:event_held", "event_a", OFFICE),
    ("volunteers:event_copy", "event_a", OFFICE),
    ("volunteers:event_photo", "event_with_photo", GRID),
    ("volunteers:roster", "event_a", OFFICE),
    ("volunteers:roster_export", "event_a", OFFICE),
    ("volunteers:kind_list", None, OFFICE),
    ("volunteers:kind_create", None, OFFICE),
    ("volunteers:team_list", None, OFFICE),
    ("volunteers:team_create", None, OFFICE),
    ("volunteers:team_detail", "team_a", OFFICE),
    ("volunteers:team_update", "team_a", OFFICE),
    ("volunteers:project_list", None, OFFICE),
    ("volunteers:project_create", None, OFFICE),
    ("volunteers:project_detail", "project_a", OFFICE),
    ("volunteers:project_update", "project_a", OFFICE),
    ("volunteers:case_list", None, GRID | {"member_user_a"}),  # members: the cases assigned to them
    ("volunteers:case_create", None, GRID),
    ("volunteers:case_detail", "case_a", GRID),
    ("volunteers:case_update", "case_a", GRID),
    ("volunteers:points_rule", None, OFFICE),
    ("volunteers:points_adjust", None, OFFICE),
]
# url name, the object it addresses, the roles the view is open to
POST_VIEWS = [
    ("volunteers:event_cancel", "event_a", OFFICE),
    ("volunteers:case_status", "case_a", GRID),
]


def _url(request, name, obj_fixture):
    if obj_fixture is None:
        return reverse(name)
    return reverse(name, args=[request.getfixturevalue(obj_fixture).pk])


@pytest.mark.parametrize("name,obj,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
def test_anonymous_is_sent_to_login(request, client, name, obj, allowed):
    response = client.get(_url(request, name, obj))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize("name,obj,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
@pytest.mark.parametrize("actor", ACTORS)
def test_role_matrix(request, client, everyone, name, obj, allowed, actor):
    client.force_login(everyone[actor])
    response = client.get(_url(request, name, obj))
    assert response.status_code == (200 if actor in allowed else 403), f"{actor} on {name}"


@pytest.mark.parametrize("name,obj", [(n, o) for n, o, allowed in GET_VIEWS if o], ids=[n for n, o, a in GET_VIEWS if o])
def test_other_community_staff_get_404(request, client, everyone, name, obj):
    client.force_login(everyone["staff_b"])
    assert client.get(_url(request, name, obj)).status_code == 404


@pytest.mark.parametrize("name,obj,allowed", POST_VIEWS, ids=[v[0] for v in POST_VIEWS])
def test_post_only_views(request, client, everyone, name, obj, allowed):
    url = _url(request, name, obj)
    assert client.post(url)["Location"].startswith(reverse("portal:login"))
    client.force_login(everyone["staff_a"])
    assert client.get(url).status_code == 405
    for actor in ACTORS:
        if actor not in allowed:
            client.force_login(everyone[actor])
            assert client.post(url).status_code == 403, actor
    client.force_login(everyone["staff_b"])
    assert client.post(url).status_code == 404


def test_roster_post_is_for_office_only(client, everyone, event_a, member_a):
    url = reverse("volunteers:roster", args=[event_a.pk])
    data = {"action": "tick", "member": member_a.pk}
    for actor in ["grid_worker_a", "member_user_a", "liaison_a"]:
        client.force_login(everyone[actor])
        assert client.post(url, data).status_code == 403
    client.force_login(everyone["staff_b"])
    assert client.post(url, data).status_code == 404
    assert not Participation.objects.exists()


def test_grid_worker_reads_events_but_sees_no_management_buttons(client, grid_worker_a, event_a):
    client.force_login(grid_worker_a)
    page = client.get(reverse("volunteers:event_detail", args=[event_a.pk])).content.decode()
    assert event_a.title in page
    assert reverse("volunteers:event_update", args=[event_a.pk]) not in page
    assert reverse("volunteers:roster", args=[event_a.pk]) not in page
    listing = client.get(reverse("volunteers:event_list")).content.decode()
    assert event_a.title in listing and reverse("volunteers:event_create") not in listing


def test_other_community_lists_do_not_show_our_records(client, staff_b, event_a, team_a, project_a, case_a):
    client.force_login(staff_b)
    for name, text in [
        ("volunteers:event_list", event_a.title),
        ("volunteers:team_list", team_a.name),
        ("volunteers:project_list", project_a.name),
        ("volunteers:case_list", case_a.problem),
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert text not in response.content.decode(), name


def test_navigation_offers_the_volunteer_pages(client, staff_a, grid_worker_a):
    client.force_login(staff_a)
    page = client.get(reverse("volunteers:event_list")).content.decode()
    for name in ["volunteers:event_list", "volunteers:team_list", "volunteers:project_list", "volunteers:case_list"]:
        assert f'href="{reverse(name)}"' in page
    client.force_login(grid_worker_a)
    page = client.get(reverse("volunteers:case_list")).content.decode()
    assert f'href="{reverse("volunteers:case_list")}"' in page
    assert f'href="{reverse("volunteers:team_list")}"' not in page


def test_members_navigation_offers_calendar_check_in_and_their_service(client, member_user_a):
    client.force_login(member_user_a)
    page = client.get(reverse("grid:member_me")).content.decode()
    for name in ["volunteers:calendar", "volunteers:checkin", "volunteers:my"]:
        assert f'href="{reverse(name)}"' in page, name
    assert reverse("volunteers:event_list") not in page


# Creating and editing events ------------------------------------------------------------------


def test_staff_create_an_event(client, staff_a, community_a, cell_a, team_a):
    client.force_login(staff_a)
    photo = SimpleUploadedFile("活动.jpg", jpeg(), content_type="image/jpeg")
    response = client.post(
        reverse("volunteers:event_create"), event_data(grid_cell=cell_a.pk, team=team_a.pk, photo=photo)
    )
    event = VolunteerEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.community == community_a and event.created_by == staff_a
    assert event.kind.code == "clinic" and event.team == team_a and event.grid_cell == cell_a
    assert event.special_groups == ["elderly_alone", "disabled"]
    assert event.capacity == 20 and event.status == VolunteerEvent.Status.PLANNED
    assert timezone.localtime(event.starts_at).hour == 9 and event.duration_hours == 2
    assert event.photo.name.startswith("private/events/") and event.photo.name.endswith(".jpg")
    assert successes(response)
    # The photo is served through the permission-checked view only.
    photo_response = client.get(reverse("volunteers:event_photo", args=[event.pk]))
    assert photo_response.status_code == 200 and photo_response["Content-Type"] == "image/jpeg"
    page = client.get(event.get_absolute_url()).content.decode()
    assert event.checkin_code in page
    assert reverse("volunteers:checkin_sheet", args=[event.pk]) in page


def test_the_form_offers_only_the_communitys_choices(client, staff_a, community_a, kind_b, cell_a, cell_b, unit_b):
    own = EventKind.objects.create(community=community_a, code="yishi", name="红色议事")
    client.force_login(staff_a)
    form = client.get(reverse("volunteers:event_create")).context["form"]
    kinds = set(form.fields["kind"].queryset)
    assert own in kinds and kind("haircut") in kinds and kind_b not in kinds
    assert list(form.fields["grid_cell"].queryset) == [cell_a]
    assert unit_b not in form.fields["unit"].queryset
    assert "community" not in form.fields


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        (
            {"starts_at": local_input(at(days=5, hour=11)), "ends_at": local_input(at(days=5, hour=9))},
            "ends_at",
            "The event must end after it starts",
        ),
        ({"ends_at": local_input(at(days=5, hour=9))}, "ends_at", "The event must end after it starts"),
        ({"capacity": "-3"}, "capacity", "greater than or equal to 1"),
        ({"title": ""}, "title", "This field is required"),
        ({"starts_at": "tomorrow"}, "starts_at", "Enter a valid date/time"),
    ],
)
def test_bad_event_input_is_refused_with_a_clear_message(client, staff_a, overrides, field, message):
    client.force_login(staff_a)
    response = client.post(reverse("volunteers:event_create"), event_data(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in form_errors(response, field))
    assert not VolunteerEvent.objects.exists()


def test_a_kind_or_cell_of_another_community_is_refused(client, staff_a, kind_b, cell_b):
    client.force_login(staff_a)
    response = client.post(reverse("volunteers:event_create"), event_data(kind=kind_b.pk, grid_cell=cell_b.pk))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind", "grid_cell"}
    assert not VolunteerEvent.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused(client, staff_a):
    client.force_login(staff_a)
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = client.post(reverse("volunteers:event_create"), event_data(photo=fake))
    assert response.status_code == 200
    assert "JPEG, PNG or WebP" in " ".join(form_errors(response, "photo"))
    assert not VolunteerEvent.objects.exists()


def test_area_admin_chooses_the_community_and_its_records(client, area_admin, community_a, community_b, kind_b):
    client.force_login(area_admin)
    response = client.post(reverse("volunteers:event_create"), event_data(community=community_b.pk, kind=kind_b.pk))
    assert response.status_code == 302
    assert VolunteerEvent.objects.get().community == community_b
    # A kind of community B for an event of community A is refused.
    response = client.post(reverse("volunteers:event_create"), event_data(community=community_a.pk, kind=kind_b.pk))
    assert response.status_code == 200 and "kind" in response.context["form"].errors
    # `?community=` narrows the choices before the admin posts.
    form = client.get(reverse("volunteers:event_create"), {"community": community_a.pk}).context["form"]
    assert kind_b not in form.fields["kind"].queryset


def test_staff_edit_an_event_and_remove_its_photo(client, staff_a, event_with_photo):
    client.force_login(staff_a)
    url = reverse("volunteers:event_update", args=[event_with_photo.pk])
    page = client.get(url).content.decode()
    assert reverse("volunteers:event_photo", args=[event_with_photo.pk]) in page
    assert "/media/" not in page  # the private file's storage path is never linked
    response = client.post(url, event_data(title="改过的标题", remove_photo="on"))
    assert response.status_code == 302
    event_with_photo.refresh_from_db()
    assert event_with_photo.title == "改过的标题" and not event_with_photo.photo
    assert client.get(reverse("volunteers:event_photo", args=[event_with_photo.pk])).status_code == 404


def test_an_event_never_moves_to_another_community(client, area_admin, event_a, community_b):
    client.force_login(area_admin)
    url = reverse("volunteers:event_update", args=[event_a.pk])
    assert "community" not in client.get(url).context["form"].fields
    client.post(url, event_data(community=community_b.pk))
    event_a.refresh_from_db()
    assert event_a.community_id != community_b.pk


# Cancel, held, copy -----------------------------------------------------------------------------


def test_cancel_an_event(client, staff_a, event_a):
    client.force_login(staff_a)
    url = reverse("volunteers:event_cancel", args=[event_a.pk])
    response = client.post(url)
    assert response["Location"] == event_a.get_absolute_url()
    assert successes(response) == ["The event is cancelled."]
    event_a.refresh_from_db()
    assert event_a.status == VolunteerEvent.Status.CANCELLED
    response = client.post(url)
    assert errors(response) == ["Only a planned event can be cancelled."]


def test_mark_an_event_held(client, staff_a, past_event):
    client.force_login(staff_a)
    url = reverse("volunteers:event_held", args=[past_event.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"summary": "为 30 位老人讲解医保政策", "residents_served": "30"})
    assert response["Location"] == reverse("volunteers:roster", args=[past_event.pk])
    past_event.refresh_from_db()
    assert past_event.status == VolunteerEvent.Status.DONE
    assert past_event.residents_served == 30 and "医保" in past_event.summary


def test_held_form_refuses_bad_numbers_and_cancelled_events(client, staff_a, past_event, make_event):
    client.force_login(staff_a)
    url = reverse("volunteers:event_held", args=[past_event.pk])
    response = client.post(url, {"summary": "好", "residents_served": "-1"})
    assert response.status_code == 200 and "residents_served" in response.context["form"].errors
    cancelled = make_event(status=VolunteerEvent.Status.CANCELLED)
    response = client.post(reverse("volunteers:event_held", args=[cancelled.pk]), {"summary": "x", "residents_served": "1"})
    assert errors(response) == ["A cancelled event cannot be marked as held."]
    cancelled.refresh_from_db()
    assert cancelled.status == VolunteerEvent.Status.CANCELLED


def test_copy_an_event_to_plan_the_next_one(client, staff_a, event_a):
    client.force_login(staff_a)
    url = reverse("volunteers:event_copy", args=[event_a.pk])
    initial = client.get(url).context["form"].initial["starts_at"]
    assert initial == timezone.localtime(event_a.starts_at) + datetime.timedelta(days=7)
    new_start = at(days=20, hour=14)
    response = client.post(url, {"starts_at": local_input(new_start)})
    copy = VolunteerEvent.objects.exclude(pk=event_a.pk).get()
    assert response["Location"] == reverse("volunteers:event_update", args=[copy.pk])
    assert copy.title == event_a.title and copy.kind_id == event_a.kind_id and copy.place == event_a.place
    assert copy.starts_at == new_start and copy.ends_at - copy.starts_at == event_a.ends_at - event_a.starts_at
    assert copy.created_by == staff_a and copy.checkin_code != event_a.checkin_code
    response = client.post(url, {"starts_at": "not a date"})
    assert response.status_code == 200 and "starts_at" in response.context["form"].errors


# Kinds ------------------------------------------------------------------------------------------


def test_staff_add_a_kind_of_their_own(client, staff_a, staff_b, community_a):
    client.force_login(staff_a)
    response = client.post(reverse("volunteers:kind_create"), {"name": "红色议事", "is_special_service": "on"})
    assert response["Location"] == reverse("volunteers:kind_list")
    new = EventKind.objects.get(name="红色议事")
    assert new.community == community_a and new.is_special_service and new.code
    assert "红色议事" in client.get(reverse("volunteers:kind_list")).content.decode()
    # A second kind with a Chinese name gets another code.
    client.post(reverse("volunteers:kind_create"), {"name": "楼院夜话"})
    assert EventKind.objects.filter(community=community_a).values("code").distinct().count() == 2
    # The name must be new, also against the built-in kinds.
    for name in ["红色议事", "义剪"]:
        response = client.post(reverse("volunteers:kind_create"), {"name": name})
        assert response.status_code == 200 and "name" in response.context["form"].errors
    # Other communities do not see it.
    client.force_login(staff_b)
    assert "红色议事" not in client.get(reverse("volunteers:kind_list")).content.decode()


def test_area_admin_adds_a_kind_for_a_community(client, area_admin, community_b):
    client.force_login(area_admin)
    response = client.post(reverse("volunteers:kind_create"), {"name": "北关议事"})
    assert response.status_code == 200 and "community" in response.context["form"].errors
    client.post(reverse("volunteers:kind_create"), {"name": "北关议事", "community": community_b.pk})
    assert EventKind.objects.get(name="北关议事").community == community_b


def test_a_latin_kind_name_gives_a_readable_code(client, staff_a):
    client.force_login(staff_a)
    client.post(reverse("volunteers:kind_create"), {"name": "Book club"})
    assert EventKind.objects.get(name="Book club").code == "book-club"


# The roster ----------------------------------------------------------------------------------------


@pytest.fixture
def roster_url(past_event):
    return reverse("volunteers:roster", args=[past_event.pk])


def test_staff_tick_attendance_for_a_member_without_a_phone(client, staff_a, past_event, member_a, roster_url):
    client.force_login(staff_a)
    assert member_a in client.get(roster_url).context["tick_form"].fields["member"].queryset
    response = client.post(roster_url, {"action": "tick", "member": member_a.pk})
    assert response["Location"] == roster_url
    assert successes(response) == [f"{member_a.name} is checked in."]
    participation = Participation.objects.get(event=past_event, member=member_a)
    assert participation.checked_in_by == Participation.CheckInBy.STAFF
    assert participation.hours == Decimal("2.0") and participation.hours_approved_at is None
    page = client.get(roster_url)
    assert member_a.name in page.content.decode()
    assert member_a not in page.context["tick_form"].fields["member"].queryset  # already in


def test_tick_refuses_a_member_of_another_community(client, staff_a, past_event, member_b, roster_url):
    client.force_login(staff_a)
    response = client.post(roster_url, {"action": "tick", "member": member_b.pk})
    assert errors(response)
    assert not Participation.objects.exists()


def test_untick(client, staff_a, past_event, member_a, roster_url):
    Participation.objects.create(
        event=past_event, member=member_a, checked_in_at=timezone.now(), checked_in_by="staff", hours=2
    )
    client.force_login(staff_a)
    participation = Participation.objects.get()
    response = client.post(roster_url, {"action": "untick", "participation": participation.pk})
    assert successes(response) == [f"{member_a.name} is no longer checked in."]
    participation.refresh_from_db()
    assert participation.checked_in_at is None and participation.hours is None


@pytest.fixture
def attended(past_event, member_a):
    return Participation.objects.create(
        event=past_event,
        member=member_a,
        signed_up_at=timezone.now() - datetime.timedelta(days=3),
        checked_in_at=past_event.starts_at,
        checked_in_by=Participation.CheckInBy.SELF,
        hours=Decimal("2.0"),
    )


def test_set_hours(client, staff_a, attended, roster_url):
    client.force_login(staff_a)
    response = client.post(roster_url, {"action": "hours", "participation": attended.pk, "hours": "3.5"})
    assert successes(response)
    attended.refresh_from_db()
    assert attended.hours == Decimal("3.5")


@pytest.mark.parametrize(
    "hours,message",
    [("30", "Hours must be between 0 and 24."), ("-1", "Hours must be between 0 and 24."), ("abc", "Enter a number.")],
)
def test_hours_out_of_range_are_refused(client, staff_a, attended, roster_url, hours, message):
    client.force_login(staff_a)
    response = client.post(roster_url, {"action": "hours", "participation": attended.pk, "hours": hours})
    assert any(message in text for text in errors(response))
    attended.refresh_from_db()
    assert attended.hours == Decimal("2.0")


def test_approve_all_gives_points_once(client, staff_a, attended, roster_url):
    client.force_login(staff_a)
    response = client.post(roster_url, {"action": "approve", "scope": "all"})
    assert successes(response) == ["Hours of 1 person approved."]
    attended.refresh_from_db()
    assert attended.hours_approved_at is not None and attended.hours_approved_by == staff_a
    entry = PointsEntry.objects.get()
    assert entry.member_id == attended.member_id and entry.points == Decimal("20.0")  # 2 h × 10 (default rule)
    response = client.post(roster_url, {"action": "approve", "scope": "all"})
    assert flashed(response)[-1] == ("info", "No hours were waiting for approval.")
    assert PointsEntry.objects.count() == 1


def test_approve_selected(client, staff_a, past_event, attended, roster_url, community_a):
    other = PartyMember.objects.create(
        community=community_a, name="李四", gender="male", phone="13800009999", registered_on=datetime.date(2023, 1, 1)
    )
    second = Participation.objects.create(
        event=past_event, member=other, checked_in_at=past_event.starts_at, checked_in_by="self", hours=1
    )
    client.force_login(staff_a)
    response = client.post(roster_url, {"action": "approve", "scope": "selected"})
    assert errors(response) == ["Tick the people whose hours you approve, or approve all."]
    client.post(roster_url, {"action": "approve", "scope": "selected", "participation": [second.pk]})
    attended.refresh_from_db()
    second.refresh_from_db()
    assert second.hours_approved_at and not attended.hours_approved_at
    assert list(PointsEntry.objects.values_list("member_id", flat=True)) == [other.pk]


def test_unapprove_takes_the_points_back(client, staff_a, attended, roster_url):
    client.force_login(staff_a)
    client.post(roster_url, {"action": "approve", "scope": "all"})
    # Approved hours cannot be changed or unticked until the approval is withdrawn.
    response = client.post(roster_url, {"action": "hours", "participation": attended.pk, "hours": "5"})
    assert errors(response) == ["Hours are already approved; withdraw the approval first."]
    response = client.post(roster_url, {"action": "untick", "participation": attended.pk})
    assert errors(response)[-1] == "Hours are already approved; withdraw the approval first."
    response = client.post(roster_url, {"action": "unapprove", "participation": attended.pk})
    assert successes(response)
    attended.refresh_from_db()
    assert attended.hours_approved_at is None and attended.hours == Decimal("2.0")
    assert not PointsEntry.objects.exists()


def test_roster_actions_address_only_this_events_rows(client, staff_a, attended, make_event, roster_url):
    other_event = make_event(title="另一个活动")
    client.force_login(staff_a)
    other_url = reverse("volunteers:roster", args=[other_event.pk])
    assert client.post(other_url, {"action": "hours", "participation": attended.pk, "hours": "1"}).status_code == 404
    assert client.post(roster_url, {"action": "hours", "participation": "x", "hours": "1"}).status_code == 404
    assert errors(client.post(roster_url, {"action": "dance"})) == ["Unknown action."]


def test_roster_shows_sign_ups_walk_ins_and_withdrawals(client, staff_a, past_event, attended, community_a):
    walk_in = PartyMember.objects.create(
        community=community_a, name="赵六", gender="male", phone="13800007777", registered_on=datetime.date(2023, 1, 1)
    )
    gone = PartyMember.objects.create(
        community=community_a, name="钱七", gender="female", phone="13800006666", registered_on=datetime.date(2023, 1, 1)
    )
    Participation.objects.create(event=past_event, member=walk_in, checked_in_at=past_event.starts_at, checked_in_by="staff", hours=2)
    Participation.objects.create(
        event=past_event, member=gone, signed_up_at=timezone.now() - datetime.timedelta(days=5), withdrawn_at=timezone.now() - datetime.timedelta(days=4)
    )
    client.force_login(staff_a)
    response = client.get(reverse("volunteers:roster", args=[past_event.pk]))
    page = response.content.decode()
    assert all(name in page for name in ["张建国", "赵六", "钱七"])
    assert "walk-in" in page and "withdrawn" in page and "Ticked by staff" in page
    assert "13800001234" not in page and "138****1234" in page  # the screen masks phones
    assert response.context["totals"] == {"signed_up": 1, "attended": 2, "approved": 0, "pending": 2, "hours_approved": 0}


def _many_members(community, n, prefix="1390000"):
    PartyMember.objects.bulk_create(
        [
            PartyMember(
                community=community, name=f"党员{i:03d}", gender="male", phone=f"{prefix}{i:04d}", registered_on=datetime.date(2023, 1, 1)
            )
            for i in range(n)
        ]
    )
    return list(PartyMember.objects.filter(community=community, phone__startswith=prefix))


def test_roster_query_count_is_constant(client, staff_a, past_event, community_a, unit_a, cell_a, make_event):
    members = _many_members(community_a, 200)
    PartyMember.objects.filter(pk__in=[m.pk for m in members[::2]]).update(employer_unit=unit_a, grid_cell=cell_a)
    small = make_event(title="小活动", starts_at=at(days=-2))
    now = timezone.now()

    def rows(event, people):
        Participation.objects.bulk_create(
            [
                Participation(
                    event=event, member=m, signed_up_at=now - datetime.timedelta(days=3),
                    checked_in_at=event.starts_at if i % 2 else None, checked_in_by="self" if i % 2 else "",
                    hours=Decimal("2.0") if i % 2 else None, hours_approved_at=now if i % 4 == 1 else None,
                )
                for i, m in enumerate(people)
            ]
        )

    rows(past_event, members)
    rows(small, members[:3])
    client.force_login(staff_a)
    client.get(reverse("volunteers:roster", args=[small.pk]))  # a first page counts the inbox badge once, then caches it
    counts = {}
    for event in (small, past_event):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("volunteers:roster", args=[event.pk]))
        assert response.status_code == 200
        counts[event.pk] = len(queries)
    assert counts[small.pk] == counts[past_event.pk] <= 10
    assert len(response.context["rows"]) == 200


# The Excel export ------------------------------------------------------------------------------------


def test_export_is_a_valid_workbook_with_the_roster(client, staff_a, past_event, attended, community_a, unit_a):
    client.force_login(staff_a)
    client.post(reverse("volunteers:roster", args=[past_event.pk]), {"action": "approve", "scope": "all"})
    response = client.get(reverse("volunteers:roster_export", args=[past_event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert f'filename="roster-{past_event.pk}.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == past_event.title
    header_index = next(i for i, row in enumerate(values) if row[0] == "Name")
    assert values[header_index][:9] == [
        "Name", "Mobile phone", "Employer", "Grid cell", "Signed up at", "Checked in at", "How", "Hours", "Approved",
    ]
    row = values[header_index + 1]
    assert row[0] == "张建国" and row[1] == "13800001234" and row[2] == unit_a.name
    checked_in = row[5]
    assert checked_in.tzinfo is None
    assert checked_in == timezone.localtime(past_event.starts_at).replace(tzinfo=None, microsecond=0)
    assert row[6] == "Checked in with the code" and float(row[7]) == 2.0 and row[8] == "Yes"


def test_export_leaves_out_people_who_withdrew(client, staff_a, past_event, member_a):
    Participation.objects.create(
        event=past_event, member=member_a, signed_up_at=timezone.now() - datetime.timedelta(days=3),
        withdrawn_at=timezone.now() - datetime.timedelta(days=2),
    )
    client.force_login(staff_a)
    response = client.get(reverse("volunteers:roster_export", args=[past_event.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert member_a.name not in [row[0] for row in sheet.iter_rows(values_only=True)]


def test_export_of_an_empty_roster(client, staff_a, event_a):
    client.force_login(staff_a)
    response = client.get(reverse("volunteers:roster_export", args=[event_a.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.active["A1"].value == event_a.title


# The event list -----------------------------------------------------------------------------------------


def _titles(response):
    return {event.title for event in response.context["object_list"]}


def test_event_list_filters(client, staff_a, make_event, community_a, cell_a, team_a, project_a, attended):
    make_event(title="义剪进楼院", kind_code="haircut", grid_cell=cell_a, team=team_a, starts_at=at(days=10))
    make_event(title="助餐服务", kind_code="meal", project=project_a, place="幸福食堂", starts_at=at(days=-10), status="done")
    make_event(title="取消的活动", status="cancelled", starts_at=at(days=3))
    client.force_login(staff_a)
    url = reverse("volunteers:event_list")
    assert _titles(client.get(url, {"q": "食堂"})) == {"助餐服务"}
    assert _titles(client.get(url, {"q": "义剪"})) == {"义剪进楼院"}
    assert _titles(client.get(url, {"kind": kind("haircut").pk})) == {"义剪进楼院"}
    assert _titles(client.get(url, {"grid_cell": cell_a.pk})) == {"义剪进楼院"}
    assert _titles(client.get(url, {"team": team_a.pk})) == {"义剪进楼院"}
    assert _titles(client.get(url, {"project": project_a.pk})) == {"助餐服务"}
    assert _titles(client.get(url, {"status": "cancelled"})) == {"取消的活动"}
    today = timezone.localdate()
    assert _titles(client.get(url, {"date_from": str(today + datetime.timedelta(days=5))})) == {"义剪进楼院"}
    assert _titles(client.get(url, {"date_to": str(today - datetime.timedelta(days=5))})) == {"助餐服务"}
    assert _titles(client.get(url, {"pending_hours": "yes"})) == {attended.event.title}
    counts = {e.title: (e.signup_count, e.attended_count) for e in client.get(url).context["object_list"]}
    assert counts[attended.event.title] == (1, 1)


def test_area_admin_filters_by_community(client, area_admin, make_event, community_b):
    make_event(title="沙河街活动")
    make_event(title="北关活动", community=community_b)
    client.force_login(area_admin)
    url = reverse("volunteers:event_list")
    assert _titles(client.get(url)) == {"沙河街活动", "北关活动"}
    assert _titles(client.get(url, {"community": community_b.pk})) == {"北关活动"}


@pytest.mark.parametrize("actor", ["staff_a", "area_admin", "grid_worker_a"])
def test_event_list_query_count(request, client, django_assert_max_num_queries, community_a, cell_a, team_a, project_a, actor):
    members = _many_members(community_a, 10)
    kinds = list(EventKind.objects.filter(community__isnull=True))
    start = at(days=-150)
    VolunteerEvent.objects.bulk_create(
        [
            VolunteerEvent(
                community=community_a, title=f"活动{i}", kind=kinds[i % len(kinds)], place="社区",
                starts_at=start + datetime.timedelta(days=i // 2), ends_at=start + datetime.timedelta(days=i // 2, hours=2),
                grid_cell=cell_a if i % 2 else None, team=team_a if i % 3 else None, project=project_a if i % 5 else None,
                checkin_code=f"C{i:05d}",
            )
            for i in range(300)
        ]
    )
    events = list(VolunteerEvent.objects.all()[:20])
    Participation.objects.bulk_create(
        [Participation(event=e, member=m, signed_up_at=timezone.now()) for e in events for m in members]
    )
    client.force_login(request.getfixturevalue(actor))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("volunteers:event_list"), {"q": "活动"})
    assert response.status_code == 200
    assert len(response.context["object_list"]) == django_settings.PAGE_SIZE
    assert response.context["page_obj"].paginator.count == 300
