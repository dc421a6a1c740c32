"""Staff and grid-worker wish pages: the permission matrix, every action through
its view, the private photos, the list's filters and its query count."""

import datetime
import io

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import make_user
from grid.models import Building
from portal.models import User
from portal.privacy import resident_key
from wishes.models import MicroWish

S = MicroWish.Status
OFFICE = {"area_admin", "staff_a"}
GRID = OFFICE | {"grid_worker_a"}
ACTORS = ["area_admin", "staff_a", "grid_worker_a", "member_user_a", "liaison_a"]
PHONE = "13700001111"


@pytest.fixture
def everyone(request, member_user_a, liaison_a, grid_worker_a, staff_a, staff_b, area_admin):
    return {name: request.getfixturevalue(name) for name in ACTORS + ["staff_b"]}


def jpeg(size=(40, 30), color="red"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def jpeg_upload(name="photo.jpg"):
    return SimpleUploadedFile(name, jpeg(), content_type="image/jpeg")


def flashed(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def errors(response):
    return [text for level, text in flashed(response) if level == "error"]


@pytest.fixture
def submitted(make_wish):
    return make_wish("submitted")


@pytest.fixture
def claimed(make_wish, staff_a, member_user_a):
    return make_wish("claimed", staff=staff_a, claimer=member_user_a)


@pytest.fixture
def delivered(make_wish, staff_a, member_user_a):
    return make_wish("delivered", staff=staff_a, claimer=member_user_a)


# The permission matrix -------------------------------------------------------------

# url name, the wish it addresses (fixture name or None), roles that may GET it
GET_VIEWS = [
    ("wishes:list", None, GRID),
    ("wishes:proxy_new", None, GRID),
    ("wishes:detail", "submitted", GRID),
    ("wishes:edit", "submitted", OFFICE),
    # Staff may record a delivery they saw; the holder (member_user_a) too; a
    # liaison who does not hold the wish may not.
    ("wishes:deliver", "claimed", OFFICE | {"member_user_a"}),
]
# url name, the wish it addresses, the roles the view is open to
POST_VIEWS = [
    ("wishes:approve", "submitted", OFFICE),
    ("wishes:reject", "submitted", OFFICE),
    ("wishes:confirm", "delivered", OFFICE),
    ("wishes:cancel", "claimed", OFFICE | {"member_user_a", "liaison_a"}),
    ("wishes:claim", "submitted", {"member_user_a", "liaison_a"}),
]


def _url(request, name, wish_fixture):
    if wish_fixture is None:
        return reverse(name)
    return reverse(name, args=[request.getfixturevalue(wish_fixture).pk])


@pytest.mark.parametrize("name,obj,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
def test_anonymous_is_sent_to_login(request, client, everyone, name, obj, allowed):
    response = client.get(_url(request, name, obj))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize("name,obj,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
@pytest.mark.parametrize("actor", ACTORS)
def test_role_matrix(request, client, everyone, name, obj, allowed, actor):
    client.force_login(everyone[actor])
    response = client.get(_url(request, name, obj))
    expected = 200 if actor in allowed else 403
    assert response.status_code == expected, f"{actor} on {name}"


@pytest.mark.parametrize("name,obj", [(n, o) for n, o, allowed in GET_VIEWS if o], ids=[v[0] for v in GET_VIEWS if v[1]])
def test_other_community_staff_get_404(request, client, everyone, name, obj):
    client.force_login(everyone["staff_b"])
    assert client.get(_url(request, name, obj)).status_code == 404


@pytest.mark.parametrize("name,obj,allowed", POST_VIEWS, ids=[v[0] for v in POST_VIEWS])
def test_post_only_views(request, client, everyone, name, obj, allowed):
    url = _url(request, name, obj)
    wish = request.getfixturevalue(obj)
    status_before = wish.status
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))
    allowed_actor = sorted(allowed)[0]
    client.force_login(everyone[allowed_actor])
    assert client.get(url).status_code == 405
    for actor in ACTORS:
        if actor not in allowed:
            client.force_login(everyone[actor])
            assert client.post(url).status_code == 403, f"{actor} on {name}"
    wish.refresh_from_db()
    assert wish.status == status_before  # nobody changed it


@pytest.mark.parametrize("name,obj", [(n, o) for n, o, allowed in POST_VIEWS if "staff_a" in allowed])
def test_post_views_answer_404_to_another_community(request, client, everyone, name, obj):
    client.force_login(everyone["staff_b"])
    assert client.post(_url(request, name, obj), {"reason": "x"}).status_code == 404


def test_member_of_another_community_cannot_claim(client, community_b, make_wish, staff_a):
    wish = make_wish("open", staff=staff_a)
    client.force_login(make_user("member_b", User.Role.MEMBER, community_b))
    assert client.post(reverse("wishes:claim", args=[wish.pk])).status_code == 404
    wish.refresh_from_db()
    assert wish.status == S.OPEN


def test_grid_worker_sees_only_wishes_of_their_cells(client, grid_worker_a, make_wish, cell_a2):
    mine = make_wish(title="东区的心愿")
    other = make_wish(title="西区的心愿", cell=cell_a2)
    client.force_login(grid_worker_a)
    listing = client.get(reverse("wishes:list")).content.decode()
    assert mine.title in listing and other.title not in listing
    assert client.get(reverse("wishes:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("wishes:detail", args=[other.pk])).status_code == 404


def test_grid_worker_sees_no_review_buttons(client, grid_worker_a, submitted):
    client.force_login(grid_worker_a)
    page = client.get(reverse("wishes:detail", args=[submitted.pk])).content.decode()
    assert reverse("wishes:approve", args=[submitted.pk]) not in page
    assert reverse("wishes:reject", args=[submitted.pk]) not in page


def test_other_community_list_does_not_show_our_wishes(client, staff_b, submitted):
    client.force_login(staff_b)
    response = client.get(reverse("wishes:list"))
    assert response.status_code == 200 and submitted.title not in response.content.decode()


# Review ------------------------------------------------------------------------------------


def test_approve_with_corrections(client, staff_a, submitted, cell_a2):
    building = Building.objects.create(grid_cell=cell_a2, name="7号楼")
    client.force_login(staff_a)
    response = client.post(
        reverse("wishes:approve", args=[submitted.pk]),
        {"category": MicroWish.Category.REPAIR, "grid_cell": cell_a2.pk, "building": building.pk},
    )
    assert response.status_code == 302 and response["Location"] == submitted.get_absolute_url()
    submitted.refresh_from_db()
    assert (submitted.status, submitted.category, submitted.grid_cell, submitted.building) == (
        S.OPEN, "repair", cell_a2, building,
    )
    assert submitted.published_at is not None
    assert submitted.events.last().actor == staff_a
    assert ("success", "The wish is published; members can claim it now.") in flashed(response)


def test_approve_without_changes_keeps_the_place(client, staff_a, make_wish, cell_a, building_a):
    wish = make_wish(building=building_a)
    client.force_login(staff_a)
    client.post(
        reverse("wishes:approve", args=[wish.pk]),
        {"category": wish.category, "grid_cell": cell_a.pk, "building": building_a.pk},
    )
    wish.refresh_from_db()
    assert (wish.status, wish.grid_cell, wish.building) == (S.OPEN, cell_a, building_a)


def test_approve_refuses_a_building_of_another_cell(client, staff_a, submitted, cell_a2, building_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("wishes:approve", args=[submitted.pk]),
        {"category": submitted.category, "grid_cell": cell_a2.pk, "building": building_a.pk},
    )
    assert errors(response) == ["This building is not in the chosen grid cell."]
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_approve_twice_gives_a_message(client, staff_a, make_wish):
    wish = make_wish("open", staff=staff_a)
    client.force_login(staff_a)
    response = client.post(reverse("wishes:approve", args=[wish.pk]), {"category": wish.category})
    assert response.status_code == 302
    assert errors(response) == ["Only a wish awaiting review can be published."]


def test_reject_needs_a_reason(client, staff_a, submitted):
    client.force_login(staff_a)
    response = client.post(reverse("wishes:reject", args=[submitted.pk]), {"reason": "  "})
    assert response.status_code == 302
    assert errors(response) == ["Please give the reason; the resident will see it."]
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_reject_with_a_reason(client, staff_a, submitted):
    client.force_login(staff_a)
    client.post(reverse("wishes:reject", args=[submitted.pk]), {"reason": "请联系民政窗口"})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reject_reason) == (S.REJECTED, "请联系民政窗口")
    page = client.get(reverse("wishes:detail", args=[submitted.pk])).content.decode()
    assert "请联系民政窗口" in page


# Proxy entry (代办) ---------------------------------------------------------------------------


def _proxy_data(cell, **extra):
    data = {
        "wisher_name": "李桂兰",
        "wisher_phone": "137 0000 2222",
        "grid_cell": cell.pk,
        "category": MicroWish.Category.REPAIR,
        "title": "修一下楼道的灯",
        "resident_agreed": "on",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("actor", ["staff_a", "grid_worker_a"])
def test_proxy_entry_is_marked_and_shows_the_code(request, client, cell_a, actor):
    user = request.getfixturevalue(actor)
    client.force_login(user)
    response = client.post(reverse("wishes:proxy_new"), _proxy_data(cell_a, photo=jpeg_upload()))
    wish = MicroWish.objects.get()
    assert response.status_code == 302 and response["Location"] == wish.get_absolute_url()
    assert (wish.status, wish.entered_by, wish.wisher_phone) == (S.SUBMITTED, user, "13700002222")
    assert wish.consent_at is not None
    assert wish.photo.name.startswith("private/")
    event = wish.events.get()
    assert (event.actor, event.by_resident) == (user, False)
    page = client.get(response["Location"]).content.decode()
    assert wish.code_display in page


def test_proxy_entry_needs_the_residents_agreement(client, staff_a, cell_a):
    client.force_login(staff_a)
    response = client.post(reverse("wishes:proxy_new"), _proxy_data(cell_a, resident_agreed=""))
    assert response.status_code == 200
    assert "resident_agreed" in response.context["form"].errors
    assert not MicroWish.objects.exists()


def test_proxy_entry_offers_only_our_grid_cells(client, staff_a, cell_a, cell_b):
    client.force_login(staff_a)
    response = client.post(reverse("wishes:proxy_new"), _proxy_data(cell_b))
    assert "grid_cell" in response.context["form"].errors
    assert not MicroWish.objects.exists()


def test_area_admin_chooses_the_community_first(client, area_admin, community_a, cell_a):
    client.force_login(area_admin)
    response = client.get(reverse("wishes:proxy_new"))
    assert response.context["form"] is None and "community" in response.context["chooser"].fields
    url = reverse("wishes:proxy_new") + f"?community={community_a.pk}"
    assert client.get(url).context["form"] is not None
    client.post(url, _proxy_data(cell_a))
    wish = MicroWish.objects.get()
    assert (wish.community, wish.entered_by) == (community_a, area_admin)


# Edit --------------------------------------------------------------------------------------


def test_staff_correct_a_wish(client, staff_a, make_wish, cell_a2):
    wish = make_wish("open", staff=staff_a)
    client.force_login(staff_a)
    response = client.post(
        reverse("wishes:edit", args=[wish.pk]),
        {"category": "daily", "grid_cell": cell_a2.pk, "building": "", "address_detail": "3单元201",
         "title": "一个新书包", "description": ""},
    )
    assert response.status_code == 302
    wish.refresh_from_db()
    assert (wish.category, wish.grid_cell, wish.address_detail, wish.title, wish.status) == (
        "daily", cell_a2, "3单元201", "一个新书包", S.OPEN,
    )


def test_a_claimed_wish_cannot_be_corrected(client, staff_a, claimed):
    client.force_login(staff_a)
    response = client.get(reverse("wishes:edit", args=[claimed.pk]))
    assert response.status_code == 302 and response["Location"] == claimed.get_absolute_url()
    assert errors(response) == ["Only a wish awaiting review or open for claiming can be corrected."]
    response = client.post(reverse("wishes:edit", args=[claimed.pk]), {"title": "改了", "category": "daily"})
    claimed.refresh_from_db()
    assert claimed.title != "改了" and claimed.status == S.CLAIMED


# Delivery, cancel, confirm by staff --------------------------------------------------------


def test_staff_record_a_delivery_with_a_photo(client, staff_a, claimed):
    client.force_login(staff_a)
    response = client.post(
        reverse("wishes:deliver", args=[claimed.pk]), {"note": "书包已送到家里", "photo": jpeg_upload()}
    )
    assert response.status_code == 302 and response["Location"] == claimed.get_absolute_url()
    claimed.refresh_from_db()
    assert (claimed.status, claimed.delivery_note) == (S.DELIVERED, "书包已送到家里")
    assert claimed.delivery_photo.name.startswith("private/")
    photo = client.get(reverse("wishes:photo", args=[claimed.pk, "delivery"]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(photo.streaming_content))).size == (40, 30)


def test_a_bad_photo_is_refused_and_nothing_changes(client, staff_a, claimed):
    client.force_login(staff_a)
    bad = SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    response = client.post(reverse("wishes:deliver", args=[claimed.pk]), {"note": "x", "photo": bad})
    assert response.status_code == 200 and "photo" in response.context["form"].errors
    claimed.refresh_from_db()
    assert claimed.status == S.CLAIMED


def test_staff_cancel_a_claim(client, staff_a, claimed):
    client.force_login(staff_a)
    response = client.post(reverse("wishes:cancel", args=[claimed.pk]), {"reason": ""})
    assert errors(response) == ["Please say why the claim is cancelled."]
    client.post(reverse("wishes:cancel", args=[claimed.pk]), {"reason": "党员联系不上"})
    claimed.refresh_from_db()
    assert claimed.status == S.OPEN and claimed.holder is None


def test_staff_confirm_on_the_residents_behalf(client, staff_a, delivered):
    client.force_login(staff_a)
    response = client.post(reverse("wishes:confirm", args=[delivered.pk]), {"thank_you": "电话里说谢谢"})
    assert response.status_code == 302
    delivered.refresh_from_db()
    assert (delivered.status, delivered.thank_you_note) == (S.FULFILLED, "电话里说谢谢")
    event = delivered.events.last()
    assert (event.actor, event.by_resident) == (staff_a, False)


def test_confirm_of_a_claimed_wish_gives_a_message(client, staff_a, claimed):
    client.force_login(staff_a)
    response = client.post(reverse("wishes:confirm", args=[claimed.pk]))
    assert errors(response) == ["Only a delivered wish can be confirmed."]


# Detail --------------------------------------------------------------------------------------


def test_detail_shows_the_whole_record(client, staff_a, make_wish, building_a, member_a):
    member_a.reported_on = member_a.registered_on
    member_a.save()
    wish = make_wish(building=building_a, address_detail="2单元302", entered_by=staff_a)
    client.force_login(staff_a)
    response = client.get(reverse("wishes:detail", args=[wish.pk]))
    page = response.content.decode()
    assert f'href="tel:{PHONE}"' in page
    for text in [wish.wisher_name, "2单元302", building_a.name, wish.code_display, reverse("wishes:approve", args=[wish.pk])]:
        assert text in page
    assert member_a in list(response.context["suggested"])  # lives in the wish's grid cell


def test_detail_shows_the_timeline_with_names(client, staff_a, claimed, member_user_a):
    staff_a.full_name = "刘主任"
    staff_a.save()
    client.force_login(staff_a)
    page = client.get(reverse("wishes:detail", args=[claimed.pk])).content.decode()
    assert "刘主任" in page and member_user_a.display_name in page
    assert reverse("wishes:deliver", args=[claimed.pk]) in page
    assert reverse("wishes:cancel", args=[claimed.pk]) in page


def test_detail_shows_the_photo_through_the_photo_view(client, staff_a, submitted):
    submitted.photo.save("x.jpg", ContentFile(jpeg()), save=True)
    client.force_login(staff_a)
    page = client.get(reverse("wishes:detail", args=[submitted.pk])).content.decode()
    assert f'<img src="{reverse("wishes:photo", args=[submitted.pk, "wish"])}"' in page
    assert django_settings.MEDIA_URL not in page


# Photos --------------------------------------------------------------------------------------


@pytest.fixture
def wish_with_photo(claimed):
    claimed.photo.save("x.jpg", ContentFile(jpeg()), save=True)
    return claimed


@pytest.mark.parametrize(
    "actor,expected",
    [
        ("area_admin", 200),
        ("staff_a", 200),
        ("grid_worker_a", 200),
        ("member_user_a", 200),  # the holder
        ("liaison_a", 403),  # same community, does not hold it
        ("staff_b", 404),
    ],
)
def test_photo_access(client, everyone, wish_with_photo, actor, expected):
    client.force_login(everyone[actor])
    response = client.get(reverse("wishes:photo", args=[wish_with_photo.pk, "wish"]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "image/jpeg"


def test_photo_needs_login_and_a_known_kind(client, staff_a, wish_with_photo):
    url = reverse("wishes:photo", args=[wish_with_photo.pk, "wish"])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))
    client.force_login(staff_a)
    assert client.get(reverse("wishes:photo", args=[wish_with_photo.pk, "secret"])).status_code == 404
    assert client.get(reverse("wishes:photo", args=[wish_with_photo.pk, "delivery"])).status_code == 404  # none yet


def test_grid_worker_gets_404_for_a_photo_outside_their_cells(client, grid_worker_a, make_wish, cell_a2):
    wish = make_wish(cell=cell_a2)
    wish.photo.save("x.jpg", ContentFile(jpeg()), save=True)
    client.force_login(grid_worker_a)
    assert client.get(reverse("wishes:photo", args=[wish.pk, "wish"])).status_code == 404


# The list ----------------------------------------------------------------------------------------


def _titles(response):
    return {wish.title for wish in response.context["wishes"]}


def test_list_filters_by_status(client, staff_a, make_wish):
    make_wish(title="待审核")
    make_wish("open", staff=staff_a, title="已发布")
    client.force_login(staff_a)
    response = client.get(reverse("wishes:list"), {"status": "submitted"})
    assert _titles(response) == {"待审核"}
    assert "Awaiting review (1)" in response.content.decode()


def test_list_filters_overdue(client, staff_a, community_a, make_wish):
    community_a.wish_claim_days = 7
    community_a.save()
    late = make_wish("open", staff=staff_a, title="没人认领")
    make_wish("open", staff=staff_a, title="刚发布")
    MicroWish.objects.filter(pk=late.pk).update(published_at=timezone.now() - datetime.timedelta(days=8))
    client.force_login(staff_a)
    response = client.get(reverse("wishes:list"), {"overdue": "yes"})
    assert _titles(response) == {"没人认领"}
    assert "Overdue (1)" in response.content.decode()


def test_list_search_by_phone_and_by_code(client, staff_a, make_wish):
    wish = make_wish(title="找得到", wisher_phone="13911112222")
    make_wish(title="找不到")
    client.force_login(staff_a)
    assert _titles(client.get(reverse("wishes:list"), {"q": "1111222"})) == {"找得到"}
    assert _titles(client.get(reverse("wishes:list"), {"q": wish.code_display.lower()})) == {"找得到"}


def test_list_filters_by_submission_date_and_cell(client, staff_a, make_wish, cell_a2):
    old = make_wish(title="上个月")
    MicroWish.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=40))
    make_wish(title="本周", cell=cell_a2)
    client.force_login(staff_a)
    today = timezone.localdate()
    response = client.get(reverse("wishes:list"), {"submitted_from": (today - datetime.timedelta(days=7)).isoformat()})
    assert _titles(response) == {"本周"}
    response = client.get(reverse("wishes:list"), {"submitted_to": (today - datetime.timedelta(days=30)).isoformat()})
    assert _titles(response) == {"上个月"}
    assert _titles(client.get(reverse("wishes:list"), {"grid_cell": cell_a2.pk})) == {"本周"}


def test_list_masks_the_phone(client, staff_a, make_wish):
    make_wish()
    client.force_login(staff_a)
    page = client.get(reverse("wishes:list")).content.decode()
    assert "137****1111" in page and PHONE not in page


def _many_wishes(community, cells, buildings, entered_by, n=300):
    wishes = [
        MicroWish(
            community=community,
            grid_cell=cells[i % len(cells)],
            building=buildings[i % len(buildings)] if i % 3 else None,
            status=S.SUBMITTED if i % 2 else S.OPEN,
            published_at=None if i % 2 else timezone.now(),
            category=MicroWish.Category.DAILY,
            title=f"心愿 {i}",
            wisher_name="王秀英",
            wisher_phone=PHONE,
            wisher_key=resident_key(PHONE),
            entered_by=entered_by if i % 5 == 0 else None,
        )
        for i in range(n)
    ]
    MicroWish.objects.bulk_create(wishes)


@pytest.mark.parametrize("actor", ["staff_a", "area_admin", "grid_worker_a"])
def test_list_query_count_is_constant(request, client, django_assert_max_num_queries, community_a, cell_a, cell_a2, building_a, staff_a, actor):
    _many_wishes(community_a, [cell_a, cell_a2], [building_a], staff_a)
    client.force_login(request.getfixturevalue(actor))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("wishes:list"), {"q": "心愿"})
    assert response.status_code == 200
    assert len(response.context["wishes"]) == django_settings.PAGE_SIZE


# Dashboard, navigation, grid pages ----------------------------------------------------------------


def test_dashboard_shows_the_wish_to_dos(client, staff_a, community_a, make_wish):
    make_wish()
    late = make_wish("open", staff=staff_a)
    MicroWish.objects.filter(pk=late.pk).update(published_at=timezone.now() - datetime.timedelta(days=30))
    client.force_login(staff_a)
    response = client.get(reverse("office:dashboard"))
    cards = {card["href"]: card["value"] for card in response.context["wish_cards"]}
    assert cards == {reverse("wishes:list") + "?status=submitted": 1, reverse("wishes:list") + "?overdue=yes": 1}
    assert reverse("wishes:list") in response.content.decode()  # in the navigation too


def test_member_detail_lists_the_members_wishes(client, staff_a, member_a, make_wish, member_user_a):
    wish = make_wish("claimed", staff=staff_a, claimer=member_user_a, title="陪老人聊天")
    client.force_login(staff_a)
    page = client.get(reverse("grid:member_detail", args=[member_a.pk])).content.decode()
    assert "陪老人聊天" in page and wish.get_absolute_url() in page


def test_community_detail_links_to_the_poster(client, staff_a, community_a):
    client.force_login(staff_a)
    page = client.get(reverse("grid:community_detail", args=[community_a.pk])).content.decode()
    assert reverse("wishes:poster", args=[community_a.code]) in page
