"""The work summary page: the text written from the figures, editing and preview,
the Word download, the permission matrix and the query count."""

import datetime
import io

import docx
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from council.models import Topic
from office.exports import headline_labels
from office.reports import HEADLINE_KEYS
from office.summary import TEXT_MAX_LENGTH, summary_paragraphs
from portal.figures_cache import bump
from portal.scope import ReportScope
from volunteers.models import (
    BUILTIN_KINDS,
    EventKind,
    Participation,
    SpecialGroupCase,
    VolunteerEvent,
)

PERIOD = {"from": "2023-01-01", "to": "2023-12-31"}
PERIOD_QUERY = "?from=2023-01-01&to=2023-12-31"


def url(query=""):
    return reverse("office:work_summary") + query


def at(year, month, day, hour=9, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def kind(code):
    label, special = BUILTIN_KINDS[code]
    found, _created = EventKind.objects.get_or_create(
        community=None, code=code, defaults={"name": str(label), "is_special_service": special}
    )
    return found


def held_event(community, starts_at, title, kind_code="policy", **fields):
    fields.setdefault("status", VolunteerEvent.Status.DONE)
    return VolunteerEvent.objects.create(
        community=community, title=title, kind=kind(kind_code), starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2), place="社区党群服务中心", **fields,
    )


def settled_topic(community, title, settled_on, **fields):
    return Topic.objects.create(
        community=community, title=title, description="居民反映的问题", source=Topic.Source.BENCH,
        proposed_on=datetime.date(2023, 1, 5), status=Topic.Status.SETTLED, settled_on=settled_on, **fields,
    )


@pytest.fixture
def records(community_a, community_b, unit_a, member_a, cell_a):
    """Community A in 2023: one unit, one reported member, a haircut held at 23:30 on
    the last day (2.5 approved hours), a topic and a special-group case settled.
    Not counted: an event 10 minutes into 2024, an event never held, a topic
    settled in 2024. Community B: two clinics and a topic of its own."""
    member_a.reported_on = datetime.date(2023, 3, 10)
    member_a.save()
    haircut = held_event(community_a, at(2023, 12, 31, 23, 30), "岁末义剪进楼院", "haircut", residents_served=40)
    Participation.objects.create(
        event=haircut, member=member_a, checked_in_at=at(2023, 12, 31, 23, 35), hours=2.5, hours_approved_at=at(2024, 1, 2)
    )
    held_event(community_a, at(2024, 1, 1, 0, 10), "新年政策宣传")
    held_event(community_a, at(2023, 6, 1), "未举办的活动", status=VolunteerEvent.Status.PLANNED)
    settled_topic(community_a, "东区停车难", datetime.date(2023, 6, 1), outcome="划出夜间停车位40个")
    settled_topic(community_a, "来年再议的议题", datetime.date(2024, 1, 5))
    SpecialGroupCase.objects.create(
        community=community_a, group="elderly_alone", resident_name="王奶奶", problem="门锁坏了",
        status=SpecialGroupCase.Status.SOLVED, opened_on=datetime.date(2023, 4, 1), solved_on=datetime.date(2023, 4, 3),
    )
    held_event(community_b, at(2023, 5, 1), "北关义诊", "clinic")
    held_event(community_b, at(2023, 5, 2), "北关义演", "performance")
    settled_topic(community_b, "北关小区并大区", datetime.date(2023, 7, 1))


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text_of(document):
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def rows_of(table):
    return [tuple(cell.text for cell in row.cells) for row in table.rows]


# The text ---------------------------------------------------------------------------


STORY = {
    "co_building_units": 26, "party_members": 268, "reported_members": 267, "reporting_rate": 0.9963,
    "volunteer_events": 66, "special_services": 23, "volunteer_hours": 1262.5, "wishes_submitted": 81,
    "wishes_fulfilled": 79, "wishers_fulfilled": 76, "special_group_cases_resolved": 46,
    "deliberation_topics_resolved": 8, "volunteer_teams": 4, "stations": 2,
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_figure_is_written_into_the_text(community_a, language):
    scope = ReportScope(datetime.date(2023, 1, 1), datetime.date(2023, 12, 27), [community_a.pk], community_a)
    assert list(STORY) == HEADLINE_KEYS
    with translation.override(language):
        text = "\n".join(summary_paragraphs(STORY, scope))
        dates = [date_format(scope.start, "DATE_FORMAT"), date_format(scope.end, "DATE_FORMAT")]
    for number in ["26", "268", "267", "99.6%", "66", "23", "1262.5", "81", "79", "76", "46", "8", "4", "2", *dates]:
        assert number in text


def test_all_communities_are_not_written_as_one_community(community_a):
    one = ReportScope(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), [community_a.pk], community_a)
    every = ReportScope(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), None)
    with translation.override("en"):
        assert summary_paragraphs(STORY, one) != summary_paragraphs(STORY, every)


