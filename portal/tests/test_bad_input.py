"""Bad input never gets a 500 (issue 18, part 3).

- Days outside portal.dates' range (0001-01-01, 9999-12-31) in a report's period:
  the page shows this year and says why; in a list's filter: the field says why and
  the list ignores it, as for any bad value; in the report command: an error.
- A form in a charset that cannot be read: 400.
- A `next` with control characters: the view's own page instead.
- And a walk over every page with bad and repeated date parameters.
"""

import datetime
import io
from urllib.parse import urlencode

import django_filters
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from conftest import PASSWORD
from grid.models import CoBuildingUnit
from portal.filters import DayFilter
from portal.tests.test_url_access import REGISTRY, auditor, world  # noqa: F401 (fixtures)
from volunteers.models import EventKind, VolunteerEvent
from wishes.models import MicroWish

OUT_OF_RANGE = ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"]
PERIOD_ERROR = "Choose dates between 1900-01-01 and 2999-12-31; showing this year."
FIELD_ERROR = "Enter a date between 1900-01-01 and 2999-12-31."
BAD_REQUEST = "The portal could not read what your browser sent"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def this_year():
    year = timezone.localdate().year
    return f"{year}-01-01", f"{year}-12-31"


# Report periods ---------------------------------------------------------------------------------------

REPORT_PAGES = ["office:dashboard", "office:work_summary", "office:feedback_list", "office:feedback_unit"]


def _report_url(name, unit):
    return reverse(name, args=[unit.pk]) if name == "office:feedback_unit" else reverse(name)


def _shown_period(response):
    """The period the page's period form shows, as (from, to)."""
    body = response.content.decode()
    start = body.split('id="period-from" name="from" value="', 1)[1].split('"', 1)[0]
    end = body.split('id="period-to" name="to" value="', 1)[1].split('"', 1)[0]
    return start, end


@pytest.mark.parametrize("name", REPORT_PAGES)
@pytest.mark.parametrize("query", [{"from": "0001-01-01"}, {"to": "9999-12-31"}, {"from": "0001-01-01", "to": "9999-12-31"}])
def test_a_report_period_out_of_range_shows_this_year_and_says_why(client, staff_a, unit_a, name, query):
    client.force_login(staff_a)
    response = client.get(_report_url(name, unit_a), query)
    assert response.status_code == 200
    assert PERIOD_ERROR in response.content.decode()
    assert _shown_period(response) == this_year()


@pytest.mark.parametrize("name", ["office:work_summary", "office:feedback_list", "office:feedback_unit"])
def test_the_widest_report_period_is_fine(client, staff_a, unit_a, name):
    client.force_login(staff_a)
    response = client.get(_report_url(name, unit_a), {"from": "1900-01-01", "to": "2999-12-31"})
    assert response.status_code == 200
    assert PERIOD_ERROR not in response.content.decode()
    assert _shown_period(response) == ("1900-01-01", "2999-12-31")


def test_a_repeated_report_parameter_counts_its_last_value(client, staff_a):
    client.force_login(staff_a)
    url = reverse("office:work_summary")
    response = client.get(f"{url}?from=2023-01-01&from=2024-01-01&to=9999-12-31&to=2024-06-30")
    assert response.status_code == 200 and PERIOD_ERROR not in response.content.decode()
    assert _shown_period(response) == ("2024-01-01", "2024-06-30")
    response = client.get(f"{url}?from=2023-01-01&from=0001-01-01")
    assert PERIOD_ERROR in response.content.decode() and _shown_period(response) == this_year()


def test_report_downloads_out_of_range_cover_this_year(client, staff_a, unit_a):
    client.force_login(staff_a)
    start, end = (day.replace("-", "") for day in this_year())
    query = {"from": "0001-01-01", "to": "9999-12-31"}
    downloads = [
        (reverse("office:dashboard_export"), f"figures-{start}-{end}.xlsx"),
        (reverse("office:feedback_all_docx"), f"feedback-{staff_a.community.code}-{start}-{end}.docx"),
        (reverse("office:feedback_unit_docx", args=[unit_a.pk]), f"feedback-{unit_a.pk}-{start}-{end}.docx"),
    ]
    for url, filename in downloads:
        response = client.get(url, query)
        assert response.status_code == 200, url
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"', url


