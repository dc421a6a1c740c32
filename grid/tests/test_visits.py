"""Visit logs (走访 / 民情日志): logging on a phone, comments, follow-ups, turning a
visit into an appeal or a special-group case, the permission matrix of every
view and the list's query count."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from grid import services_work as services
from grid.models import Appeal, Building, VisitComment, VisitLog
from portal.models import User
from volunteers.models import SpecialGroupCase

K = VisitLog.Kind
OFFICE = {"area_admin", "staff_a"}
GRID = OFFICE | {"grid_worker_a"}
ACTORS = ["area_admin", "staff_a", "grid_worker_a", "member_user_a", "liaison_a"]
LIST = reverse("grid:visit_list")
CREATE = reverse("grid:visit_create")



@pytest.fixture(autouse=True)
def _english_services():
    """Services called outside a request answer in the active language: English here."""
    from django.utils import translation

    with translation.override("en"):
        yield

@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"  # messages in English
    yield
    cache.clear()


@pytest.fixture
def everyone(request, member_user_a, liaison_a, grid_worker_a, staff_a, staff_b, area_admin):
    return {name: request.getfixturevalue(name) for name in ACTORS + ["staff_b"]}


def content(response):
    return response.content.decode()


def flashed(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def errors(response):
    return [text for level, text in flashed(response) if level == "error"]


@pytest.fixture
def make_visit(community_a, cell_a):
    def _make(visitor, *, cell=None, **fields):
        data = {
            "community": community_a,
            "grid_cell": cell or cell_a,
            "household": "3单元502室 王大妈",
            "kind": K.CARE,
            "findings": "独居老人，热水器坏了。",
            "follow_up_needed": True,
            "visitor": visitor,
        }
        data.update(fields)
        return VisitLog.objects.create(**data)

    return _make


@pytest.fixture
def visit_a(make_visit, member_user_a):
    """A member's visit in cell_a (grid_worker_a's cell)."""
    return make_visit(member_user_a)


@pytest.fixture
def visit_a2(make_visit, staff_a, cell_a2):
    """A staff member's visit in cell_a2: not grid_worker_a's cell."""
    return make_visit(staff_a, cell=cell_a2, household="西区 5号楼")


# Services -----------------------------------------------------------------------------------


def test_visit_to_appeal_once_only(visit_a, grid_worker_a, building_a):
    VisitLog.objects.filter(pk=visit_a.pk).update(building=building_a)
    visit_a.refresh_from_db()
    appeal = services.visit_to_appeal(
        visit=visit_a, by=grid_worker_a, category="facilities", title="热水器坏了",
        resident_name="王大妈", resident_phone="13700003333",
    )
    visit_a.refresh_from_db()
    assert visit_a.appeal == appeal
    assert (appeal.source, appeal.status, appeal.entered_by) == (Appeal.Source.VISIT, Appeal.Status.RECEIVED, grid_worker_a)
    assert (appeal.grid_cell, appeal.building, appeal.address_detail) == (visit_a.grid_cell, building_a, visit_a.household)
    assert appeal.description == visit_a.findings  # no description given: the findings
    with pytest.raises(services.AppealError, match="already has an appeal"):
        services.visit_to_appeal(
            visit=visit_a, by=grid_worker_a, category="other", title="再来一次", resident_name="王", resident_phone="13700003333"
        )
    assert Appeal.objects.count() == 1


def test_visit_to_case_once_only(visit_a, staff_a):
    case = services.visit_to_case(visit=visit_a, by=staff_a, group="elderly_alone", problem="热水器坏了", resident_name="王大妈")
    visit_a.refresh_from_db()
    assert visit_a.special_case == case
    assert (case.community_id, case.grid_cell_id, case.status, case.description) == (
        visit_a.community_id, visit_a.grid_cell_id, SpecialGroupCase.Status.OPEN, visit_a.findings,
    )
    with pytest.raises(services.AppealError, match="already has a special-group case"):
        services.visit_to_case(visit=visit_a, by=staff_a, group="other", problem="x", resident_name="x")
    assert SpecialGroupCase.objects.count() == 1


def test_follow_up_done_once_and_only_when_needed(visit_a, make_visit, staff_a):
    day = datetime.date(2023, 5, 6)
    visit = services.visit_follow_up_done(visit=visit_a, on=day)
    assert visit.follow_up_done_on == day and not visit.follow_up_open
    with pytest.raises(services.AppealError, match="no open follow-up"):
        services.visit_follow_up_done(visit=visit_a)
    no_follow_up = make_visit(staff_a, follow_up_needed=False)
    with pytest.raises(services.AppealError, match="no open follow-up"):
        services.visit_follow_up_done(visit=no_follow_up)


# Logging a visit -------------------------------------------------------------------------------


def _visit_data(cell, **extra):
    data = {
        "visited_on": "2023-06-01",
        "grid_cell": cell.pk,
        "building": "",
        "household": "2单元301 李大爷",
        "kind": K.MEDIATION,
        "findings": "楼上楼下漏水纠纷，已调解。",
        "follow_up_needed": "on",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("actor", ["grid_worker_a", "member_user_a", "staff_a"])
def test_log_a_visit(request, client, cell_a, building_a, actor):
    user = request.getfixturevalue(actor)
    client.force_login(user)
    page = client.get(CREATE)
    html = content(page)
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html  # today by default
    assert 'type="radio"' in html and 'name="kind"' in html

    response = client.post(CREATE, _visit_data(cell_a, building=building_a.pk))

    visit = VisitLog.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert (visit.visitor, visit.community, visit.grid_cell, visit.building, visit.kind) == (
        user, cell_a.community, cell_a, building_a, K.MEDIATION,
    )
    assert visit.visited_on == datetime.date(2023, 6, 1) and visit.follow_up_open
    assert ("success", "The visit is recorded.") in flashed(response)


def test_grid_worker_logs_only_in_their_cells(client, grid_worker_a, cell_a2):
    client.force_login(grid_worker_a)
    response = client.post(CREATE, _visit_data(cell_a2))
    assert response.status_code == 200 and "grid_cell" in response.context["form"].errors
    assert not VisitLog.objects.exists()


def test_member_and_staff_log_in_any_cell_of_their_community_only(client, member_user_a, staff_a, cell_a2, cell_b):
    client.force_login(member_user_a)
    assert client.post(CREATE, _visit_data(cell_a2)).status_code == 302
    client.force_login(staff_a)
    response = client.post(CREATE, _visit_data(cell_b))
    assert "grid_cell" in response.context["form"].errors
    assert VisitLog.objects.count() == 1


def test_area_admin_logs_in_the_cells_community(client, area_admin, cell_b):
    client.force_login(area_admin)
    client.post(CREATE, _visit_data(cell_b))
    assert VisitLog.objects.get().community == cell_b.community


def _cell_options(response):
    return set(response.context["form"].fields["grid_cell"].queryset)


def test_area_admin_chooses_the_community_first(client, area_admin, cell_a, cell_a2, cell_b, building_a):
    """Every community's cells and buildings made the form of a county half a megabyte:
    an area admin chooses the community, then gets its cells only."""
    client.force_login(area_admin)
    response = client.get(CREATE)
    html = content(response)
    assert response.context["form"].needs_community
    assert 'name="grid_cell"' not in html and 'name="findings"' not in html
    assert f'<option value="{cell_b.community_id}">' in html  # the community picker
    response = client.get(CREATE, {"community": cell_a.community_id})
    html = content(response)
    assert _cell_options(response) == {cell_a, cell_a2}
    assert set(response.context["form"].fields["building"].queryset) == {building_a}
    assert 'name="grid_cell"' in html and "北区网格" not in html
    assert f'<option value="{cell_a.community_id}" selected>' in html
    response = client.post(f"{CREATE}?community={cell_a.community_id}", _visit_data(cell_a2))
    assert response.status_code == 302
    assert VisitLog.objects.get().community == cell_a.community


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_unknown_community_for_the_form_is_not_found(client, area_admin, cell_a, value):
    client.force_login(area_admin)
    assert client.get(CREATE, {"community": value}).status_code == 404


def test_staff_cannot_widen_the_form_to_another_community(client, staff_a, cell_a, cell_b):
    client.force_login(staff_a)
    response = client.get(CREATE, {"community": cell_b.community_id})
    assert _cell_options(response) == {cell_a}
    assert not response.context["form"].needs_community


def test_area_admin_edits_with_the_visits_community(client, area_admin, visit_a, cell_a, cell_b):
    client.force_login(area_admin)
    url = reverse("grid:visit_update", args=[visit_a.pk])
    response = client.get(url)
    assert cell_a in _cell_options(response) and cell_b not in _cell_options(response)
    assert not response.context["form"].needs_community
    assert _cell_options(client.get(url, {"community": cell_b.community_id})) == {cell_b}


def test_visit_list_passes_the_chosen_community_on(client, area_admin, cell_a, community_a):
    client.force_login(area_admin)
    html = content(client.get(LIST, {"community": community_a.pk}))
    assert f'href="{CREATE}?community={community_a.pk}"' in html
    assert f'href="{CREATE}"' in content(client.get(LIST))


def test_building_must_lie_in_the_cell_and_input_is_kept(client, grid_worker_a, cell_a, cell_a2, community_a):
    cell_a2.workers.add(grid_worker_a)
    other = Building.objects.create(grid_cell=cell_a2, name="9号楼")
    client.force_login(grid_worker_a)
    response = client.post(CREATE, _visit_data(cell_a, building=other.pk, household="<b>王</b>"))
    assert "building" in response.context["form"].errors
    html = content(response)
    assert "楼上楼下漏水纠纷，已调解。" in html
    assert "&lt;b&gt;王&lt;/b&gt;" in html and "<b>王</b>" not in html
    response = client.post(CREATE, _visit_data(cell_a, kind="", findings=""))
    assert {"kind", "findings"} <= set(response.context["form"].errors)
    assert not VisitLog.objects.exists()


def test_visitor_edits_their_visit(client, member_user_a, visit_a, cell_a2):
    client.force_login(member_user_a)
    url = reverse("grid:visit_update", args=[visit_a.pk])
    response = client.post(url, _visit_data(cell_a2, household="改过的门牌", follow_up_needed=""))
    assert response.status_code == 302
    visit_a.refresh_from_db()
    assert (visit_a.household, visit_a.grid_cell, visit_a.follow_up_needed, visit_a.visitor) == (
        "改过的门牌", cell_a2, False, member_user_a,
    )


def test_edit_keeps_the_links_and_a_done_follow_up(client, staff_a, visit_a, cell_a):
    services.visit_to_case(visit=visit_a, by=staff_a, group="other", problem="x", resident_name="x")
    services.visit_follow_up_done(visit=visit_a)
    client.force_login(staff_a)
    url = reverse("grid:visit_update", args=[visit_a.pk])
    response = client.post(url, _visit_data(cell_a, follow_up_needed=""))
    assert "follow_up_needed" in response.context["form"].errors
    client.post(url, _visit_data(cell_a, household="新门牌"))
    visit_a.refresh_from_db()
    assert visit_a.household == "新门牌" and visit_a.special_case_id and visit_a.follow_up_done_on


# Detail, comments, follow-up, conversions --------------------------------------------------------


def test_detail_shows_the_visit_and_its_actions(client, grid_worker_a, visit_a):
    client.force_login(grid_worker_a)
    html = content(client.get(visit_a.get_absolute_url()))
    assert visit_a.findings in html and visit_a.household in html
    for name in ("visit_comment", "visit_to_appeal", "visit_to_case", "visit_follow_up_done"):
        assert reverse(f"grid:{name}", args=[visit_a.pk]) in html, name
    assert reverse("grid:visit_update", args=[visit_a.pk]) not in html  # not their visit


def test_member_sees_own_visit_without_comment_form_or_conversions(client, member_user_a, visit_a):
    client.force_login(member_user_a)
    html = content(client.get(visit_a.get_absolute_url()))
    assert reverse("grid:visit_update", args=[visit_a.pk]) in html
    assert reverse("grid:visit_follow_up_done", args=[visit_a.pk]) in html
    for name in ("visit_comment", "visit_to_appeal", "visit_to_case"):
        assert reverse(f"grid:{name}", args=[visit_a.pk]) not in html, name


@pytest.mark.parametrize("actor", ["grid_worker_a", "staff_a", "leader"])
def test_grid_workers_leader_and_office_comment(request, client, visit_a, cell_a, community_a, actor):
    if actor == "leader":
        user = make_user("leader", User.Role.GRID_WORKER, community_a, full_name="网格长老张")
        cell_a.leader = user
        cell_a.save()
    else:
        user = request.getfixturevalue(actor)
    client.force_login(user)
    response = client.post(reverse("grid:visit_comment", args=[visit_a.pk]), {"text": "请尽快联系物业"}, follow=True)
    assert response.redirect_chain == [(visit_a.get_absolute_url(), 302)]
    comment = VisitComment.objects.get()
    assert (comment.visit, comment.author, comment.text) == (visit_a, user, "请尽快联系物业")
    assert "请尽快联系物业" in content(response) and user.display_name in content(response)


def test_grid_worker_of_another_cell_cannot_comment_on_a_visit_they_recorded_there(client, grid_worker_a, make_visit, cell_a2):
    visit = make_visit(grid_worker_a, cell=cell_a2)  # e.g. they were moved to cell 1 since
    client.force_login(grid_worker_a)
    assert client.get(visit.get_absolute_url()).status_code == 200
    assert client.post(reverse("grid:visit_comment", args=[visit.pk]), {"text": "x"}).status_code == 403


def test_empty_comment_is_refused(client, staff_a, visit_a):
    client.force_login(staff_a)
    response = client.post(reverse("grid:visit_comment", args=[visit_a.pk]), {"text": "  "}, follow=True)
    assert errors(response) == ["This field is required."]
    assert not VisitComment.objects.exists()


def test_follow_up_done_through_the_view(client, member_user_a, visit_a):
    client.force_login(member_user_a)
    url = reverse("grid:visit_follow_up_done", args=[visit_a.pk])
    response = client.post(url, follow=True)
    assert ("success", "The follow-up is marked as done.") in flashed(response)
    visit_a.refresh_from_db()
    assert visit_a.follow_up_done_on == timezone.localdate()
    response = client.post(url, follow=True)
    assert errors(response) == ["This visit has no open follow-up."]


def test_turn_a_visit_into_an_appeal(client, grid_worker_a, visit_a):
    client.force_login(grid_worker_a)
    url = reverse("grid:visit_to_appeal", args=[visit_a.pk])
    form = client.get(url).context["form"]
    assert form["description"].value() == visit_a.findings  # prefilled

    bad = client.post(url, {"category": "facilities", "title": "热水器坏了", "resident_name": "王大妈", "resident_phone": "123"})
    assert "resident_phone" in bad.context["form"].errors
    response = client.post(
        url,
        {"category": "facilities", "title": "热水器坏了", "description": "需要换新的", "resident_name": "王大妈",
         "resident_phone": "137 0000 3333"},
    )

    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == appeal.get_absolute_url()
    assert (appeal.description, appeal.resident_phone, appeal.source, appeal.entered_by) == (
        "需要换新的", "13700003333", Appeal.Source.VISIT, grid_worker_a,
    )
    visit_a.refresh_from_db()
    assert visit_a.appeal == appeal
    page = content(client.get(visit_a.get_absolute_url()))
    assert appeal.get_absolute_url() in page and url not in page
    # Once only.
    response = client.get(url, follow=True)
    assert errors(response) == ["This visit already has an appeal."]
    assert Appeal.objects.count() == 1


def test_turn_a_visit_into_a_case(client, staff_a, visit_a):
    client.force_login(staff_a)
    url = reverse("grid:visit_to_case", args=[visit_a.pk])
    response = client.post(url, {"group": "elderly_alone", "problem": "热水器坏了", "resident_name": "王大妈"})
    case = SpecialGroupCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("volunteers:case_detail", args=[case.pk])
    assert (case.group, case.problem, case.resident_name) == ("elderly_alone", "热水器坏了", "王大妈")
    visit_a.refresh_from_db()
    assert visit_a.special_case == case
    response = client.post(url, {"group": "other", "problem": "x", "resident_name": "x"}, follow=True)
    assert errors(response) == ["This visit already has a special-group case."]
    assert SpecialGroupCase.objects.count() == 1


# The list ---------------------------------------------------------------------------------------


def _households(response):
    return {visit.household for visit in response.context["visits"]}


def test_list_filters(client, staff_a, grid_worker_a, member_user_a, make_visit, cell_a2):
    make_visit(grid_worker_a, household="甲", kind=K.POLICY, follow_up_needed=False, visited_on=datetime.date(2023, 3, 1))
    make_visit(member_user_a, household="乙", kind=K.CARE, findings="楼道漏水", visited_on=datetime.date(2023, 4, 1))
    make_visit(staff_a, household="丙", kind=K.CARE, cell=cell_a2, visited_on=datetime.date(2023, 5, 1))
    client.force_login(staff_a)
    response = client.get(LIST)
    assert [visit.household for visit in response.context["visits"]] == ["丙", "乙", "甲"]  # newest first
    assert _households(client.get(LIST, {"grid_cell": cell_a2.pk})) == {"丙"}
    assert _households(client.get(LIST, {"kind": "care"})) == {"乙", "丙"}
    assert _households(client.get(LIST, {"visitor": member_user_a.pk})) == {"乙"}
    assert _households(client.get(LIST, {"date_from": "2023-03-15", "date_to": "2023-04-30"})) == {"乙"}
    assert _households(client.get(LIST, {"follow_up": "yes"})) == {"乙", "丙"}
    assert _households(client.get(LIST, {"follow_up": "no"})) == {"甲"}
    assert _households(client.get(LIST, {"q": "漏水"})) == {"乙"}
    assert _households(client.get(LIST, {"q": "丙"})) == {"丙"}


def test_list_scopes_by_role(client, grid_worker_a, member_user_a, staff_a, staff_b, make_visit, cell_a2):
    make_visit(grid_worker_a, household="网格员的")
    make_visit(member_user_a, household="党员的")
    make_visit(staff_a, household="西区的", cell=cell_a2)
    client.force_login(grid_worker_a)
    response = client.get(LIST)
    assert _households(response) == {"网格员的", "党员的"}  # their cell's visits
    assert "visitor" not in response.context["filter"].form.fields  # the office's filter only
    client.force_login(member_user_a)
    assert _households(client.get(LIST)) == {"党员的"}  # their own only
    client.force_login(staff_b)
    assert _households(client.get(LIST)) == set()


def test_list_links_to_the_visits(client, staff_a, visit_a):
    client.force_login(staff_a)
    html = content(client.get(LIST))
    assert visit_a.get_absolute_url() in html and CREATE in html
    assert "follow-up open" in html


@pytest.mark.parametrize("actor", ["staff_a", "area_admin", "grid_worker_a", "member_user_a"])
def test_list_query_count_is_constant(request, client, django_assert_max_num_queries, community_a, cell_a, cell_a2,
                                      building_a, staff_a, grid_worker_a, member_user_a, actor):
    visitors = [staff_a, grid_worker_a, member_user_a]
    VisitLog.objects.bulk_create(
        VisitLog(
            community=community_a, grid_cell=[cell_a, cell_a2][i % 2], building=building_a if i % 4 == 0 else None,
            household=f"住户 {i}", kind=K.values[i % len(K.values)], findings="发现的情况",
            follow_up_needed=bool(i % 3), visitor=visitors[i % 3], visited_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=i),
        )
        for i in range(300)
    )
    visits = VisitLog.objects.all()
    VisitComment.objects.bulk_create(VisitComment(visit=visit, author=staff_a, text="看过") for visit in visits[:50])
    client.force_login(request.getfixturevalue(actor))
    for query in ({}, {"q": "住户", "page": "2"}, {"follow_up": "yes", "kind": "care", "grid_cell": cell_a.pk}):
        with django_assert_max_num_queries(12):
            response = client.get(LIST, query)
        assert response.status_code == 200
    assert len(client.get(LIST).context["visits"]) == django_settings.PAGE_SIZE


# The permission matrix ---------------------------------------------------------------------------------

# url name, the visit it addresses (None / "visit_a"), roles that may GET it
GET_VIEWS = [
    ("grid:visit_list", None, GRID | {"member_user_a"}),
    ("grid:visit_create", None, GRID | {"member_user_a"}),
    ("grid:visit_detail", "visit_a", GRID | {"member_user_a"}),
    ("grid:visit_update", "visit_a", OFFICE | {"member_user_a"}),  # the visitor or the office
    ("grid:visit_to_appeal", "visit_a", GRID),
    ("grid:visit_to_case", "visit_a", GRID),
]
POST_VIEWS = [
    ("grid:visit_comment", GRID),
    ("grid:visit_follow_up_done", GRID | {"member_user_a"}),
]


def _url(request, name, visit_fixture):
    if visit_fixture is None:
        return reverse(name)
    return reverse(name, args=[request.getfixturevalue(visit_fixture).pk])


@pytest.mark.parametrize("name,obj,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
def test_anonymous_is_sent_to_login(request, client, visit_a, name, obj, allowed):
    response = client.get(_url(request, name, obj))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize("name,obj,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
@pytest.mark.parametrize("actor", ACTORS)
def test_role_matrix(request, client, everyone, visit_a, name, obj, allowed, actor):
    client.force_login(everyone[actor])
    response = client.get(_url(request, name, obj))
    assert response.status_code == (200 if actor in allowed else 403), f"{actor} on {name}"


OBJECT_VIEWS = [v[0] for v in GET_VIEWS if v[1]] + [v[0] for v in POST_VIEWS]


def _hit(client, name, visit):
    url = reverse(name, args=[visit.pk])
    if name in dict(POST_VIEWS):
        return client.post(url, {"text": "x"})
    return client.get(url)


@pytest.mark.parametrize("name", OBJECT_VIEWS)
def test_other_community_staff_get_404(client, staff_b, visit_a, name):
    client.force_login(staff_b)
    assert _hit(client, name, visit_a).status_code == 404
    visit_a.refresh_from_db()
    assert visit_a.follow_up_open and not VisitComment.objects.exists()


@pytest.mark.parametrize("name", OBJECT_VIEWS)
def test_grid_worker_gets_404_outside_their_cells(client, grid_worker_a, visit_a2, name):
    client.force_login(grid_worker_a)
    assert _hit(client, name, visit_a2).status_code == 404


@pytest.mark.parametrize("name", [n for n in OBJECT_VIEWS if n != "grid:visit_to_appeal" and n != "grid:visit_to_case"])
def test_member_gets_404_on_someone_elses_visit(client, member_user_a, make_visit, grid_worker_a, name):
    visit = make_visit(grid_worker_a)
    client.force_login(member_user_a)
    expected = 403 if name == "grid:visit_comment" else 404  # commenting is not for members at all
    assert _hit(client, name, visit).status_code == expected


@pytest.mark.parametrize("name,allowed", POST_VIEWS, ids=[v[0] for v in POST_VIEWS])
def test_post_only_views(client, everyone, visit_a, name, allowed):
    url = reverse(name, args=[visit_a.pk])
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))
    client.force_login(everyone["staff_a"])
    assert client.get(url).status_code == 405
    for actor in ACTORS:
        if actor not in allowed:
            client.force_login(everyone[actor])
            assert client.post(url, {"text": "x"}).status_code == 403, actor
    visit_a.refresh_from_db()
    assert visit_a.follow_up_open and not VisitComment.objects.exists()


def test_conversions_refuse_members_even_on_their_own_visit(client, member_user_a, visit_a):
    client.force_login(member_user_a)
    for name in ("grid:visit_to_appeal", "grid:visit_to_case"):
        response = client.post(reverse(name, args=[visit_a.pk]), {"group": "other", "problem": "x", "resident_name": "x"})
        assert response.status_code == 403
    visit_a.refresh_from_db()
    assert visit_a.appeal_id is None and visit_a.special_case_id is None


def test_pages_render_in_the_default_language(client, grid_worker_a, visit_a):
    """The community's portal speaks Chinese by default: every page renders without the English cookie."""
    del client.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    client.force_login(grid_worker_a)
    for name, args in [("grid:visit_list", []), ("grid:visit_create", []), ("grid:visit_detail", [visit_a.pk]),
                       ("grid:visit_to_appeal", [visit_a.pk]), ("grid:visit_to_case", [visit_a.pk])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200 and 'lang="zh-hans"' in content(response), name


def test_area_admin_building_form_offers_one_communitys_cells(client, area_admin, cell_a, cell_a2, cell_b, building_a):
    client.force_login(area_admin)
    create = reverse("grid:building_create")
    response = client.get(create)
    assert response.context["form"].needs_community and 'name="name"' not in content(response)
    assert _cell_options(client.get(create, {"community": cell_b.community_id})) == {cell_b}
    assert _cell_options(client.get(create, {"grid_cell": cell_a.pk})) == {cell_a, cell_a2}  # from a cell's page
    update = reverse("grid:building_update", args=[building_a.pk])
    assert _cell_options(client.get(update)) == {cell_a, cell_a2}
    response = client.post(f"{create}?community={cell_b.community_id}", {"grid_cell": cell_b.pk, "name": "北1号楼", "households": 10, "note": ""})
    assert response.status_code == 302
    assert Building.objects.get(name="北1号楼").grid_cell == cell_b


def test_staff_building_form_is_their_communitys(client, staff_a, cell_a, cell_b):
    client.force_login(staff_a)
    response = client.get(reverse("grid:building_create"), {"community": cell_b.community_id})
    assert _cell_options(response) == {cell_a} and not response.context["form"].needs_community


def test_building_without_a_grid_cell_is_refused_not_an_error(client, staff_a, cell_a):
    client.force_login(staff_a)
    response = client.post(reverse("grid:building_create"), {"grid_cell": "", "name": "无网格楼", "households": 5})
    assert response.status_code == 200 and "grid_cell" in response.context["form"].errors
    assert not Building.objects.filter(name="无网格楼").exists()
