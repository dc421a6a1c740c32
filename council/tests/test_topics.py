"""The deliberation hall's staff pages: topics, their steps and their sessions."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from council import services
from council.models import Session, Topic

from . import (
    ACTORS,
    DAY,
    OFFICE,
    actors,
    english,
    make_company,
    make_company_a,
    make_session,
    make_topic,
    make_topic_a,
    messages_of,
    url_for,
)

T = Topic.Status


@pytest.fixture
def everyone(request, member_user_a, liaison_a, grid_worker_a, staff_a, staff_b, area_admin):
    return actors(request)


@pytest.fixture
def topic_a(community_a, cell_a):
    return make_topic_a(community_a, cell_a)


@pytest.fixture
def session_a(topic_a):
    return make_session(topic_a)


@pytest.fixture
def company_a(community_a, building_a):
    return make_company_a(community_a, building_a)

# url name, the object it addresses (fixture name or None), roles that may GET it
GET_VIEWS = [
    ("council:topic_list", None, OFFICE),
    ("council:topic_create", None, OFFICE),
    ("council:topic_detail", "topic_a", OFFICE),
    ("council:topic_update", "topic_a", OFFICE),
    ("council:session_create", "topic_a", OFFICE),
    ("council:session_update", "session_a", OFFICE),
]
POST_VIEWS = [("council:topic_move", "topic_a")]


# The permission matrix ------------------------------------------------------------------------


@pytest.mark.parametrize("name,obj,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
def test_anonymous_is_sent_to_login(request, client, everyone, session_a, name, obj, allowed):
    response = client.get(url_for(request, name, obj))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize("name,obj,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
@pytest.mark.parametrize("actor", ACTORS)
def test_role_matrix(request, client, everyone, session_a, name, obj, allowed, actor):
    client.force_login(everyone[actor])
    response = client.get(url_for(request, name, obj))
    assert response.status_code == (200 if actor in allowed else 403), f"{actor} on {name}"


@pytest.mark.parametrize("name,obj", [(n, o) for n, o, allowed in GET_VIEWS if o])
def test_other_community_staff_get_404(request, client, everyone, session_a, name, obj):
    client.force_login(everyone["staff_b"])
    assert client.get(url_for(request, name, obj)).status_code == 404
    if name.endswith(("_create", "_update")):
        assert client.post(url_for(request, name, obj), {"title": "x"}).status_code == 404


@pytest.mark.parametrize("name,obj", POST_VIEWS)
def test_post_only_views(request, client, everyone, name, obj):
    url = url_for(request, name, obj)
    response = client.post(url, {"to": "deliberating"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))
    client.force_login(everyone["staff_a"])
    assert client.get(url).status_code == 405
    for actor in ["grid_worker_a", "member_user_a", "liaison_a"]:
        client.force_login(everyone[actor])
        assert client.post(url, {"to": "deliberating"}).status_code == 403
    client.force_login(everyone["staff_b"])
    assert client.post(url, {"to": "deliberating"}).status_code == 404
    assert Topic.objects.get().status == T.PROPOSED


def test_other_community_list_does_not_show_our_topics(client, staff_b, topic_a):
    client.force_login(staff_b)
    response = client.get(reverse("council:topic_list"))
    assert response.status_code == 200
    assert topic_a.title not in response.content.decode()


# The list ------------------------------------------------------------------------------------------


def test_list_filters(client, staff_a, community_a, cell_a, cell_a2):
    parking = make_topic(community_a, title="停车位规划", proposed_on=datetime.date(2023, 3, 1))
    parking.grid_cells.add(cell_a)
    merging = make_topic(community_a, title="合并小院落", source="courtyard", status=T.DELIBERATING,
                         deliberating_on=datetime.date(2023, 6, 2), proposed_on=datetime.date(2023, 6, 1))
    merging.grid_cells.add(cell_a2)
    make_session(merging)
    make_session(merging)
    client.force_login(staff_a)

    def titles(**query):
        response = client.get(reverse("council:topic_list"), query)
        assert response.status_code == 200
        return {topic.title for topic in response.context["object_list"]}

    assert titles() == {"停车位规划", "合并小院落"}
    assert titles(status="deliberating") == {"合并小院落"}
    assert titles(source="courtyard") == {"合并小院落"}
    assert titles(grid_cell=cell_a.pk) == {"停车位规划"}
    assert titles(proposed_from="2023-05-01") == {"合并小院落"}
    assert titles(proposed_to="2023-05-01") == {"停车位规划"}
    assert titles(q="院落") == {"合并小院落"}
    assert titles(q="消防通道") == {"停车位规划", "合并小院落"}  # the description
    counts = {t.title: t.session_count for t in client.get(reverse("council:topic_list")).context["object_list"]}
    assert counts == {"停车位规划": 0, "合并小院落": 2}


def test_list_query_count_with_many_topics(client, staff_a, community_a, cell_a, cell_a2, django_assert_max_num_queries):
    topics = Topic.objects.bulk_create(
        [Topic(community=community_a, title=f"议题{i}", description="说明", source="staff", proposed_on=DAY) for i in range(300)]
    )
    Topic.grid_cells.through.objects.bulk_create(
        [Topic.grid_cells.through(topic=topic, gridcell=cell) for topic in topics for cell in (cell_a, cell_a2)]
    )
    Session.objects.bulk_create([Session(topic=topic, held_on=DAY, form="bench", place="长凳") for topic in topics])
    client.force_login(staff_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("council:topic_list"))
    assert response.status_code == 200
    page = response.context["object_list"]
    assert len(page) == 25 and all(topic.session_count == 1 for topic in page)
    assert cell_a2.name in response.content.decode()


# Creating and editing ------------------------------------------------------------------------------


def test_staff_create_a_topic_of_their_community(client, staff_a, community_a, cell_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("council:topic_create"),
        {"title": "楼道堆物", "description": "楼道里堆满杂物", "source": "visit", "proposed_on": "2023-04-01", "grid_cells": [cell_a.pk]},
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert topic.community == community_a and topic.created_by == staff_a and topic.status == T.PROPOSED
    assert list(topic.grid_cells.all()) == [cell_a]


def test_create_refuses_another_communitys_grid_cell(client, staff_a, area_admin, community_a, cell_b):
    data = {"title": "楼道堆物", "description": "杂物", "source": "visit", "proposed_on": "2023-04-01", "grid_cells": [cell_b.pk]}
    client.force_login(staff_a)
    response = client.post(reverse("council:topic_create"), data)
    assert response.status_code == 200 and response.context["form"].errors["grid_cells"]
    client.force_login(area_admin)
    response = client.post(reverse("council:topic_create"), {**data, "community": community_a.pk})
    assert response.status_code == 200 and response.context["form"].errors["grid_cells"]
    assert not Topic.objects.exists()
    response = client.post(reverse("council:topic_create"), {**data, "community": cell_b.community_id})
    assert response.status_code == 302
    assert Topic.objects.get().community_id == cell_b.community_id


def test_create_form_offers_only_our_grid_cells(client, staff_a, cell_a, cell_b):
    client.force_login(staff_a)
    form = client.get(reverse("council:topic_create")).context["form"]
    assert list(form.fields["grid_cells"].queryset) == [cell_a]
    assert "community" not in form.fields


def test_update_a_topic(client, staff_a, topic_a, cell_a2):
    client.force_login(staff_a)
    response = client.post(
        reverse("council:topic_update", args=[topic_a.pk]),
        {"title": "停车难题", "description": "新的说明", "source": "appeal", "grid_cells": [cell_a2.pk], "outcome": "增设车位"},
    )
    assert response.status_code == 302
    topic_a.refresh_from_db()
    assert (topic_a.title, topic_a.source, topic_a.outcome) == ("停车难题", "appeal", "增设车位")
    assert list(topic_a.grid_cells.all()) == [cell_a2]
    assert topic_a.proposed_on == DAY  # not on the edit form


# Steps -------------------------------------------------------------------------------------------------

ALLOWED = [(source, to) for to, sources in services.TOPIC_MOVES.items() for source in sources]
REFUSED = [
    (source, to)
    for source, to in itertools.product(T.values, services.DATE_FIELDS)
    if (source, to) not in ALLOWED
]


def _topic_in(community, status):
    """A topic in `status`, with the dates of the steps it took (a day apart)."""
    fields = {"status": status, "outcome": "已办结"}
    order = [T.DELIBERATING, T.AGREED, T.IMPLEMENTING, T.SETTLED]
    if status in order:
        for i, step in enumerate(order[: order.index(status) + 1], start=1):
            fields[services.DATE_FIELDS[step]] = DAY + datetime.timedelta(days=i)
    if status == T.DROPPED:
        fields["dropped_on"] = DAY + datetime.timedelta(days=1)
    return make_topic(community, **fields)


def _move(client, topic, to, **data):
    return client.post(reverse("council:topic_move", args=[topic.pk]), {"to": to, **data}, follow=True)


@pytest.mark.parametrize("source,to", ALLOWED)
def test_every_allowed_move(client, staff_a, community_a, source, to):
    topic = _topic_in(community_a, source)
    english(client).force_login(staff_a)
    response = _move(client, topic, to, on="2023-06-01")
    topic.refresh_from_db()
    assert topic.status == to
    assert getattr(topic, services.DATE_FIELDS[to]) == datetime.date(2023, 6, 1)
    assert f"The topic is now “{T(to).label}”." in messages_of(response)


@pytest.mark.parametrize("source,to", REFUSED)
def test_every_refused_move(client, staff_a, community_a, source, to):
    topic = _topic_in(community_a, source)
    before = Topic.objects.filter(pk=topic.pk).values().get()
    english(client).force_login(staff_a)
    response = _move(client, topic, to, on="2023-06-01")
    assert Topic.objects.filter(pk=topic.pk).values().get() == before
    assert f"A topic that is “{T(source).label}” cannot go to “{T(to).label}”." in messages_of(response)


def test_settled_needs_an_outcome(client, staff_a, community_a):
    topic = make_topic(community_a, status=T.AGREED, agreed_on=DAY)
    english(client).force_login(staff_a)
    response = _move(client, topic, "settled", on="2023-06-01", outcome="   ")
    topic.refresh_from_db()
    assert topic.status == T.AGREED and topic.settled_on is None
    assert "Please write the outcome before marking the topic settled: residents read it." in messages_of(response)
    response = _move(client, topic, "settled", on="2023-06-01", outcome="划出 40 个车位")
    topic.refresh_from_db()
    assert topic.status == T.SETTLED and topic.outcome == "划出 40 个车位"


def test_a_blank_outcome_keeps_the_written_one(client, staff_a, community_a):
    topic = make_topic(community_a, status=T.AGREED, agreed_on=DAY, outcome="已写好的结果")
    client.force_login(staff_a)
    _move(client, topic, "settled", outcome="")
    topic.refresh_from_db()
    assert topic.status == T.SETTLED and topic.outcome == "已写好的结果"
    assert topic.settled_on == timezone.localdate()  # the date defaults to today


def test_date_before_proposed_is_refused(client, staff_a, topic_a):
    english(client).force_login(staff_a)
    response = _move(client, topic_a, "deliberating", on="2023-05-03")
    topic_a.refresh_from_db()
    assert topic_a.status == T.PROPOSED
    assert "The date cannot be before the topic was proposed." in messages_of(response)


def test_unknown_step_and_future_date_are_refused(client, staff_a, topic_a):
    client.force_login(staff_a)
    _move(client, topic_a, "proposed")
    future = timezone.localdate() + datetime.timedelta(days=2)
    response = _move(client, topic_a, "deliberating", on=future.isoformat())
    topic_a.refresh_from_db()
    assert topic_a.status == T.PROPOSED
    assert messages_of(response)


@pytest.mark.parametrize("status", T.values)
def test_detail_shows_only_the_allowed_next_steps(client, staff_a, community_a, status):
    topic = _topic_in(community_a, status)
    client.force_login(staff_a)
    html = client.get(topic.get_absolute_url()).content.decode()
    offered = {to for to in services.DATE_FIELDS if f'name="to" value="{to}"' in html}
    assert offered == {to for source, to in ALLOWED if source == status}


# Sessions -----------------------------------------------------------------------------------------------------


def _session_data(**extra):
    return {"held_on": "2023-05-10", "form": "courtyard", "place": "2号院", "residents_count": "23",
            "representatives": "赵大爷、钱阿姨", "minutes": "大家发言踊跃", "decision": "先划线再收费", **extra}


def test_first_session_starts_the_deliberation(client, staff_a, topic_a, member_a, unit_a, company_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("council:session_create", args=[topic_a.pk]),
        _session_data(members=[member_a.pk], units=[unit_a.pk], property_company=company_a.pk),
    )
    assert response.status_code == 302 and response["Location"] == topic_a.get_absolute_url()
    session = Session.objects.get()
    assert (session.topic, session.residents_count, session.property_company) == (topic_a, 23, company_a)
    assert list(session.members.all()) == [member_a] and list(session.units.all()) == [unit_a]
    topic_a.refresh_from_db()
    assert topic_a.status == T.DELIBERATING and topic_a.deliberating_on == datetime.date(2023, 5, 10)
    html = client.get(topic_a.get_absolute_url()).content.decode()
    for text in ("赵大爷、钱阿姨", "大家发言踊跃", "先划线再收费", member_a.name, unit_a.name, company_a.name):
        assert text in html  # staff see everything


def test_session_choices_are_the_topic_communitys(client, staff_a, topic_a, member_a, member_b, unit_b, community_b):
    company_b = make_company(community_b, name="北关物业")
    client.force_login(staff_a)
    url = reverse("council:session_create", args=[topic_a.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["members"].queryset) == [member_a]
    assert form.fields["members"].widget.attrs["size"] == 10
    for field, value in [("members", [member_b.pk]), ("units", [unit_b.pk]), ("property_company", company_b.pk)]:
        response = client.post(url, _session_data(**{field: value}))
        assert response.status_code == 200 and field in response.context["form"].errors
    assert not Session.objects.exists()


def test_area_admin_sees_the_topic_communitys_choices(client, area_admin, topic_a, member_a, member_b):
    client.force_login(area_admin)
    form = client.get(reverse("council:session_create", args=[topic_a.pk])).context["form"]
    assert list(form.fields["members"].queryset) == [member_a]


@pytest.mark.parametrize("status", [T.SETTLED, T.DROPPED])
def test_no_session_on_a_closed_topic(client, staff_a, community_a, status):
    topic = _topic_in(community_a, status)
    english(client).force_login(staff_a)
    url = reverse("council:session_create", args=[topic.pk])
    response = client.post(url, _session_data(), follow=True)
    assert "This topic is closed; open a new topic instead." in messages_of(response)
    assert client.get(url)["Location"] == topic.get_absolute_url()
    assert not Session.objects.exists()


def test_update_a_session(client, staff_a, session_a, member_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("council:session_update", args=[session_a.pk]),
        _session_data(place="社区议事厅", form="hall", members=[member_a.pk]),
    )
    assert response.status_code == 302
    session_a.refresh_from_db()
    assert (session_a.place, session_a.form) == ("社区议事厅", "hall")
    assert list(session_a.members.all()) == [member_a]


def test_inactive_members_are_not_offered_but_kept(client, staff_a, session_a, member_a):
    member_a.is_active = False
    member_a.sync_active_dates()
    member_a.save()
    client.force_login(staff_a)
    create_form = client.get(reverse("council:session_create", args=[session_a.topic_id])).context["form"]
    assert member_a not in create_form.fields["members"].queryset
    session_a.members.add(member_a)
    update_form = client.get(reverse("council:session_update", args=[session_a.pk])).context["form"]
    assert member_a in update_form.fields["members"].queryset


# The whole story ---------------------------------------------------------------------------------------------------


def test_two_sessions_then_settled_and_public(client, staff_a, topic_a, unit_a):
    client.force_login(staff_a)
    session_url = reverse("council:session_create", args=[topic_a.pk])
    client.post(session_url, _session_data(held_on="2023-05-10", form="bench", decision="先摸清车位数"))
    client.post(session_url, _session_data(held_on="2023-05-20", decision="划出 40 个车位，夜间错峰停车"))
    _move(client, topic_a, "agreed", on="2023-05-21")
    _move(client, topic_a, "settled", on="2023-06-30", outcome="6 月底新增车位 40 个，消防通道畅通")
    topic_a.refresh_from_db()
    assert topic_a.status == T.SETTLED
    assert (topic_a.deliberating_on, topic_a.agreed_on, topic_a.settled_on) == (
        datetime.date(2023, 5, 10), datetime.date(2023, 5, 21), datetime.date(2023, 6, 30),
    )
    assert topic_a.sessions.count() == 2

    client.logout()
    html = client.get(reverse("council:public_topics")).content.decode()
    assert topic_a.title in html
    assert "划出 40 个车位，夜间错峰停车" in html and "6 月底新增车位 40 个，消防通道畅通" in html
    assert "赵大爷" not in html and "大家发言踊跃" not in html


def test_detail_lists_the_appeals_behind_the_topic(client, staff_a, topic_a, community_a):
    from grid.models import Appeal

    appeal = Appeal.objects.create(
        community=community_a, category="property", title="楼下总有车堵门", resident_name="孙悟净",
        resident_phone="13700001111", topic=topic_a,
    )
    Appeal.objects.create(community=community_a, category="other", title="别的诉求", resident_name="某人", resident_phone="13700002222")
    client.force_login(staff_a)
    response = client.get(topic_a.get_absolute_url())
    assert list(response.context["appeals"]) == [appeal]
    html = response.content.decode()
    assert "楼下总有车堵门" in html and "别的诉求" not in html


def test_a_step_cannot_be_dated_before_the_previous_one(community_a):
    from council.services import CouncilError, topic_move

    topic = make_topic(community_a, status=T.AGREED, agreed_on=DAY, outcome="x")
    with pytest.raises(CouncilError):
        topic_move(topic=topic, to=T.SETTLED, on=DAY - datetime.timedelta(days=1))
    assert topic_move(topic=topic, to=T.SETTLED, on=DAY).status == T.SETTLED
