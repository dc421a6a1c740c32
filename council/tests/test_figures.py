"""Figures of the deliberation hall and the proxy window (`council.selectors.council_figures`)
on hand-made data: both days of the period count, the day after does not."""

import datetime

import pytest

from council.models import PropertyCompany, ProxyService, Session, Topic
from council.selectors import council_figures

D = datetime.date
START, END = D(2023, 1, 1), D(2023, 12, 31)
T = Topic.Status


def figures(community_ids, start=START, end=END):
    return council_figures(start, end, community_ids=community_ids)


MARCH_2023 = D(2023, 3, 1)


def topic(community, title, status=T.PROPOSED, proposed_on=MARCH_2023, **dates):
    return Topic.objects.create(
        community=community, title=title, description="居民反映", source=Topic.Source.STAFF, status=status,
        proposed_on=proposed_on, outcome="已解决" if status == T.SETTLED else "", **dates,
    )


def session(item, day, form=Session.Form.BENCH):
    return Session.objects.create(topic=item, held_on=day, form=form, place="楼院", residents_count=12)


@pytest.mark.django_db
def test_topics_settled_and_raised(community_a, community_b):
    topic(community_a, "停车难", T.SETTLED, D(2022, 11, 1), deliberating_on=D(2022, 11, 5), agreed_on=D(2023, 1, 1),
          settled_on=D(2023, 1, 1))
    topic(community_a, "小区并大区", T.SETTLED, deliberating_on=D(2023, 3, 5), agreed_on=D(2023, 6, 1), settled_on=D(2023, 12, 31))
    topic(community_a, "加装电梯", T.SETTLED, D(2023, 10, 1), deliberating_on=D(2023, 10, 5), agreed_on=D(2023, 12, 1),
          settled_on=D(2024, 1, 1))  # settled the next year
    topic(community_a, "路灯", T.SETTLED, D(2022, 5, 1), deliberating_on=D(2022, 5, 5), agreed_on=D(2022, 12, 1),
          settled_on=D(2022, 12, 31))  # settled the year before
    topic(community_a, "广场舞噪音", T.IMPLEMENTING, D(2023, 12, 31), deliberating_on=D(2023, 12, 31))
    topic(community_a, "车棚改造", T.DROPPED, D(2024, 1, 1), dropped_on=D(2024, 1, 5))
    topic(community_b, "垃圾分类点位", T.SETTLED, deliberating_on=D(2023, 3, 5), agreed_on=D(2023, 4, 1), settled_on=D(2023, 5, 1))

    result = figures([community_a.pk])
    assert result["deliberation_topics_resolved"] == 2  # 1 Jan and 31 Dec 2023
    assert result["topics_raised"] == 3  # 1 Mar, 1 Oct, 31 Dec 2023; not 2022 nor 1 Jan 2024
    assert figures([community_b.pk])["deliberation_topics_resolved"] == 1
    assert figures(None)["deliberation_topics_resolved"] == 3
    assert figures(None)["topics_raised"] == 4
    assert figures([community_a.pk], D(2024, 1, 1), D(2024, 1, 1))["deliberation_topics_resolved"] == 1
    assert figures([])["deliberation_topics_resolved"] == 0


@pytest.mark.django_db
def test_sessions_held_and_by_form(community_a, community_b):
    parking = topic(community_a, "停车难", T.DELIBERATING)
    lamps = topic(community_a, "路灯", T.DELIBERATING)
    session(parking, D(2023, 1, 1), Session.Form.BENCH)
    session(parking, D(2023, 4, 1), Session.Form.COURTYARD)
    session(parking, D(2023, 12, 31), Session.Form.HALL)
    session(lamps, D(2023, 6, 1), Session.Form.COURTYARD)
    session(lamps, D(2022, 12, 31), Session.Form.BENCH)
    session(lamps, D(2024, 1, 1), Session.Form.OTHER)
    session(topic(community_b, "垃圾分类点位", T.DELIBERATING), D(2023, 5, 1), Session.Form.BENCH)

    result = figures([community_a.pk])
    assert result["sessions_held"] == 4
    assert result["sessions_by_form"] == {"bench": 1, "courtyard": 2, "hall": 1}
    everyone = figures(None)
    assert everyone["sessions_held"] == 5
    assert everyone["sessions_by_form"] == {"bench": 2, "courtyard": 2, "hall": 1}
    assert figures([community_b.pk])["sessions_by_form"] == {"bench": 1}


@pytest.mark.django_db
def test_proxy_services_received_and_handled(community_a, community_b, staff_a):
    company = PropertyCompany.objects.create(community=community_a, name="临泽县示例物业服务有限公司")
    S = ProxyService.Status

    def service(community, received_on, status=S.RECEIVED, done_on=None, **fields):
        return ProxyService.objects.create(
            community=community, kind=ProxyService.Kind.PAPERWORK, resident_name="赵某", received_on=received_on,
            status=status, done_on=done_on, **fields,
        )

    service(community_a, D(2023, 1, 1), S.DONE, D(2023, 1, 1), company=company)
    service(community_a, D(2023, 12, 20), S.DONE, D(2023, 12, 31), handled_by=staff_a)  # by staff, no company
    service(community_a, D(2023, 12, 28), S.DONE, D(2024, 1, 1), company=company)  # done the next year
    service(community_a, D(2022, 12, 31), S.DONE, D(2023, 1, 3), company=company)  # received the year before
    service(community_a, D(2023, 12, 31), S.IN_PROGRESS, company=company)
    service(community_a, D(2024, 1, 1), company=company)
    service(community_b, D(2023, 5, 1), S.DONE, D(2023, 5, 2))

    result = figures([community_a.pk])
    assert result["proxy_services_received"] == 4  # 1 Jan, 20 Dec, 28 Dec, 31 Dec
    assert result["proxy_services_handled"] == 3  # done 1 Jan, 31 Dec, 3 Jan 2023
    everyone = figures(None)
    assert (everyone["proxy_services_received"], everyone["proxy_services_handled"]) == (5, 4)
    assert figures([community_a.pk], D(2024, 1, 1), D(2024, 12, 31))["proxy_services_handled"] == 1


@pytest.mark.django_db
def test_an_empty_period_in_a_few_queries(community_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        result = figures([community_a.pk])
    assert result == {
        "deliberation_topics_resolved": 0, "topics_raised": 0, "sessions_held": 0, "sessions_by_form": {},
        "proxy_services_received": 0, "proxy_services_handled": 0,
    }