def test_the_work_summary_download_out_of_range_covers_this_year(client, staff_a):
    client.force_login(staff_a)
    start, end = (day.replace("-", "") for day in this_year())
    url = reverse("office:work_summary") + "?from=0001-01-01&to=9999-12-31"
    response = client.post(url, {"action": "docx", "text": "总结"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="work-summary-{start}-{end}.docx"'


# The report command -----------------------------------------------------------------------------------


@pytest.mark.parametrize("option,value", [("--from", "0001-01-01"), ("--to", "9999-12-31"), ("--from", "1899-12-31")])
def test_the_report_command_refuses_days_out_of_range(db, option, value):
    days = {"--from": "2023-01-01", "--to": "2023-12-31", option: value}
    with pytest.raises(CommandError) as refused:
        call_command("report", *(part for item in days.items() for part in item), stdout=io.StringIO())
    assert str(refused.value) == f"Out of range (the portal counts days from 1900-01-01 to 2999-12-31): {value}"


def test_the_report_command_counts_the_widest_period(db):
    out = io.StringIO()
    call_command("report", "--from", "1900-01-01", "--to", "2999-12-31", stdout=out)
    assert out.getvalue().startswith("all communities, 1900-01-01 to 2999-12-31")


# List filters -----------------------------------------------------------------------------------------


def project_filtersets():
    """Every FilterSet of the portal's apps (their modules are imported with the URLs)."""
    get_resolver().url_patterns  # noqa: B018 (imports every view, and so every filter module)
    found, todo = [], [django_filters.FilterSet]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if not subclass.__module__.startswith("django_filters"):
                found.append(subclass)
    return found


def date_filter_names():
    return {
        name
        for filterset in project_filtersets()
        for name, field in filterset.base_filters.items()
        if isinstance(field, django_filters.DateFilter)
    }


def test_every_date_filter_refuses_days_out_of_range():
    filtersets = project_filtersets()
    assert len(filtersets) > 10  # the walk found the apps' filters
    plain = [
        f"{filterset.__module__}.{filterset.__name__}.{name}"
        for filterset in filtersets
        for name, field in filterset.base_filters.items()
        if isinstance(field, django_filters.DateFilter) and not isinstance(field, DayFilter)
    ]
    assert not plain, f"Use portal.filters.DayFilter: {plain}"


# (URL name, its date filters, who may open it)
DATE_FILTERED_LISTS = [
    ("grid:visit_list", ("date_from", "date_to"), "staff_a"),
    ("grid:appeal_list", ("received_from", "received_to"), "staff_a"),
    ("wishes:list", ("submitted_from", "submitted_to"), "staff_a"),
    ("volunteers:event_list", ("date_from", "date_to"), "staff_a"),
    ("council:topic_list", ("proposed_from", "proposed_to"), "staff_a"),
    ("council:proxy_list", ("received_from", "received_to"), "staff_a"),
    ("audit:event_list", ("date_from", "date_to"), "area_admin"),
    ("grid:unit_list", ("counted_on",), "staff_a"),
    ("grid:member_list", ("counted_on",), "staff_a"),
    ("grid:station_list", ("counted_on",), "staff_a"),
    ("volunteers:team_list", ("counted_on",), "staff_a"),
]


def test_the_lists_cover_every_date_filter():
    assert {name for _url, names, _user in DATE_FILTERED_LISTS for name in names} == date_filter_names()


@pytest.mark.parametrize("url_name,names,user", DATE_FILTERED_LISTS, ids=[row[0] for row in DATE_FILTERED_LISTS])
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_a_list_filter_out_of_range_says_why(client, request, url_name, names, user, value):
    client.force_login(request.getfixturevalue(user))
    response = client.get(reverse(url_name), {name: value for name in names})
    assert response.status_code == 200
    assert response.content.decode().count(FIELD_ERROR) == len(names)  # under each field


def _event(community, day):
    starts = datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())
    return VolunteerEvent.objects.create(
        community=community, title="政策宣传进楼院", kind=EventKind.objects.filter(community=None).first(),
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), place="社区党群服务中心",
    )