def test_page_counts_the_records_of_the_period(login, staff_a, records):
    response = login(staff_a).get(url(), PERIOD)
    assert response.status_code == 200
    values = response.context["values"]
    assert values["volunteer_events"] == 1  # not the one 10 minutes into 2024, not the planned one
    assert values["special_services"] == 1
    assert values["volunteer_hours"] == 2.5
    assert values["deliberation_topics_resolved"] == 1
    assert values["special_group_cases_resolved"] == 1
    assert (values["co_building_units"], values["party_members"], values["reported_members"]) == (1, 1, 1)
    text = response.context["form"].initial["text"]
    assert text == "\n\n".join(response.context["paragraphs"])
    for figure in ["2.5", "100%", date_format(datetime.date(2023, 12, 31), "DATE_FORMAT")]:
        assert figure in text
    content = response.content.decode()
    assert "岁末义剪进楼院" in content and "东区停车难" in content and "划出夜间停车位40个" in content
    for not_counted in ["新年政策宣传", "未举办的活动", "来年再议的议题", "北关义诊", "北关小区并大区"]:
        assert not_counted not in content
    assert 'data-print' in content and 'name="text"' in content


def test_english_text_reads_the_figures(login, staff_a, records):
    response = english(login(staff_a)).get(url(), PERIOD)
    text = response.context["form"].initial["text"]
    assert "held 1 volunteer service events, including 1 free haircuts" in text
    assert "2.5 approved volunteer hours" in text and "1 issues were settled" in text


def test_notable_events_put_special_services_first(login, staff_a, records, community_a, member_a):
    busy = held_event(community_a, at(2023, 3, 1), "政策宣传进楼院")
    Participation.objects.create(event=busy, member=member_a, checked_in_at=at(2023, 3, 1))
    response = login(staff_a).get(url(), PERIOD)
    events = [table for table in response.context["tables"] if any("政策宣传进楼院" in row for row in table.rows)][0]
    assert [row[1] for row in events.rows] == ["岁末义剪进楼院", "政策宣传进楼院"]


# Editing, preview, download ------------------------------------------------------------


def test_preview_shows_the_edited_text(login, staff_a, records):
    text = "今年社区共开展志愿服务活动一场。\r\n\r\n下一段：群众满意。"
    response = login(staff_a).post(url(PERIOD_QUERY), {"text": text, "action": "preview"})
    assert response.status_code == 200
    assert response.context["paragraphs"] == ["今年社区共开展志愿服务活动一场。", "下一段：群众满意。"]
    assert '<p class="summary-paragraph">下一段：群众满意。</p>' in response.content.decode()
    assert response.context["values"]["volunteer_events"] == 1  # still the recorded figures


