"""Stations and micro party schools: the permission matrix of every view, places
and their content updates through the pages, the "needs new content" rule, the
photo view and the list's query count."""

import datetime
import io

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from grid.models import Building, GridCell, Station, StationUpdate
from grid.selectors_work import filter_stale, stations_with_freshness

OFFICE = {"area_admin", "staff_a"}
GRID = OFFICE | {"grid_worker_a"}
ACTORS = ["area_admin", "staff_a", "grid_worker_a", "member_user_a", "liaison_a"]


# Helpers and fixtures -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg(size=(40, 30), color="red"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_errors(response, field):
    with translation.override("en"):
        return [str(error) for error in response.context["form"].errors.get(field, [])]


def make_station(cell, name, kind=Station.Kind.STATION, **fields):
    return Station.objects.create(community=cell.community, grid_cell=cell, name=name, kind=kind, **fields)


def add_update(station, days, title="新内容", **fields):
    return StationUpdate.objects.create(
        station=station, updated_on=days_ago(days), title=title, kind=StationUpdate.Kind.SLOGANS, **fields
    )


@pytest.fixture
def station_a(cell_a, building_a):
    return make_station(cell_a, "沙河街红色先锋驿站", building=building_a, location="1号楼一层", opening_hours="9:00-17:00")


@pytest.fixture
def station_a2(cell_a2):
    return make_station(cell_a2, "西区微党校", kind=Station.Kind.SCHOOL)


@pytest.fixture
def station_b(cell_b):
    return make_station(cell_b, "北关驿站")


@pytest.fixture
def update_a(station_a):
    return add_update(station_a, 3, title="垃圾分类宣传画")


@pytest.fixture
def update_with_photo(station_a):
    update = add_update(station_a, 2, title="手抄报展")
    update.photo.save("photo.jpg", ContentFile(jpeg()))
    return update


@pytest.fixture
def update_a2(station_a2):
    update = add_update(station_a2, 1, title="西区漫画")
    update.photo.save("photo.jpg", ContentFile(jpeg()))
    return update


@pytest.fixture
def everyone(request, member_user_a, liaison_a, grid_worker_a, staff_a, staff_b, area_admin):
    return {name: request.getfixturevalue(name) for name in ACTORS + ["staff_b"]}


# The permission matrix ------------------------------------------------------------------------

# url name, the object it addresses (fixture name or None), roles that may GET it
GET_VIEWS = [
    ("grid:station_list", None, GRID),
    ("grid:station_create", None, OFFICE),
    ("grid:station_detail", "station_a", GRID),
    ("grid:station_update", "station_a", OFFICE),
    ("grid:station_update_create", "station_a", GRID),
    ("grid:station_update_photo", "update_with_photo", GRID),
]
# The same views on a place in cell 2, which grid_a does not own.
OTHER_CELL_VIEWS = [
    ("grid:station_detail", "station_a2"),
    ("grid:station_update_create", "station_a2"),
    ("grid:station_update_photo", "update_a2"),
]
POST_VIEWS = [("grid:station_update_delete", "update_a", OFFICE)]


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


@pytest.mark.parametrize("name,obj", [(n, o) for n, o, a in GET_VIEWS if o], ids=[n for n, o, a in GET_VIEWS if o])
def test_other_community_staff_get_404(request, client, everyone, name, obj):
    client.force_login(everyone["staff_b"])
    assert client.get(_url(request, name, obj)).status_code == 404


@pytest.mark.parametrize("name,obj", OTHER_CELL_VIEWS, ids=[v[0] for v in OTHER_CELL_VIEWS])
def test_grid_worker_gets_404_outside_their_cells(request, client, grid_worker_a, staff_a, name, obj):
    url = _url(request, name, obj)
    client.force_login(grid_worker_a)
    assert client.get(url).status_code == 404
    client.force_login(staff_a)  # the community's staff see every cell
    assert client.get(url).status_code == 200


def test_grid_worker_cannot_add_content_outside_their_cells(client, grid_worker_a, station_a2):
    client.force_login(grid_worker_a)
    url = reverse("grid:station_update_create", args=[station_a2.pk])
    response = client.post(url, {"updated_on": days_ago(0).isoformat(), "title": "越界", "kind": "comics"})
    assert response.status_code == 404
    assert not StationUpdate.objects.exists()


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
    assert StationUpdate.objects.filter(pk=request.getfixturevalue(obj).pk).exists()