def test_a_list_ignores_the_filter_out_of_range_and_keeps_the_others(client, staff_a):
    _event(staff_a.community, datetime.date(2023, 5, 1))
    _event(staff_a.community, datetime.date(2024, 5, 1))
    client.force_login(staff_a)
    response = client.get(reverse("volunteers:event_list"), {"date_from": "2024-01-01", "date_to": "9999-12-31"})
    assert response.status_code == 200 and FIELD_ERROR in response.content.decode()
    assert [event.starts_at.year for event in response.context["page_obj"]] == [2024]


def test_the_widest_list_filter_is_fine(client, staff_a):
    _event(staff_a.community, datetime.date(2023, 5, 1))
    client.force_login(staff_a)
    response = client.get(reverse("volunteers:event_list"), {"date_from": "1900-01-01", "date_to": "2999-12-31"})
    assert response.status_code == 200 and FIELD_ERROR not in response.content.decode()
    assert len(response.context["page_obj"]) == 1


def test_the_security_log_export_out_of_range_answers(client, area_admin):
    client.force_login(area_admin)
    response = client.get(reverse("audit:event_export"), {"date_from": "0001-01-01", "date_to": "9999-12-31"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# Forms in another charset -----------------------------------------------------------------------------


def _csrf_client(url):
    """A browser-like client (CSRF checked) that has opened `url`, and its token."""
    browser = Client(enforce_csrf_checks=True)
    browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    browser.get(url)
    return browser, browser.cookies[django_settings.CSRF_COOKIE_NAME].value


def _post(browser, url, body: bytes, content_type, token):
    return browser.generic("POST", url, body, content_type=content_type, HTTP_X_CSRFTOKEN=token)


def _assert_bad_request(response):
    assert response.status_code == 400
    body = response.content.decode()
    assert "无法读取您提交的内容" in body and BAD_REQUEST in body
    assert "Content-Security-Policy" in response and response["X-Content-Type-Options"] == "nosniff"


WISH = {"category": "study", "title": "给孙子买一个书包", "wisher_name": "王秀英", "wisher_phone": "13700001111"}
UNIT = {"name": "临泽县示例局", "kind": "agency", "is_active": "on"}


def unreadable(form: dict) -> dict:
    """{case: (body, Content-Type)}: `form` as it cannot be read."""
    fields = urlencode(form)
    parts = b"".join(
        f'--B\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode() for name, value in form.items()
    ) + b"--B--\r\n"
    return {
        "UTF-16": (fields.encode("utf-16"), "application/x-www-form-urlencoded; charset=UTF-16"),
        "unknown charset": (fields.encode(), "application/x-www-form-urlencoded; charset=x-no-such-charset"),
        "multipart, no text codec": (parts, "multipart/form-data; boundary=B; charset=rot13"),
        "multipart, undecodable": (parts, "multipart/form-data; boundary=B; charset=idna"),
    }


CASES = list(unreadable(WISH))


@pytest.mark.parametrize("case", CASES)
def test_a_public_form_in_an_unreadable_charset_is_a_bad_request(community_a, case):
    url = reverse("wishes:new")
    browser, token = _csrf_client(url)
    body, content_type = unreadable(WISH)[case]
    _assert_bad_request(_post(browser, url, body, content_type, token))
    assert not MicroWish.objects.exists()


@pytest.mark.parametrize("case", CASES)
def test_a_staff_form_in_an_unreadable_charset_is_a_bad_request(staff_a, case):
    browser, token = _csrf_client(reverse("office:home"))
    browser.force_login(staff_a)
    body, content_type = unreadable(UNIT)[case]
    _assert_bad_request(_post(browser, reverse("grid:unit_create"), body, content_type, token))
    assert not CoBuildingUnit.objects.exists()


def test_a_form_that_names_utf8_is_read(staff_a):
    browser, token = _csrf_client(reverse("office:home"))
    browser.force_login(staff_a)
    body = urlencode(UNIT).encode()
    response = _post(browser, reverse("grid:unit_create"), body, "application/x-www-form-urlencoded; charset=UTF-8", token)
    assert response.status_code == 302
    assert CoBuildingUnit.objects.get().name == "临泽县示例局"


# A query string in a charset that cannot read it -----------------------------------------------------
# Django reads the query string in the charset the Content-Type names while it builds the
# request, before any middleware: only the request class of config.wsgi keeps that from a
# 500 (the test client builds its requests itself), so these call config.wsgi.application.


@pytest.fixture
def wsgi():
    """`wsgi(method, path, query, content_type, body)` -> (status, headers, text) from config.wsgi."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application

    def call(method, path, query, content_type, body=b""):
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
            "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
            "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "testserver",
            "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False, "wsgi.version": (1, 0),
        }
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer.update(status=int(status.split()[0]), headers=dict(headers))

        content = b"".join(application(environ, start_response))
        return answer["status"], answer["headers"], content.decode()

    # As the test client does: the handler would close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield call
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


FORM = "application/x-www-form-urlencoded; charset={}"
# (charset, query string as the WSGI server gives it: bytes read as ISO-8859-1)
UNREADABLE_QUERIES = [
    ("rot13", "x=1"),
    ("hex", "x=1"),
    ("base64", "x=1"),
    ("idna", "x=%E4%B8%AD"),  # idna decodes no percent-escape at all (Django: "too many fields")
    ("idna", "x=\xe4\xb8\xad&q=a%20b"),  # raw bytes alone are read, as ISO-8859-1
    ("utf-8", "&".join(f"x{number}=1" for number in range(1001))),  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("charset,query", UNREADABLE_QUERIES, ids=lambda value: value[:20])
def test_a_query_string_the_named_charset_cannot_read_is_a_bad_request(wsgi, method, charset, query):
    body = urlencode(WISH).encode() if method == "POST" else b""
    status, headers, content = wsgi(method, reverse("wishes:new"), query, FORM.format(charset), body)
    assert status == 400
    assert "无法读取您提交的内容" in content and BAD_REQUEST in content
    assert "Content-Security-Policy" in headers and headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("charset,query", UNREADABLE_QUERIES, ids=lambda value: value[:20])
def test_django_alone_fails_on_such_a_query_string_while_building_the_request(charset, query):
    """Why the fix is in config.wsgi: no middleware runs before this."""
    from django.core.exceptions import TooManyFieldsSent
    from django.core.handlers.wsgi import WSGIRequest

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "QUERY_STRING": query, "CONTENT_TYPE": FORM.format(charset),
               "wsgi.input": io.BytesIO()}
    with pytest.raises((LookupError, UnicodeError, TooManyFieldsSent)):
        WSGIRequest(environ)


def test_portal_wsgi_still_reads_a_query_string_in_utf8(wsgi, community_a):
    status, _headers, content = wsgi("GET", reverse("wishes:new"), "cell=%E4%B8%AD", FORM.format("utf-8"))
    assert status == 200 and "沙河街社区" in content


# `next` -----------------------------------------------------------------------------------------------

CONTROL_NEXTS = ["/grid/\x00", "/grid/%00", "/grid/\r\nSet-Cookie: a=b", "/grid/%0D%0A", "/grid/\t", "\t/grid/", "/grid/\x7f"]
UNSAFE_NEXTS = [*CONTROL_NEXTS, "https://evil.example/", "//evil.example/"]


@pytest.mark.parametrize("next_url", UNSAFE_NEXTS)
def test_member_confirm_with_a_bad_next_goes_to_the_member(client, staff_a, member_a, next_url):
    client.force_login(staff_a)
    response = client.post(reverse("grid:member_confirm", args=[member_a.pk]), {"next": next_url})
    assert response.status_code == 302 and response["Location"] == member_a.get_absolute_url()
    member_a.refresh_from_db()
    assert member_a.reported_on is not None  # confirmed all the same


def test_member_confirm_goes_back_to_a_local_next(client, staff_a, member_a):
    client.force_login(staff_a)
    response = client.post(reverse("grid:member_confirm", args=[member_a.pk]), {"next": "/dashboard/?from=2023-01-01"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/?from=2023-01-01"


@pytest.mark.parametrize("next_url", UNSAFE_NEXTS)
@pytest.mark.parametrize("name", ["volunteers:sign_up", "volunteers:withdraw"])
def test_sign_up_with_a_bad_next_goes_to_the_event(client, world, member_user_a, name, next_url):
    client.force_login(member_user_a)
    response = client.post(reverse(name, args=[world.event.pk]), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:event_public", args=[world.event.pk])


def test_sign_up_goes_back_to_a_local_next(client, world, member_user_a):
    client.force_login(member_user_a)
    response = client.post(reverse("volunteers:sign_up", args=[world.event.pk]), {"next": "/volunteers/calendar/?c=x"})
    assert response.status_code == 302 and response["Location"] == "/volunteers/calendar/?c=x"


@pytest.mark.parametrize("next_url", UNSAFE_NEXTS)
def test_login_with_a_bad_next_goes_to_the_dashboard(client, staff_a, next_url):
    page = client.get(reverse("portal:login"), {"next": next_url})
    assert page.status_code == 200 and page.context["next"] == ""  # not carried in the form
    response = client.post(reverse("portal:login"), {"username": "staff_a", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302 and response["Location"] == reverse("office:dashboard")


def test_login_goes_on_to_a_local_next(client, staff_a):
    response = client.post(reverse("portal:login"), {"username": "staff_a", "password": PASSWORD, "next": "/grid/members/"})
    assert response.status_code == 302 and response["Location"] == "/grid/members/"


@pytest.mark.parametrize("next_url", ["/accounts/login/", "/grid/\x00"])
def test_a_signed_in_user_sent_to_the_login_page_goes_to_the_dashboard(client, staff_a, next_url):
    client.force_login(staff_a)
    response = client.get(reverse("portal:login"), {"next": next_url})  # "/accounts/login/" was a 500 (a loop)
    assert response.status_code == 302 and response["Location"] == reverse("office:dashboard")


@pytest.mark.parametrize("next_url", UNSAFE_NEXTS)
def test_logout_with_a_bad_next_goes_home(client, staff_a, next_url):
    client.force_login(staff_a)
    response = client.post(reverse("portal:logout"), {"next": next_url})
    assert response.status_code == 302 and response["Location"] == reverse("office:home")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("next_url", UNSAFE_NEXTS)
def test_the_language_switch_with_a_bad_next_goes_back_to_the_page_or_home(client, db, next_url):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    response = client.post(
        reverse("set_language"), {"language": "en", "next": next_url}, HTTP_REFERER="http://testserver/wishes/wall/"
    )
    assert response.status_code == 302 and response["Location"] == "http://testserver/wishes/wall/"
    response = client.post(reverse("set_language"), {"language": "en"}, HTTP_REFERER=next_url)
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_language_switch_goes_back_to_a_local_next(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/wishes/wall/?c=x"})
    assert response.status_code == 302 and response["Location"] == "/wishes/wall/?c=x"
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(reverse("set_language"), {"language": "zh-hans", "next": "/wishes/wall/"})
    assert response.status_code == 302 and response["Location"] == "/wishes/wall/"
    assert django_settings.LANGUAGE_COOKIE_NAME not in response.cookies  # only a POST changes the language


# Every page, with bad and repeated date parameters ----------------------------------------------------

PAGES = [name for name, rule in sorted(REGISTRY.items()) if rule.method == "get"]


def fuzzed_queries():
    """Every date parameter a page reads (report periods, list filters) at once, with
    days out of range, something that is no date, and each repeated."""
    names = sorted({"from", "to"} | date_filter_names())
    for value in ["0001-01-01", "9999-12-31", "abc"]:
        yield "&".join(f"{name}={value}" for name in names)
    yield "&".join(f"{name}=2023-01-01&{name}=9999-12-31" for name in names)
    yield "&".join(f"{name}=9999-12-31&{name}=0001-01-01&{name}=" for name in names)


# Cached parts are keyed by a hash of what they depend on: no visitor's text in a key
# (too long or with spaces for memcached or Redis), whatever the query string.
@pytest.mark.filterwarnings("error::django.core.cache.backends.base.CacheKeyWarning")
@pytest.mark.parametrize("visitor", ["staff_a", "area_admin"])
@pytest.mark.parametrize("name", PAGES)
def test_no_page_fails_on_bad_date_parameters(client, world, request, name, visitor):
    rule = REGISTRY[name]
    url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
    client.force_login(request.getfixturevalue(visitor))
    for query in fuzzed_queries():
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, f"{url}?{query}"
