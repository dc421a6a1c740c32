"""Members and liaisons: the claimable list, claiming, my wishes, delivery and giving back."""

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
from grid.models import PartyMember
from portal.models import User
from wishes.models import MicroWish
from portal.privacy import resident_key

S = MicroWish.Status
ACTORS = ["area_admin", "staff_a", "grid_worker_a", "member_user_a", "liaison_a"]
HOLDERS = {"member_user_a", "liaison_a"}
PHONE = "13700001111"


@pytest.fixture
def everyone(request, member_user_a, liaison_a, grid_worker_a, staff_a, area_admin):
    return {name: request.getfixturevalue(name) for name in ACTORS}


@pytest.fixture
def other_member_user(community_a, cell_a):
    """A second member of community A, who holds nothing."""
    user = make_user("member_a2", User.Role.MEMBER, community_a)
    PartyMember.objects.create(
        community=community_a, name="赵敏", gender=PartyMember.Gender.FEMALE, phone="13800005555", grid_cell=cell_a, user=user
    )
    return user


@pytest.fixture
def open_wish(make_wish, staff_a):
    return make_wish("open", staff=staff_a)


@pytest.fixture
def claimed(make_wish, staff_a, member_user_a):
    return make_wish("claimed", staff=staff_a, claimer=member_user_a)


def jpeg_upload():
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile("delivery.jpg", buffer.getvalue(), content_type="image/jpeg")


