"""Records and helpers shared by the council tests (the actors are in the root conftest)."""

import datetime

from django.urls import reverse

from council.models import PropertyCompany, ProxyService, Session, Topic

DAY = datetime.date(2023, 5, 4)
ACTORS = ["area_admin", "staff_a", "grid_worker_a", "member_user_a", "liaison_a"]
OFFICE = {"area_admin", "staff_a"}


def make_topic(community, **fields):
    fields.setdefault("title", "小区停车难")
    fields.setdefault("description", "晚上车辆乱停，消防通道被占。")
    fields.setdefault("source", Topic.Source.BENCH)
    fields.setdefault("proposed_on", DAY)
    return Topic.objects.create(community=community, **fields)


def make_session(topic, **fields):
    fields.setdefault("held_on", topic.proposed_on)
    fields.setdefault("form", Session.Form.BENCH)
    fields.setdefault("place", "3号楼前的长凳")
    fields.setdefault("residents_count", 12)
    return Session.objects.create(topic=topic, **fields)


def make_company(community, **fields):
    fields.setdefault("name", "兴泽物业")
    return PropertyCompany.objects.create(community=community, **fields)


def make_proxy(community, **fields):
    fields.setdefault("kind", ProxyService.Kind.PAYMENT)
    fields.setdefault("resident_name", "王秀英")
    fields.setdefault("resident_phone", "13912345678")
    fields.setdefault("received_on", DAY)
    return ProxyService.objects.create(community=community, **fields)


def english(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url_for(request, name, obj_fixture):
    if obj_fixture is None:
        return reverse(name)
    return reverse(name, args=[request.getfixturevalue(obj_fixture).pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def actors(request):
    """The users of the permission matrix, by fixture name (for an `everyone` fixture)."""
    return {name: request.getfixturevalue(name) for name in ACTORS + ["staff_b"]}


def make_topic_a(community, cell):
    topic = make_topic(community)
    topic.grid_cells.add(cell)
    return topic


def make_company_a(community, building):
    company = make_company(community)
    company.compounds.add(building)
    return company
