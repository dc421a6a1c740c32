import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grid.models import Building, CoBuildingUnit, GridCell, PartyMember


def _form_data(cell, unit=None, **extra):
    data = {
        "name": "赵国强",
        "gender": "male",
        "phone": "138 0000 4321",
        "employer_unit": unit.pk if unit else "",
        "employer_name": "" if unit else "某某公司",
        "grid_cell": cell.pk,
        "building": "",
        "skills_text": "维修，法律咨询",
        "joined_party_year": "2001",
        "registered_on": "2023-03-01",
        "reported_on": "",
        "is_active": "on",
        "note": "",
    }
    data.update(extra)
    return data


def test_staff_creates_member_in_own_community(client, staff_a, cell_a, unit_a):
    client.force_login(staff_a)
    response = client.post(reverse("grid:member_create"), _form_data(cell_a, unit_a))
    member = PartyMember.objects.get(phone="13800004321")
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    assert member.community == staff_a.community
    assert sorted(t.name for t in member.skills.all()) == ["法律咨询", "维修"]
    assert member.reported_on is None


@pytest.mark.parametrize(
    "field,value",
    [("phone", "12345"), ("name", ""), ("gender", ""), ("joined_party_year", "1800"), ("registered_on", "2023-02-30")],
)
def test_bad_input_is_refused_and_nothing_saved(client, staff_a, cell_a, unit_a, field, value):
    client.force_login(staff_a)
    response = client.post(reverse("grid:member_create"), _form_data(cell_a, unit_a, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not PartyMember.objects.exists()


def test_duplicate_phone_is_a_form_error(client, staff_a, member_a, cell_a, unit_a):
    client.force_login(staff_a)
    response = client.post(reverse("grid:member_create"), _form_data(cell_a, unit_a, phone=member_a.phone))
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert PartyMember.objects.count() == 1


def test_employer_is_required(client, staff_a, cell_a):
    client.force_login(staff_a)
    response = client.post(reverse("grid:member_create"), _form_data(cell_a, employer_name=""))
    assert "employer_name" in response.context["form"].errors


def test_staff_cannot_choose_another_communitys_cell_or_unit(client, staff_a, cell_b, unit_b, cell_a):
    client.force_login(staff_a)
    response = client.post(reverse("grid:member_create"), _form_data(cell_b, unit_b))
    errors = response.context["form"].errors
    assert "grid_cell" in errors and "employer_unit" in errors
    assert not PartyMember.objects.exists()


def test_area_admin_cannot_mix_communities(client, area_admin, community_b, cell_a, unit_a):
    client.force_login(area_admin)
    data = _form_data(cell_a, unit_a, community=community_b.pk)
    response = client.post(reverse("grid:member_create"), data)
    assert response.status_code == 200
    assert not PartyMember.objects.exists()


def test_building_must_be_in_the_cell(client, staff_a, cell_a, cell_a2, unit_a):
    other_building = Building.objects.create(grid_cell=cell_a2, name="9号楼")
    client.force_login(staff_a)
    response = client.post(reverse("grid:member_create"), _form_data(cell_a, unit_a, building=other_building.pk))
    assert "building" in response.context["form"].errors


def test_edit_keeps_tags_and_changes_fields(client, staff_a, member_a):
    member_a.skills.set([])
    client.force_login(staff_a)
    url = reverse("grid:member_update", args=[member_a.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("skills",)}
    data.update({"name": "张建国（改）", "skills_text": "理发", "is_active": "on", "registered_on": "2023-03-05"})
    data.pop("reported_on", None)
    data.pop("id", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    member_a.refresh_from_db()
    assert member_a.name == "张建国（改）"
    assert [t.name for t in member_a.skills.all()] == ["理发"]


def test_confirm_report_then_refuse_twice(client, staff_a, member_a):
    client.force_login(staff_a)
    url = reverse("grid:member_confirm", args=[member_a.pk])
    response = client.post(url, follow=True)
    member_a.refresh_from_db()
    assert member_a.reported_on == timezone.localdate()
    assert member_a.reported_confirmed_by == staff_a
    assert "已确认" in response.content.decode() or "confirmed" in response.content.decode()
    response = client.post(url, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and member_a.name not in messages[0]


def test_undo_report(client, staff_a, member_a):
    member_a.reported_on = datetime.date(2023, 3, 10)
    member_a.save()
    client.force_login(staff_a)
    client.post(reverse("grid:member_undo_report", args=[member_a.pk]))
    member_a.refresh_from_db()
    assert member_a.reported_on is None


def test_list_masks_phones_and_detail_shows_them(client, staff_a, member_a):
    client.force_login(staff_a)
    listing = client.get(reverse("grid:member_list")).content.decode()
    assert "138****1234" in listing and member_a.phone not in listing
    detail = client.get(member_a.get_absolute_url()).content.decode()
    assert member_a.phone in detail


def test_list_search_and_filters(client, staff_a, member_a, community_a, cell_a2, unit_a):
    PartyMember.objects.create(
        community=community_a, name="周敏", gender="female", phone="13900007777", grid_cell=cell_a2,
        employer_name="个体", registered_on=datetime.date(2023, 1, 1), reported_on=datetime.date(2023, 1, 2),
    )
    client.force_login(staff_a)

    def names(query):
        response = client.get(reverse("grid:member_list") + query)
        return [m.name for m in response.context["object_list"]]

    assert names("?q=7777") == ["周敏"]
    assert names("?reported=no") == [member_a.name]
    assert names("?reported=yes") == ["周敏"]
    assert names(f"?grid_cell={cell_a2.pk}") == ["周敏"]
    assert names(f"?employer_unit={unit_a.pk}") == [member_a.name]


def test_member_list_query_count_is_fixed(client, staff_a, community_a, cell_a, unit_a, building_a, django_assert_max_num_queries):
    PartyMember.objects.bulk_create(
        PartyMember(
            community=community_a, name=f"党员{i}", gender="male", phone=f"137{i:08d}", grid_cell=cell_a,
            building=building_a, employer_unit=unit_a, registered_on=datetime.date(2023, 1, 1),
        )
        for i in range(300)
    )
    client.force_login(staff_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("grid:member_list") + "?page=2")
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 25


def test_unit_and_cell_lists_query_count_is_fixed(client, staff_a, community_a, django_assert_max_num_queries):
    CoBuildingUnit.objects.bulk_create(CoBuildingUnit(community=community_a, name=f"单位{i}") for i in range(300))
    GridCell.objects.bulk_create(GridCell(community=community_a, number=i + 1, name=f"网格{i}") for i in range(300))
    client.force_login(staff_a)
    for name in ("grid:unit_list", "grid:gridcell_list", "grid:building_list", "grid:community_list"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name)).status_code == 200


# Public registration --------------------------------------------------------------


def _registration(cell, **extra):
    data = {"name": "刘洋", "gender": "female", "phone": "13600001111", "employer_unit": "",
            "employer_name": "县某事业单位", "grid_cell": cell.pk, "building": "", "skills_text": "", "consent": "on"}
    data.update(extra)
    return data


def test_public_registration_creates_an_unconfirmed_member(client, community_a, cell_a):
    url = reverse("grid:member_register", args=[community_a.code])
    assert client.get(url).status_code == 200
    response = client.post(url, _registration(cell_a))
    assert response.status_code == 302
    member = PartyMember.objects.get(phone="13600001111")
    assert member.source == PartyMember.Source.SELF
    assert member.reported_on is None and member.community == community_a


def test_public_registration_needs_consent_and_a_fresh_phone(client, community_a, cell_a, member_a):
    url = reverse("grid:member_register", args=[community_a.code])
    response = client.post(url, _registration(cell_a, consent=""))
    assert "consent" in response.context["form"].errors
    response = client.post(url, _registration(cell_a, phone=member_a.phone))
    assert "phone" in response.context["form"].errors
    assert PartyMember.objects.count() == 1


def test_public_registration_refuses_another_communitys_cell(client, community_a, cell_b):
    response = client.post(reverse("grid:member_register", args=[community_a.code]), _registration(cell_b))
    assert "grid_cell" in response.context["form"].errors


def test_public_registration_unknown_community_is_404(client, db):
    assert client.get(reverse("grid:member_register", args=["nowhere"])).status_code == 404


def test_member_sees_own_record(client, member_user_a, member_a):
    client.force_login(member_user_a)
    response = client.get(reverse("grid:member_me"))
    assert member_a.name in response.content.decode()
    assert client.get(reverse("office:dashboard")).url == reverse("grid:member_me")


def test_confirm_returns_to_the_dashboard_but_never_off_site(client, staff_a, member_a, community_a):
    client.force_login(staff_a)
    url = reverse("grid:member_confirm", args=[member_a.pk])
    assert client.post(url, {"next": "/dashboard/"}).url == "/dashboard/"
    member_a.reported_on = None
    member_a.save()
    assert client.post(url, {"next": "https://evil.example/"}).url == member_a.get_absolute_url()


def test_member_page_lists_claimed_wishes(client, member_user_a, member_a, staff_a, make_wish_for_member):
    wish = make_wish_for_member
    client.force_login(member_user_a)
    assert wish.title in client.get(reverse("grid:member_me")).content.decode()
    client.force_login(staff_a)
    assert wish.title in client.get(member_a.get_absolute_url()).content.decode()


@pytest.fixture
def make_wish_for_member(community_a, cell_a, staff_a, member_user_a):
    from wishes import services
    from wishes.models import MicroWish

    wish = services.wish_submit(wish=MicroWish(
        community=community_a, grid_cell=cell_a, category="repair", title="修理楼道灯",
        wisher_name="王秀英", wisher_phone="13700001111",
    ))
    wish = services.wish_approve(wish=wish, by=staff_a)
    return services.wish_claim(wish=wish, by=member_user_a)