def test_lists_show_only_what_the_user_may_see(client, everyone, station_a, station_a2, station_b):
    pages = {}
    for actor in ["staff_a", "grid_worker_a", "staff_b", "area_admin"]:
        client.force_login(everyone[actor])
        pages[actor] = client.get(reverse("grid:station_list")).content.decode()
    assert station_a.name in pages["staff_a"] and station_a2.name in pages["staff_a"]
    assert station_b.name not in pages["staff_a"]
    assert station_a.name in pages["grid_worker_a"] and station_a2.name not in pages["grid_worker_a"]
    assert station_b.name in pages["staff_b"] and station_a.name not in pages["staff_b"]
    assert all(s.name in pages["area_admin"] for s in (station_a, station_a2, station_b))


def test_grid_worker_sees_no_management_buttons(client, grid_worker_a, update_a):
    client.force_login(grid_worker_a)
    station = update_a.station
    page = client.get(station.get_absolute_url()).content.decode()
    assert reverse("grid:station_update_create", args=[station.pk]) in page
    assert reverse("grid:station_update", args=[station.pk]) not in page
    assert reverse("grid:station_update_delete", args=[update_a.pk]) not in page
    assert reverse("grid:station_create") not in client.get(reverse("grid:station_list")).content.decode()


# Places: create and edit ---------------------------------------------------------------------