def test_word_download_has_the_edited_text_and_the_figures(login, staff_a, records):
    response = login(staff_a).post(
        url(PERIOD_QUERY),
        {"text": "第一段，经修改。\n\n第二段。", "action": "docx", "volunteer_events": "999"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="work-summary-20230101-20231231.docx"'
    document = docx.Document(io.BytesIO(response.content))
    body = text_of(document)
    assert "第一段，经修改。" in body and "第二段。" in body
    figures_table = rows_of(document.tables[0])
    labels = headline_labels()  # the language of the request (Chinese) is active again
    assert (labels["volunteer_events"], "1") in figures_table  # from the records, not from the POST
    assert (labels["volunteer_hours"], "2.5") in figures_table
    assert (labels["reporting_rate"], "100%") in figures_table
    every_cell = {cell for table in document.tables for row in rows_of(table) for cell in row}
    assert {"岁末义剪进楼院", "东区停车难"} <= every_cell
    assert "999" not in every_cell


@pytest.mark.parametrize("text", ["", "   \n\n  ", "字" * (TEXT_MAX_LENGTH + 1)])
def test_empty_or_too_long_text_is_refused_and_kept(login, staff_a, records, text):
    response = login(staff_a).post(url(PERIOD_QUERY), {"text": text, "action": "docx"})
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["text"]
    assert "is-invalid" in response.content.decode()  # the error is shown at the field
    if text.strip():
        assert response.context["form"]["text"].value() == text
        assert text in response.content.decode()


def test_bad_dates_fall_back_to_this_year(login, staff_a, records):
    response = login(staff_a).get(url(), {"from": "2023-13-40", "to": "2023-12-31"})
    assert response.status_code == 200
    scope = response.context["scope"]
    assert scope.error and scope.error in response.content.decode()
    this_year = timezone.localdate().year
    assert (scope.start, scope.end) == (datetime.date(this_year, 1, 1), datetime.date(this_year, 12, 31))


def test_post_needs_the_csrf_token(staff_a, records):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)
    response = client.post(url(PERIOD_QUERY), {"text": "第一段。", "action": "docx"})
    assert response.status_code == 403


# Who sees what -----------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, db):
    for response in (client.get(url(PERIOD_QUERY)), client.post(url(PERIOD_QUERY), {"text": "x", "action": "docx"})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("portal:login"))


@pytest.mark.parametrize("actor", ["member_user_a", "grid_worker_a", "liaison_a"])
def test_other_roles_are_refused(request, login, records, actor):
    client = login(request.getfixturevalue(actor))
    assert client.get(url(PERIOD_QUERY)).status_code == 403
    assert client.post(url(PERIOD_QUERY), {"text": "x", "action": "docx"}).status_code == 403


def test_staff_see_their_own_community_only(login, staff_b, records, community_a):
    # asking for community A in the query string changes nothing for staff of B
    response = login(staff_b).get(url(), {**PERIOD, "community": community_a.code})
    values = response.context["values"]
    assert (values["volunteer_events"], values["special_services"], values["deliberation_topics_resolved"]) == (2, 2, 1)
    assert values["co_building_units"] == 0
    content = response.content.decode()
    assert "北关义诊" in content and "北关小区并大区" in content
    assert "岁末义剪进楼院" not in content and "东区停车难" not in content and "临泽县示例局" not in content


def test_staff_word_file_has_their_community_only(login, staff_b, records):
    response = login(staff_b).post(url(PERIOD_QUERY), {"text": "北关社区工作总结。", "action": "docx"})
    document = docx.Document(io.BytesIO(response.content))
    every_cell = {cell for table in document.tables for row in rows_of(table) for cell in row}
    assert "北关义诊" in every_cell and "岁末义剪进楼院" not in every_cell


def test_area_admin_sees_all_and_can_narrow(login, area_admin, records, community_b):
    client = login(area_admin)
    every = client.get(url(), PERIOD)
    assert every.context["values"]["volunteer_events"] == 3
    assert every.context["values"]["deliberation_topics_resolved"] == 2
    assert "岁末义剪进楼院" in every.content.decode() and "北关义诊" in every.content.decode()
    narrowed = client.get(url(), {**PERIOD, "community": community_b.code})
    assert narrowed.context["values"]["volunteer_events"] == 2
    assert "岁末义剪进楼院" not in narrowed.content.decode()
    assert client.get(url(), {**PERIOD, "community": "nowhere"}).status_code == 404


def test_area_summary_has_a_row_per_community_instead_of_grid_cells(login, area_admin, records, community_a, community_b):
    """A county's 2,000 grid cells and 500 units made an unreadable page: the area's
    summary has one row per community; one community's keeps its grid cells and units."""
    client = login(area_admin)
    every = client.get(url(), PERIOD)
    places = every.context["tables"][1]
    assert places.header[0] == "名称" and len(places.header) == 8
    # community, units, members, reported, rate, events held, approved hours, wishes fulfilled
    assert places.rows == sorted([
        (community_a.name, 1, 1, 1, "100%", 1, "2.5", 0),
        (community_b.name, 0, 0, 0, "0%", 2, "0", 0),
    ])
    with translation.override("zh-hans"):
        by_cell, by_unit, by_community = _("By grid cell"), _("By unit"), _("Communities side by side")
    titles = [str(table.title) for table in every.context["tables"]]
    assert by_community in titles and by_cell not in titles and by_unit not in titles
    one = client.get(url(), {**PERIOD, "community": community_a.code})
    assert [str(table.title) for table in one.context["tables"]][1:3] == [by_cell, by_unit]


def test_area_admin_posts_keep_the_community(login, area_admin, records, community_b):
    response = login(area_admin).post(url(f"{PERIOD_QUERY}&community={community_b.code}"), {"text": "总结。", "action": "docx"})
    document = docx.Document(io.BytesIO(response.content))
    every_cell = {cell for table in document.tables for row in rows_of(table) for cell in row}
    assert "北关义诊" in every_cell and "岁末义剪进楼院" not in every_cell


# Queries -----------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["staff_a", "area_admin"])
def test_query_count_does_not_grow_with_the_records(
    request, login, records, community_a, member_a, actor, django_assert_max_num_queries
):
    client = login(request.getfixturevalue(actor))
    client.get(url(), PERIOD)  # warm up: the session and the content types
    with CaptureQueriesContext(connection) as few:
        client.get(url(), PERIOD)
    for number in range(30):
        event = held_event(community_a, at(2023, 2, 1) + datetime.timedelta(days=number), f"活动{number}", "clinic")
        Participation.objects.create(
            event=event, member=member_a, checked_in_at=event.starts_at, hours=1, hours_approved_at=event.ends_at
        )
        settled_topic(community_a, f"议题{number}", datetime.date(2023, 3, 1) + datetime.timedelta(days=number))
    bump()  # the figures are cached until a change: a change made in the portal (a POST) renews them the same way
    with django_assert_max_num_queries(40):
        response = client.get(url(), PERIOD)
    assert response.context["values"]["volunteer_events"] >= 31
    assert len(response.context["tables"][-2].rows) == 10  # the ten notable events
    with CaptureQueriesContext(connection) as many:
        client.get(url(), PERIOD)
    assert len(many) == len(few)
