"""The public page of the deliberation hall: topics and outcomes, never personal data."""

import datetime

import pytest
from django.urls import reverse

from council.models import Session, Topic
from portal.models import Community

from . import DAY, english, make_company_a, make_session, make_topic, make_topic_a

T = Topic.Status
SECRETS = ("赵大爷", "钱阿姨", "会上有人提到隔壁老孙家的车")


@pytest.fixture
def topic_a(community_a, cell_a):
    return make_topic_a(community_a, cell_a)


@pytest.fixture
def company_a(community_a, building_a):
    return make_company_a(community_a, building_a)


@pytest.fixture
def settled_topic(community_a, cell_a, member_a, unit_a, company_a):
    topic = make_topic(
        community_a, title="合并小院落", description="三个小院各自为政，管理难。", status=T.SETTLED,
        deliberating_on=DAY, agreed_on=DAY + datetime.timedelta(days=10), settled_on=DAY + datetime.timedelta(days=40),
        outcome="三院合并为一个小区，共用一个物业。",
    )
    topic.grid_cells.add(cell_a)
    session = make_session(
        topic, form=Session.Form.COURTYARD, place="5号院", residents_count=31, representatives="赵大爷、钱阿姨",
        minutes=SECRETS[2], decision="同意合并，先拆除隔墙。", property_company=company_a,
    )
    session.members.add(member_a)
    session.units.add(unit_a)
    return topic


def test_anyone_sees_the_topics_and_their_outcomes(client, settled_topic, cell_a, member_a):
    english(client)
    response = client.get(reverse("council:public_topics"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("合并小院落", "三个小院各自为政", "三院合并为一个小区", "同意合并，先拆除隔墙。", "5号院", cell_a.name,
                 "31 residents", "Courtyard evening", "2023-06-13"):
        assert text in html, text
    for text in (*SECRETS, member_a.name, member_a.phone):
        assert text not in html, text


def test_the_topic_page_shows_no_personal_data(client, settled_topic, member_a, unit_a, company_a):
    response = client.get(reverse("council:public_topic", args=[settled_topic.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("三院合并为一个小区", "同意合并，先拆除隔墙。", "5号院", unit_a.name, company_a.name):
        assert text in html, text  # organisations at the table are not personal data
    for text in (*SECRETS, member_a.name, member_a.phone):
        assert text not in html, text


def test_the_appeals_behind_a_topic_stay_private(client, settled_topic, community_a):
    from grid.models import Appeal

    Appeal.objects.create(
        community=community_a, category="property", title="我家门口总停别人的车", resident_name="孙悟净",
        resident_phone="13700001111", topic=settled_topic,
    )
    for url in (reverse("council:public_topics"), reverse("council:public_topic", args=[settled_topic.pk])):
        html = client.get(url).content.decode()
        assert "我家门口总停别人的车" not in html and "孙悟净" not in html


def test_proposed_topics_are_not_public(client, topic_a):
    assert topic_a.status == T.PROPOSED
    assert topic_a.title not in client.get(reverse("council:public_topics")).content.decode()
    assert client.get(reverse("council:public_topic", args=[topic_a.pk])).status_code == 404
    assert client.get(reverse("council:public_topic", args=[999999])).status_code == 404


def test_filter_by_status(client, community_a):
    make_topic(community_a, title="议题一在议", status=T.DELIBERATING, deliberating_on=DAY)
    make_topic(community_a, title="议题二在办", status=T.IMPLEMENTING, implementing_on=DAY)
    make_topic(community_a, title="议题三已办结", status=T.SETTLED, settled_on=DAY, outcome="办好了")
    make_topic(community_a, title="议题四已搁置", status=T.DROPPED, dropped_on=DAY)

    def titles(**query):
        return {topic.title for topic in client.get(reverse("council:public_topics"), query).context["page_obj"]}

    assert titles() == {"议题一在议", "议题二在办", "议题三已办结", "议题四已搁置"}
    assert titles(status="in_progress") == {"议题一在议", "议题二在办"}
    assert titles(status="settled") == {"议题三已办结"}
    assert titles(status="dropped") == {"议题四已搁置"}
    assert titles(status="nonsense") == titles()  # a bad value is ignored


def test_filter_by_community(client, community_a, community_b):
    make_topic(community_a, title="沙河街的议题", status=T.DELIBERATING, deliberating_on=DAY)
    make_topic(community_b, title="北关的议题", status=T.DELIBERATING, deliberating_on=DAY)
    response = client.get(reverse("council:public_topics"), {"c": community_b.code})
    assert [topic.title for topic in response.context["page_obj"]] == ["北关的议题"]
    assert "c" in response.context["filter_form"].fields  # several communities: a choice
    every = client.get(reverse("council:public_topics"))
    assert {topic.title for topic in every.context["page_obj"]} == {"沙河街的议题", "北关的议题"}


def test_single_community_has_no_community_choice(client, community_a):
    response = client.get(reverse("council:public_topics"))
    assert "c" not in response.context["filter_form"].fields


def test_newest_first(client, community_a):
    make_topic(community_a, title="早办结", status=T.SETTLED, settled_on=DAY, outcome="好", proposed_on=DAY)
    make_topic(community_a, title="新进展", status=T.AGREED, agreed_on=DAY + datetime.timedelta(days=30),
               proposed_on=DAY - datetime.timedelta(days=30))
    titles = [topic.title for topic in client.get(reverse("council:public_topics")).context["page_obj"]]
    assert titles == ["新进展", "早办结"]


def test_query_count_with_many_topics(client, community_a, community_b, cell_a, django_assert_max_num_queries):
    topics = Topic.objects.bulk_create(
        [
            Topic(community=community_a, title=f"议题{i}", description="说明", source="staff", status=T.SETTLED,
                  proposed_on=DAY, settled_on=DAY, outcome=f"结果{i}")
            for i in range(100)
        ]
    )
    Topic.grid_cells.through.objects.bulk_create([Topic.grid_cells.through(topic=t, gridcell=cell_a) for t in topics])
    Session.objects.bulk_create(
        [Session(topic=t, held_on=DAY, form="bench", place="长凳", decision=f"决定{t.pk}-{n}") for t in topics for n in range(3)]
    )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("council:public_topics"))
    assert response.status_code == 200
    page = list(response.context["page_obj"])
    assert len(page) == 20
    html = response.content.decode()
    assert all(f"决定{t.pk}-2" in html for t in page)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("council:public_topic", args=[topics[0].pk])).status_code == 200


def test_a_community_code_nobody_has_shows_every_community(client, community_a):
    make_topic(community_a, title="沙河街的议题", status=T.DELIBERATING, deliberating_on=DAY)
    Community.objects.create(name="第三社区", code="third", town="沙河镇", county="临泽县")
    response = client.get(reverse("council:public_topics"), {"c": "nobody"})
    assert response.status_code == 200
    assert [topic.title for topic in response.context["page_obj"]] == ["沙河街的议题"]