def station_data(cell, **overrides):
    data = {
        "name": "2号楼楼道微党校",
        "kind": "school",
        "grid_cell": cell.pk,
        "building": "",
        "location": "2号楼2单元楼道",
        "opening_hours": "全天",
        "contact_name": "王秀英",
        "contact_phone": "13800001111",
        "update_every_days": "14",
        "active_since": "2023-05-01",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_staff_create_a_micro_party_school(client, staff_a, cell_a, building_a):
    client.force_login(staff_a)
    response = client.post(reverse("grid:station_create"), station_data(cell_a, building=building_a.pk))
    station = Station.objects.get()
    assert response.status_code == 302 and response.url == station.get_absolute_url()
    assert station.community == staff_a.community and station.kind == Station.Kind.SCHOOL
    assert station.building == building_a and station.update_every_days == 14 and station.is_active
    page = client.get(station.get_absolute_url()).content.decode()
    assert "2号楼2单元楼道" in page and "Micro party school" in page
    assert "No content yet" in page and "Needs new content" in page


def test_create_form_preselects_the_grid_cell(client, staff_a, cell_a):
    client.force_login(staff_a)
    response = client.get(reverse("grid:station_create") + f"?grid_cell={cell_a.pk}")
    assert response.context["form"].initial["grid_cell"] == str(cell_a.pk)


def test_the_building_must_be_in_the_chosen_cell(client, staff_a, cell_a2, building_a):
    client.force_login(staff_a)
    response = client.post(reverse("grid:station_create"), station_data(cell_a2, building=building_a.pk))
    assert response.status_code == 200
    assert form_errors(response, "building") == ["The building is not in this grid cell."]
    assert not Station.objects.exists()


def test_staff_cannot_use_another_communitys_cell(client, staff_a, cell_b):
    client.force_login(staff_a)
    response = client.post(reverse("grid:station_create"), station_data(cell_b))
    assert response.status_code == 200 and form_errors(response, "grid_cell")
    assert not Station.objects.exists()


def test_area_admin_chooses_the_community_and_the_cell_must_match(client, area_admin, community_a, community_b, cell_a):
    client.force_login(area_admin)
    url = reverse("grid:station_create")
    response = client.post(url, station_data(cell_a, community=community_b.pk))
    assert form_errors(response, "grid_cell") == ["The grid cell must belong to this community."]
    response = client.post(url, station_data(cell_a, community=community_a.pk))
    assert response.status_code == 302 and Station.objects.get().community == community_a


def test_names_are_unique_in_a_community(client, staff_a, station_a, cell_a):
    client.force_login(staff_a)
    response = client.post(reverse("grid:station_create"), station_data(cell_a, name=station_a.name))
    assert response.status_code == 200 and Station.objects.count() == 1


def test_staff_edit_a_place(client, staff_a, station_a, cell_a2):
    client.force_login(staff_a)
    url = reverse("grid:station_update", args=[station_a.pk])
    response = client.post(url, station_data(cell_a2, name="改名驿站", kind="station", update_every_days="60", is_active=""))
    assert response.status_code == 302
    station_a.refresh_from_db()
    assert (station_a.name, station_a.grid_cell, station_a.update_every_days, station_a.is_active) == (
        "改名驿站",
        cell_a2,
        60,
        False,
    )
    assert "Saved." in flashed(response)


# Content updates -------------------------------------------------------------------------------


def test_the_content_form_starts_with_today(client, grid_worker_a, station_a):
    client.force_login(grid_worker_a)
    response = client.get(reverse("grid:station_update_create", args=[station_a.pk]))
    assert response.context["form"].initial["updated_on"] == timezone.localdate()
    assert 'type="radio"' in response.content.decode()


def test_grid_worker_adds_content_with_a_photo(client, grid_worker_a, station_a):
    add_update(station_a, 40, title="旧标语")
    client.force_login(grid_worker_a)
    photo = SimpleUploadedFile("标语.jpg", jpeg(), content_type="image/jpeg")
    data = {"updated_on": days_ago(0).isoformat(), "title": "新时代文明实践标语", "kind": "slogans", "photo": photo, "note": "换上新标语"}
    response = client.post(reverse("grid:station_update_create", args=[station_a.pk]), data)
    assert response.status_code == 302 and response.url == station_a.get_absolute_url()
    assert "The new content is recorded." in flashed(response)

    update = StationUpdate.objects.get(title="新时代文明实践标语")
    assert update.station == station_a and update.created_by == grid_worker_a
    assert update.photo.name.startswith("private/stations/") and update.photo.name.endswith(".jpg")

    page = client.get(station_a.get_absolute_url()).content.decode()
    assert page.index("新时代文明实践标语") < page.index("旧标语")  # the latest first
    assert reverse("grid:station_update_photo", args=[update.pk]) in page
    assert "today" in page and "Needs new content" not in page


def test_content_without_a_photo(client, staff_a, station_a):
    client.force_login(staff_a)
    data = {"updated_on": days_ago(5).isoformat(), "title": "党史故事漫画", "kind": "comics"}
    assert client.post(reverse("grid:station_update_create", args=[station_a.pk]), data).status_code == 302
    update = StationUpdate.objects.get()
    assert not update.photo and update.updated_on == days_ago(5)
    assert "5 days ago" in client.get(station_a.get_absolute_url()).content.decode()


def test_a_future_date_is_refused(client, staff_a, station_a):
    client.force_login(staff_a)
    data = {"updated_on": days_ago(-1).isoformat(), "title": "明天的内容", "kind": "comics"}
    response = client.post(reverse("grid:station_update_create", args=[station_a.pk]), data)
    assert form_errors(response, "updated_on") == ["The date cannot be in the future."]
    assert not StationUpdate.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused(client, staff_a, station_a):
    client.force_login(staff_a)
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    data = {"updated_on": days_ago(0).isoformat(), "title": "假照片", "kind": "other", "photo": fake}
    response = client.post(reverse("grid:station_update_create", args=[station_a.pk]), data)
    assert "JPEG, PNG or WebP" in " ".join(form_errors(response, "photo"))
    assert not StationUpdate.objects.exists()


def test_staff_remove_a_content_update_and_its_photo(client, staff_a, update_with_photo):
    name = update_with_photo.photo.name
    assert default_storage.exists(name)
    client.force_login(staff_a)
    response = client.post(reverse("grid:station_update_delete", args=[update_with_photo.pk]))
    assert response.status_code == 302 and response.url == update_with_photo.station.get_absolute_url()
    assert not StationUpdate.objects.exists() and not default_storage.exists(name)


# The photo view ---------------------------------------------------------------------------------


def test_photo_is_served_privately(client, grid_worker_a, update_with_photo):
    client.force_login(grid_worker_a)
    response = client.get(reverse("grid:station_update_photo", args=[update_with_photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_photo_404_without_a_photo(client, staff_a, update_a):
    client.force_login(staff_a)
    assert client.get(reverse("grid:station_update_photo", args=[update_a.pk])).status_code == 404


def test_photo_accepts_only_get_and_head(client, staff_a, update_with_photo):
    client.force_login(staff_a)
    assert client.post(reverse("grid:station_update_photo", args=[update_with_photo.pk])).status_code == 405


def test_private_photos_are_not_under_a_public_url(settings, update_with_photo):
    assert update_with_photo.photo.name.startswith("private/")


# "Needs new content" -----------------------------------------------------------------------------


def fresh(station):
    return stations_with_freshness(Station.objects.filter(pk=station.pk)).get()


@pytest.mark.parametrize(
    "age,every,stale",
    [(31, 30, True), (29, 30, False), (30, 30, False), (8, 7, True), (6, 7, False), (100, 120, False), (0, 1, False)],
)
def test_stale_after_the_places_own_interval(cell_a, age, every, stale):
    station = make_station(cell_a, "驿站", update_every_days=every)
    add_update(station, age)
    add_update(station, age + 90, title="更早的内容")  # only the latest counts
    annotated = fresh(station)
    assert annotated.last_updated_on == days_ago(age)
    assert annotated.days_since_update.days == age
    assert annotated.is_stale is stale
    assert station.is_stale(annotated.last_updated_on) is stale  # the model's rule agrees
    assert filter_stale(stations_with_freshness(Station.objects.all()), stale=True).exists() is stale


def test_never_updated_is_stale(cell_a):
    annotated = fresh(make_station(cell_a, "新驿站"))
    assert annotated.last_updated_on is None and annotated.days_since_update is None and annotated.is_stale


def test_an_inactive_place_needs_nothing(cell_a):
    station = make_station(cell_a, "停用的驿站", is_active=False, inactive_since=datetime.date.today())
    assert not fresh(station).is_stale
    assert not filter_stale(stations_with_freshness(Station.objects.all()), stale=True).exists()


def test_list_filters_by_staleness_kind_cell_and_search(client, staff_a, cell_a, cell_a2):
    old = make_station(cell_a, "老驿站", update_every_days=30)
    add_update(old, 31)
    new = make_station(cell_a, "新驿站", update_every_days=30)
    add_update(new, 29)
    weekly = make_station(cell_a2, "周更微党校", kind=Station.Kind.SCHOOL, update_every_days=7)
    add_update(weekly, 8)
    empty = make_station(cell_a2, "空的微党校", kind=Station.Kind.SCHOOL)
    client.force_login(staff_a)
    url = reverse("grid:station_list")

    def names(query):
        return {s.name for s in client.get(url + query).context["object_list"]}

    assert names("?stale=yes") == {old.name, weekly.name, empty.name}
    assert names("?stale=no") == {new.name}
    assert names("?kind=school") == {weekly.name, empty.name}
    assert names(f"?grid_cell={cell_a.pk}&stale=yes") == {old.name}
    assert names("?q=周更") == {weekly.name}
    page = client.get(url).content.decode()
    assert "31 days ago" in page and "29 days ago" in page and "No content yet" in page
    assert page.count("Needs new content") == 3 + 1  # three badges and the filter's option


def test_list_query_count_is_constant(client, staff_a, grid_worker_a, community_a, cell_a, cell_a2, django_assert_max_num_queries):
    buildings = Building.objects.bulk_create(Building(grid_cell=cell_a, name=f"{n}号楼") for n in range(1, 11))
    cells = [cell_a, cell_a2] + GridCell.objects.bulk_create(
        GridCell(community=community_a, number=n, name=f"网格{n}") for n in range(3, 8)
    )
    stations = Station.objects.bulk_create(
        Station(
            community=community_a,
            grid_cell=cells[n % len(cells)],
            building=buildings[n % 10] if n % len(cells) == 0 else None,
            name=f"驿站{n}",
            kind=Station.Kind.STATION if n % 2 else Station.Kind.SCHOOL,
            update_every_days=7 + n % 30,
        )
        for n in range(300)
    )
    StationUpdate.objects.bulk_create(
        StationUpdate(station=station, updated_on=days_ago(n % 60 + k * 20), title=f"内容{k}", kind="slogans")
        for n, station in enumerate(stations)
        for k in range(2)
    )
    url = reverse("grid:station_list")
    for user in (staff_a, grid_worker_a):
        client.force_login(user)
        for query in ("", "?stale=yes", "?stale=no&kind=school", "?page=2"):
            with django_assert_max_num_queries(12):
                response = client.get(url + query)
            assert response.status_code == 200 and response.context["object_list"]