def flashed(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def errors(response):
    return [text for level, text in flashed(response) if level == "error"]


# The permission matrix ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["wishes:claimable", "wishes:mine"])
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize("name", ["wishes:claimable", "wishes:mine"])
@pytest.mark.parametrize("actor", ACTORS)
def test_role_matrix(client, everyone, name, actor):
    client.force_login(everyone[actor])
    assert client.get(reverse(name)).status_code == (200 if actor in HOLDERS else 403)


def test_claim_is_post_only(client, member_user_a, open_wish):
    client.force_login(member_user_a)
    assert client.get(reverse("wishes:claim", args=[open_wish.pk])).status_code == 405


def test_a_wish_of_another_community_is_404(client, member_user_a, make_wish, community_b, staff_b):
    wish = make_wish("open", staff=staff_b, community=community_b)
    client.force_login(member_user_a)
    assert client.post(reverse("wishes:claim", args=[wish.pk])).status_code == 404
    assert client.get(reverse("wishes:deliver", args=[wish.pk])).status_code == 404
    assert client.post(reverse("wishes:cancel", args=[wish.pk]), {"reason": "x"}).status_code == 404


# The claimable list ------------------------------------------------------------------------------


def test_claimable_lists_open_wishes_of_the_community_own_cell_first(
    client, member_user_a, make_wish, staff_a, staff_b, cell_a2, community_b
):
    far = make_wish("open", staff=staff_a, title="西区的心愿", cell=cell_a2)
    near = make_wish("open", staff=staff_a, title="东区的心愿")  # member_a lives in cell_a
    make_wish(title="还在审核")
    make_wish("open", staff=staff_b, community=community_b, title="北关的心愿")
    client.force_login(member_user_a)
    response = client.get(reverse("wishes:claimable"))
    assert [w.pk for w in response.context["wishes"]] == [near.pk, far.pk]
    page = response.content.decode()
    assert reverse("wishes:claim", args=[near.pk]) in page
    assert "还在审核" not in page and "北关的心愿" not in page


def test_claimable_never_shows_the_phone_or_the_full_name(client, liaison_a, open_wish):
    client.force_login(liaison_a)
    page = client.get(reverse("wishes:claimable")).content.decode()
    assert open_wish.title in page and open_wish.masked_name in page
    assert PHONE not in page and "137****1111" not in page and open_wish.wisher_name not in page


def test_claimable_query_count_is_constant(client, django_assert_max_num_queries, member_user_a, community_a, cell_a, cell_a2):
    MicroWish.objects.bulk_create(
        MicroWish(
            community=community_a,
            grid_cell=cell_a if i % 2 else cell_a2,
            status=S.OPEN,
            published_at=timezone.now(),
            category=MicroWish.Category.DAILY,
            title=f"心愿 {i}",
            wisher_name="王秀英",
            wisher_phone=PHONE,
            wisher_key=resident_key(PHONE),
        )
        for i in range(300)
    )
    client.force_login(member_user_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("wishes:claimable"))
    assert len(response.context["wishes"]) == django_settings.PAGE_SIZE
    assert all(w.grid_cell_id == cell_a.pk for w in response.context["wishes"])  # own cell first


# Claiming --------------------------------------------------------------------------------------------


def test_member_claims_a_wish(client, member_user_a, member_a, open_wish):
    client.force_login(member_user_a)
    response = client.post(reverse("wishes:claim", args=[open_wish.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("wishes:mine")
    open_wish.refresh_from_db()
    assert (open_wish.status, open_wish.claimed_by_member) == (S.CLAIMED, member_a)
    assert open_wish.events.last().actor == member_user_a


def test_liaison_claims_for_the_unit(client, liaison_a, unit_a, open_wish):
    client.force_login(liaison_a)
    client.post(reverse("wishes:claim", args=[open_wish.pk]))
    open_wish.refresh_from_db()
    assert (open_wish.status, open_wish.claimed_by_unit, open_wish.claimed_by_member) == (S.CLAIMED, unit_a, None)
    page = client.get(reverse("wishes:mine")).content.decode()
    assert open_wish.title in page


def test_second_claim_gets_a_clear_message_and_keeps_the_holder(client, member_user_a, member_a, liaison_a, open_wish):
    client.force_login(member_user_a)
    client.post(reverse("wishes:claim", args=[open_wish.pk]))
    client.force_login(liaison_a)
    response = client.post(reverse("wishes:claim", args=[open_wish.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("wishes:claimable")
    assert errors(response) == ["Someone else has just claimed this wish, or it is no longer open."]
    open_wish.refresh_from_db()
    assert (open_wish.claimed_by_member, open_wish.claimed_by_unit) == (member_a, None)


def test_a_submitted_wish_cannot_be_claimed(client, member_user_a, make_wish):
    wish = make_wish()
    client.force_login(member_user_a)
    response = client.post(reverse("wishes:claim", args=[wish.pk]))
    assert errors(response)
    wish.refresh_from_db()
    assert wish.status == S.SUBMITTED


# My wishes ------------------------------------------------------------------------------------------------


def test_mine_shows_the_whole_phone_only_while_claimed(client, member_user_a, make_wish, staff_a, building_a):
    claimed = make_wish("claimed", staff=staff_a, claimer=member_user_a, title="要打电话", address_detail="3单元201",
                        building=building_a)
    delivered = make_wish("delivered", staff=staff_a, claimer=member_user_a, title="已送到", wisher_phone="13700003333")
    fulfilled = make_wish("fulfilled", staff=staff_a, claimer=member_user_a, title="已实现", wisher_phone="13700004444")
    client.force_login(member_user_a)
    response = client.get(reverse("wishes:mine"))
    assert [w.pk for w in response.context["in_progress"]] == [claimed.pk, delivered.pk]
    assert [w.pk for w in response.context["fulfilled"]] == [fulfilled.pk]
    page = response.content.decode()
    assert f'href="tel:{PHONE}"' in page
    assert "3单元201" in page and building_a.name in page and claimed.masked_name in page
    assert claimed.wisher_name not in page
    assert "13700003333" not in page and "137****3333" in page
    assert "13700004444" not in page
    assert reverse("wishes:deliver", args=[claimed.pk]) in page
    assert reverse("wishes:deliver", args=[delivered.pk]) not in page


def test_mine_shows_nothing_held_by_others(client, other_member_user, claimed):
    client.force_login(other_member_user)
    response = client.get(reverse("wishes:mine"))
    assert list(response.context["in_progress"]) == [] and claimed.title not in response.content.decode()


# Delivery and giving back ---------------------------------------------------------------------------------


def test_holder_records_the_delivery_with_a_photo(client, member_user_a, claimed):
    client.force_login(member_user_a)
    assert client.get(reverse("wishes:deliver", args=[claimed.pk])).status_code == 200
    response = client.post(reverse("wishes:deliver", args=[claimed.pk]), {"note": "周六送到了", "photo": jpeg_upload()})
    assert response.status_code == 302 and response["Location"] == reverse("wishes:mine")
    claimed.refresh_from_db()
    assert (claimed.status, claimed.delivery_note) == (S.DELIVERED, "周六送到了")
    assert claimed.delivery_photo.name.startswith("private/")
    photo = client.get(reverse("wishes:photo", args=[claimed.pk, "delivery"]))
    assert photo.status_code == 200 and photo["Cache-Control"] == "private, no-store"


def test_a_non_holder_member_cannot_deliver(client, other_member_user, claimed):
    client.force_login(other_member_user)
    assert client.get(reverse("wishes:deliver", args=[claimed.pk])).status_code == 403
    response = client.post(reverse("wishes:deliver", args=[claimed.pk]), {"note": "我送的", "photo": jpeg_upload()})
    assert response.status_code == 302
    assert errors(response) == ["Only the one who claimed this wish, or community staff, can do this."]
    claimed.refresh_from_db()
    assert claimed.status == S.CLAIMED and not claimed.delivery_photo


def test_deliver_page_of_a_delivered_wish_says_so(client, member_user_a, make_wish, staff_a):
    wish = make_wish("delivered", staff=staff_a, claimer=member_user_a)
    client.force_login(member_user_a)
    response = client.get(reverse("wishes:deliver", args=[wish.pk]))
    assert response.status_code == 302 and errors(response) == ["Only a claimed wish can be marked as delivered."]


def test_holder_gives_a_wish_back_with_a_reason(client, member_user_a, claimed):
    client.force_login(member_user_a)
    response = client.post(reverse("wishes:cancel", args=[claimed.pk]), {"reason": ""})
    assert errors(response) == ["Please say why the claim is cancelled."]
    claimed.refresh_from_db()
    assert claimed.status == S.CLAIMED
    response = client.post(reverse("wishes:cancel", args=[claimed.pk]), {"reason": "要出差两周"})
    assert response["Location"] == reverse("wishes:mine")
    claimed.refresh_from_db()
    assert claimed.status == S.OPEN and claimed.holder is None
    assert claimed.events.last().note == "要出差两周"


def test_a_non_holder_cannot_give_a_wish_back(client, liaison_a, claimed):
    client.force_login(liaison_a)
    response = client.post(reverse("wishes:cancel", args=[claimed.pk]), {"reason": "不想要了"})
    assert errors(response) == ["Only the one who claimed this wish, or community staff, can do this."]
    claimed.refresh_from_db()
    assert claimed.status == S.CLAIMED


# Photos ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor,expected", [("holder", 200), ("other_member", 403), ("member_b", 404)])
def test_photo_of_a_held_wish(client, member_user_a, other_member_user, community_b, claimed, actor, expected):
    claimed.photo.save("x.jpg", ContentFile(jpeg_upload().read()), save=True)
    users = {
        "holder": member_user_a,
        "other_member": other_member_user,
        "member_b": make_user("member_b", User.Role.MEMBER, community_b),
    }
    client.force_login(users[actor])
    response = client.get(reverse("wishes:photo", args=[claimed.pk, "wish"]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Cache-Control"] == "private, no-store"


def test_navigation_offers_the_wish_pages(client, member_user_a):
    client.force_login(member_user_a)
    page = client.get(reverse("wishes:mine")).content.decode()
    assert reverse("wishes:claimable") in page and reverse("wishes:mine") in page
    assert reverse("wishes:list") not in page
