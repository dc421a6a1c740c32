"""The residents' pages: the wish form, tracking, the wall and the QR poster."""

import io
import re

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from grid.models import Building
from wishes.models import MicroWish
from portal.privacy import resident_key

S = MicroWish.Status
NEW = reverse("wishes:new")
DONE = reverse("wishes:submitted")
TRACK = reverse("wishes:track")
CONFIRM = reverse("wishes:track_confirm")
WALL = reverse("wishes:wall")

TOO_MANY_SUBMISSIONS = "Too many submissions from this network. Please wait 10 minutes or call the community office."
TOO_MANY_LOOKUPS = "Too many lookups from this network. Please wait 10 minutes or call the community office."
NO_MATCH = "No wish matches this code and phone number."


@pytest.fixture(autouse=True)
def _public_setup(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # the throttle counts live in the cache
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"  # messages in English
    yield
    cache.clear()


def jpeg_file(name="grandson.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def wish_data(cell_a):
    return {
        "wisher_name": "王秀英",
        "wisher_phone": "137 0000 1111",
        "grid_cell": str(cell_a.pk),
        "building": "",
        "address_detail": "3单元502室",
        "category": "study",
        "title": "给孙子买一个书包",
        "description": "孙子今年上一年级。",
        "consent": "on",
        "sensitive_consent": "on",
        "website": "",
    }


def new_url(community):
    return f"{NEW}?c={community.code}"


def content(response):
    return response.content.decode()


# The wish form -------------------------------------------------------------------


def test_submit_without_photo(client, community_a, wish_data):
    response = client.post(new_url(community_a), wish_data)
    assert response.status_code == 302
    assert response["Location"] == DONE

    wish = MicroWish.objects.get()
    assert wish.status == S.SUBMITTED
    assert wish.community == community_a
    assert wish.wisher_phone == "13700001111"
    assert wish.consent_at is not None
    assert wish.entered_by is None
    assert not wish.photo
    assert wish.events.get().by_resident

    done = client.get(DONE)
    assert done.status_code == 200
    assert wish.code_display in content(done)
    assert wish.code != str(wish.pk) and len(wish.code) == 10
    assert "no-store" in done["Cache-Control"]
    # Reloading the page in the same session still shows the code.
    assert wish.code_display in content(client.get(DONE))


def test_submit_with_photo(client, community_a, wish_data, tmp_path):
    response = client.post(new_url(community_a), {**wish_data, "photo": jpeg_file()})
    assert response.status_code == 302

    wish = MicroWish.objects.get()
    assert wish.photo.name.startswith("private/wishes/")
    assert "grandson" not in wish.photo.name
    assert re.search(r"/[0-9a-f]{32}\.jpg$", wish.photo.name)
    assert (tmp_path / wish.photo.name).is_file()
    assert wish.code_display in content(client.get(DONE))


def test_form_page_for_the_only_community(client, community_a, cell_a):
    response = client.get(NEW)
    assert response.status_code == 200
    html = content(response)
    assert 'enctype="multipart/form-data"' in html
    assert 'name="consent"' in html
    assert 'name="website"' in html
    assert 'id="div_id_website"' in html  # the wrapper the page hides
    assert response.context["community"] == community_a


def test_several_communities_without_code_list_them(client, community_a, community_b):
    response = client.get(NEW)
    assert response.status_code == 200
    html = content(response)
    assert f"{NEW}?c=shahejie" in html
    assert f"{NEW}?c=beiguan" in html
    assert "form" not in response.context


def test_unknown_community_is_404(client, community_a):
    assert client.get(f"{NEW}?c=nowhere").status_code == 404


def test_cell_in_the_link_is_preselected(client, community_a, cell_a, cell_a2, cell_b):
    response = client.get(f"{NEW}?c=shahejie&cell={cell_a2.pk}")
    assert response.context["form"]["grid_cell"].value() == cell_a2.pk
    # A cell of another community, or nonsense, is ignored.
    for value in (cell_b.pk, "abc", "99999"):
        response = client.get(f"{NEW}?c=shahejie&cell={value}")
        assert response.status_code == 200
        assert response.context["form"]["grid_cell"].value() is None


@pytest.mark.parametrize(
    "change, field",
    [
        ({"wisher_name": ""}, "wisher_name"),
        ({"wisher_phone": "12345"}, "wisher_phone"),
        ({"consent": None}, "consent"),
        ({"title": ""}, "title"),
        ({"title": "书" * 61}, "title"),
        ({"description": "字" * 501}, "description"),
        ({"building": "other-cell"}, "building"),
        ({"grid_cell": "community-b"}, "grid_cell"),
        ({"photo": "not-an-image"}, "photo"),
    ],
    ids=["no-name", "bad-phone", "no-consent", "no-title", "long-title", "long-description",
         "building-not-in-cell", "cell-of-community-b", "not-an-image"],
)
def test_bad_input_is_refused_and_kept(client, community_a, cell_a2, cell_b, wish_data, change, field):
    data = dict(wish_data)
    for key, value in change.items():
        if value is None:
            data.pop(key)
        elif value == "other-cell":
            data[key] = str(Building.objects.create(grid_cell=cell_a2, name="9号楼").pk)
        elif value == "community-b":
            data[key] = str(cell_b.pk)
        elif value == "not-an-image":
            data[key] = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
        else:
            data[key] = value

    response = client.post(new_url(community_a), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert MicroWish.objects.count() == 0
    html = content(response)
    # What the resident typed in the other fields is still there.
    for key in ("wisher_name", "title", "address_detail"):
        if key != field:
            assert data[key] in html
    if field == "photo":
        assert "Please choose your photo again." in html


def test_honeypot_saves_nothing_but_looks_the_same(client, community_a, wish_data):
    response = client.post(new_url(community_a), {**wish_data, "website": "http://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == DONE
    assert MicroWish.objects.count() == 0
    done = client.get(DONE)
    assert done.status_code == 200
    assert re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", content(done))


def test_done_page_without_a_wish_goes_to_the_form(client, community_a):
    response = client.get(DONE)
    assert response.status_code == 302
    assert response["Location"] == NEW


def test_new_form_refuses_other_methods(client, community_a):
    assert client.put(new_url(community_a)).status_code == 405


# Throttle --------------------------------------------------------------------------


def test_sixth_submission_in_ten_minutes_is_refused(client, community_a, wish_data):
    for number in range(5):
        response = client.post(new_url(community_a), {**wish_data, "title": f"心愿{number}"})
        assert response.status_code == 302

    response = client.post(new_url(community_a), {**wish_data, "title": "第六个心愿"})

    assert response.status_code == 429
    html = content(response)
    assert TOO_MANY_SUBMISSIONS in html
    assert "第六个心愿" in html  # nothing the resident typed is lost
    assert MicroWish.objects.count() == 5


def test_throttle_counts_by_remote_addr_not_forwarded_for(client, community_a, wish_data):
    for _ in range(5):
        client.post(new_url(community_a), wish_data)
    # A made-up X-Forwarded-For does not give a fresh count...
    response = client.post(new_url(community_a), wish_data, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429
    # ...another address does.
    response = client.post(new_url(community_a), wish_data, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302
    assert MicroWish.objects.count() == 6


def test_invalid_submissions_do_not_count(client, community_a, wish_data):
    for _ in range(6):
        client.post(new_url(community_a), {**wish_data, "title": ""})
    assert client.post(new_url(community_a), wish_data).status_code == 302


def test_submission_limit_comes_from_settings(client, settings, community_a, wish_data):
    settings.WISH_SUBMIT_LIMIT = 1
    assert client.post(new_url(community_a), wish_data).status_code == 302
    assert client.post(new_url(community_a), wish_data).status_code == 429


# Tracking --------------------------------------------------------------------------


def lookup(client, code, digits="1111", **extra):
    return client.post(TRACK, {"code": code, "phone_last4": digits}, **extra)


def test_track_shows_status_and_timeline(client, make_wish):
    wish = make_wish("submitted")
    response = lookup(client, wish.code)
    assert response.status_code == 302
    assert response["Location"] == TRACK

    page = client.get(TRACK)
    html = content(page)
    assert "no-store" in page["Cache-Control"]
    assert wish.title in html
    assert "Awaiting review" in html
    assert "Wish received" in html
    assert f"{timezone.localtime(wish.submitted_at):%Y-%m-%d}" in html
    assert "****1111" in html
    assert "13700001111" not in html
    assert "王秀英" not in html


@pytest.mark.parametrize("typed", ["lower", "dashed", "spaced"])
def test_track_accepts_lowercase_dashes_and_spaces(client, make_wish, typed):
    wish = make_wish("submitted")
    code = {
        "lower": wish.code.lower(),
        "dashed": wish.code_display.lower(),
        "spaced": f" {wish.code[:3]} {wish.code[3:6]} {wish.code[6:]} ",
    }[typed]
    assert lookup(client, code).status_code == 302
    assert wish.title in content(client.get(TRACK))


def test_wrong_code_and_wrong_digits_give_the_same_answer(client, make_wish):
    wish = make_wish("submitted")
    other_code = "ABCDEFGHJK" if wish.code != "ABCDEFGHJK" else "KJHGFEDCBA"

    wrong_digits = lookup(client, wish.code, "2222")
    wrong_code = lookup(client, other_code, "1111")

    for response in (wrong_digits, wrong_code):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [NO_MATCH]
        assert NO_MATCH in content(response)
        assert response.context["wish"] is None
    assert "tracked_wish" not in client.session


def test_malformed_code_gets_a_format_hint(client, make_wish):
    response = lookup(client, "ABC")
    assert response.status_code == 200
    assert "code" in response.context["form"].errors


def test_eleventh_lookup_is_refused(client, make_wish):
    wish = make_wish("submitted")
    for _ in range(10):
        assert lookup(client, wish.code, "9999").status_code == 200
    response = lookup(client, wish.code, "1111")
    assert response.status_code == 429
    assert TOO_MANY_LOOKUPS in content(response)
    assert "tracked_wish" not in client.session


def test_confirm_a_delivered_wish(client, make_wish, staff_a, member_user_a):
    wish = make_wish("delivered", staff=staff_a, claimer=member_user_a)
    lookup(client, wish.code)
    page = content(client.get(TRACK))
    assert "书包已送到" in page  # the delivery note
    assert "a party member" in page
    assert "张建国" not in page and "13800001234" not in page and "staff_a" not in page
    assert CONFIRM in page

    response = client.post(CONFIRM, {"code": wish.code, "thank_you": "谢谢党员同志！"})

    assert response.status_code == 302
    wish.refresh_from_db()
    assert wish.status == S.FULFILLED
    assert wish.thank_you_note == "谢谢党员同志！"
    assert wish.events.last().by_resident
    page = content(client.get(TRACK))
    assert "Thank you! Your wish is marked as fulfilled." in page
    assert "谢谢党员同志！" in page


def test_confirm_refuses_a_wish_not_looked_up(client, make_wish, staff_a, member_user_a):
    looked_up = make_wish("submitted")
    other = make_wish("delivered", staff=staff_a, claimer=member_user_a, title="修楼道灯")

    # No lookup at all in this session:
    response = client.post(CONFIRM, {"code": other.code})
    assert response.status_code == 302
    # Another wish looked up:
    lookup(client, looked_up.code)
    response = client.post(CONFIRM, {"code": other.code}, follow=True)

    assert "Please look up your wish again" in content(response)
    other.refresh_from_db()
    assert other.status == S.DELIVERED


def test_confirm_before_delivery_is_refused(client, make_wish, staff_a, member_user_a):
    wish = make_wish("claimed", staff=staff_a, claimer=member_user_a)
    lookup(client, wish.code)
    assert CONFIRM not in content(client.get(TRACK))

    response = client.post(CONFIRM, {"code": wish.code, "thank_you": "谢谢"}, follow=True)

    assert "Only a delivered wish can be confirmed." in content(response)
    wish.refresh_from_db()
    assert wish.status == S.CLAIMED
    assert wish.thank_you_note == ""


def test_confirm_is_post_only(client):
    assert client.get(CONFIRM).status_code == 405


def test_rejected_wish_shows_the_reason(client, make_wish, staff_a):
    wish = make_wish("rejected", staff=staff_a)
    lookup(client, wish.code)
    html = content(client.get(TRACK))
    assert "Not accepted" in html
    assert "不属于微心愿范围" in html


def test_unit_holder_is_named(client, make_wish, staff_a, liaison_a, unit_a):
    wish = make_wish("claimed", staff=staff_a, claimer=liaison_a)
    lookup(client, wish.code)
    assert unit_a.name in content(client.get(TRACK))


def test_forget_closes_the_tracked_wish(client, make_wish):
    wish = make_wish("submitted")
    lookup(client, wish.code)
    client.post(TRACK, {"forget": "1"})
    assert wish.title not in content(client.get(TRACK))


def test_tracked_wish_expires(client, settings, make_wish):
    settings.WISH_TRACK_SESSION_SECONDS = -1
    wish = make_wish("submitted")
    lookup(client, wish.code)
    assert wish.title not in content(client.get(TRACK))


# The wall --------------------------------------------------------------------------


@pytest.fixture
def wall_wishes(make_wish, staff_a, member_user_a, cell_a2, building_a):
    return {
        "fulfilled": make_wish("fulfilled", staff=staff_a, claimer=member_user_a, title="已实现的心愿"),
        "open": make_wish("open", staff=staff_a, title="开放的心愿", building=building_a, address_detail="3单元502室"),
        "claimed": make_wish("claimed", staff=staff_a, claimer=member_user_a, title="已认领的心愿"),
        "submitted": make_wish("submitted", title="待审核的心愿"),
        "rejected": make_wish("rejected", staff=staff_a, title="未通过的心愿"),
        "repair": make_wish("open", staff=staff_a, cell=cell_a2, category="repair", title="修楼道灯"),
    }


def test_wall_shows_public_wishes_masked_in_order(client, wall_wishes):
    response = client.get(WALL)
    assert response.status_code == 200
    html = content(response)

    assert "王**" in html
    assert "王秀英" not in html
    assert "13700001111" not in html and "wisher_phone" not in html
    assert "3单元502室" not in html
    assert "1号楼" not in html
    assert "待审核的心愿" not in html and "未通过的心愿" not in html

    positions = [html.index(title) for title in ("开放的心愿", "已认领的心愿", "已实现的心愿")]
    assert positions == sorted(positions)
    fulfilled = wall_wishes["fulfilled"]
    assert f"Fulfilled on {timezone.localtime(fulfilled.fulfilled_at):%Y-%m-%d}" in html
    assert "谢谢！" in html  # its thank-you note
    assert reverse("wishes:new") in html and TRACK in html


def test_wall_filters(client, wall_wishes, cell_a2):
    html = content(client.get(WALL, {"category": "repair"}))
    assert "修楼道灯" in html and "开放的心愿" not in html

    html = content(client.get(WALL, {"cell": cell_a2.pk}))
    assert "修楼道灯" in html and "开放的心愿" not in html


@pytest.mark.parametrize(
    "query",
    [{"category": "zzz"}, {"cell": "abc"}, {"cell": "99999"}, {"c": "nowhere"}, {"page": "xyz"}, {"page": "-1"},
     {"cell": "1e9", "category": "<script>", "page": "999"}],
)
def test_wall_ignores_bad_filters(client, wall_wishes, query):
    response = client.get(WALL, query)
    assert response.status_code == 200
    assert "开放的心愿" in content(response) or query.get("page")


def test_wall_filters_by_community(client, make_wish, staff_a, community_b, cell_b):
    make_wish("open", staff=staff_a, title="沙河的心愿")
    staff_b_wish = make_wish("submitted", community=community_b, cell=cell_b, title="北关的心愿")
    from wishes.services import wish_approve

    wish_approve(wish=staff_b_wish, by=None)

    html = content(client.get(WALL))
    assert "沙河的心愿" in html and "北关的心愿" in html
    html = content(client.get(WALL, {"c": "beiguan"}))
    assert "北关的心愿" in html and "沙河的心愿" not in html


def test_wall_query_count_is_constant(client, community_a, community_b, cell_a, cell_a2, cell_b, member_a,
                                      django_assert_max_num_queries):
    now = timezone.now()
    wishes = []
    for number in range(300):
        status = [S.OPEN, S.CLAIMED, S.FULFILLED][number % 3]
        community, cell = [(community_a, cell_a), (community_a, cell_a2), (community_b, cell_b)][number % 3]
        held = status != S.OPEN
        wishes.append(
            MicroWish(
                community=community,
                grid_cell=cell,
                status=status,
                category="daily",
                title=f"心愿 {number}",
                wisher_name="李四",
                wisher_phone="13911112222",
                wisher_key=resident_key("13911112222"),
                published_at=now,
                claimed_at=now if held else None,
                claimed_by_member=member_a if held else None,
                fulfilled_at=now if status == S.FULFILLED else None,
            )
        )
    MicroWish.objects.bulk_create(wishes)

    for query in ({}, {"c": "shahejie", "page": "2"}, {"c": "shahejie", "cell": cell_a.pk, "category": "daily"}):
        with django_assert_max_num_queries(6):
            response = client.get(WALL, query)
        assert response.status_code == 200
        assert response.content.decode().count('<article class="card h-100 wish-card') == 24
    # Rendered once per data version: the same page again reads no table at all.
    with django_assert_max_num_queries(0):
        again = client.get(WALL)
    assert again.content.decode().count('<article class="card h-100 wish-card') == 24


# The poster ------------------------------------------------------------------------


def test_poster(client, community_a):
    response = client.get(reverse("wishes:poster", args=["shahejie"]))
    assert response.status_code == 200
    html = content(response)
    assert "<svg" in html
    assert "navbar" not in html
    assert "css/poster.css" in html  # the A4 print styles
    assert response.context["qr_url"] == "http://testserver/wishes/new/?c=shahejie"
    assert community_a.name in html


def test_poster_for_a_cell(client, community_a, cell_a):
    response = client.get(reverse("wishes:poster", args=["shahejie"]), {"cell": cell_a.pk})
    assert response.status_code == 200
    assert response.context["qr_url"] == f"http://testserver/wishes/new/?c=shahejie&cell={cell_a.pk}"
    assert cell_a.name in content(response)


def test_poster_refuses_foreign_cell_and_unknown_community(client, community_a, cell_b):
    url = reverse("wishes:poster", args=["shahejie"])
    assert client.get(url, {"cell": cell_b.pk}).status_code == 404
    assert client.get(url, {"cell": "abc"}).status_code == 404
    assert client.get(reverse("wishes:poster", args=["nowhere"])).status_code == 404


# Escaping --------------------------------------------------------------------------

XSS = "<script>alert(1)</script>"


def test_title_is_escaped_on_wall_and_tracking_page(client, make_wish, staff_a):
    published = make_wish("open", staff=staff_a, title=XSS, description=XSS, wisher_name="<b>王</b>")
    html = content(client.get(WALL))
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    lookup(client, published.code)
    html = content(client.get(TRACK))
    assert XSS not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_submitted_title_is_escaped_when_the_form_comes_back(client, community_a, wish_data):
    response = client.post(new_url(community_a), {**wish_data, "title": XSS, "consent": ""})
    assert response.status_code == 200
    assert XSS not in content(response)

