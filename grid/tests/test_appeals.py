"""Appeals (诉求): the state machine through the services, the residents' pages
(submit, track, reopen, close), the staff pages, the permission matrix of every
view and the list's query count."""

import datetime
import io
import re

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from PIL import Image

from conftest import make_user
from grid import services_work as services
from grid.models import Appeal, AppealEvent, Building
from portal.models import User

A = Appeal.Status
PHONE = "13700001111"
OFFICE = {"area_admin", "staff_a"}
GRID = OFFICE | {"grid_worker_a"}
ACTORS = ["area_admin", "staff_a", "grid_worker_a", "member_user_a", "liaison_a"]

NEW = reverse("grid:appeal_new")
DONE = reverse("grid:appeal_submitted")
TRACK = reverse("grid:appeal_track")
REOPEN = reverse("grid:appeal_track_reopen")
CLOSE = reverse("grid:appeal_track_close")
RATE = reverse("grid:appeal_track_rate")
LIST = reverse("grid:appeal_list")
RECORD = reverse("grid:appeal_record")

NO_MATCH = "No appeal matches this code and phone number."
TOO_MANY_SUBMISSIONS = "Too many submissions from this network. Please wait 10 minutes or call the community office."
TOO_MANY_LOOKUPS = "Too many lookups from this network. Please wait 10 minutes or call the community office."
XSS = "<script>alert(1)</script>"



@pytest.fixture(autouse=True)
def _english_services():
    """Services called outside a request answer in the active language: English here."""
    from django.utils import translation

    with translation.override("en"):
        yield

@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # the throttle counts live in the cache
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"  # messages in English
    yield
    cache.clear()


@pytest.fixture
def everyone(request, member_user_a, liaison_a, grid_worker_a, staff_a, staff_b, area_admin):
    return {name: request.getfixturevalue(name) for name in ACTORS + ["staff_b"]}


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def jpeg_upload(name="lamp.jpg"):
    return SimpleUploadedFile(name, jpeg(), content_type="image/jpeg")


def content(response):
    return response.content.decode()


def flashed(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def errors(response):
    return [text for level, text in flashed(response) if level == "error"]


@pytest.fixture
def make_appeal(community_a, cell_a, staff_a):
    """`make_appeal(status=...)` builds an appeal and walks it to that status through the services."""

    def _make(status="received", *, cell=None, community=None, now=None, **fields):
        data = {
            "community": community or community_a,
            "grid_cell": cell if cell is not None else (cell_a if community is None else None),
            "category": Appeal.Category.FACILITIES,
            "title": "2号门路灯坏了",
            "description": "晚上很黑，老人出门不方便。",
            "resident_name": "王秀英",
            "resident_phone": PHONE,
            "address_detail": "3单元502室",
        }
        entered_by = fields.pop("entered_by", None)
        data.update(fields)
        appeal = services.appeal_submit(appeal=Appeal(**data), entered_by=entered_by, now=now)
        if status == "received":
            return appeal
        if status == "assigned":
            return services.appeal_assign(appeal=appeal, by=staff_a, to_user=staff_a)
        appeal = services.appeal_answer(appeal=appeal, by=staff_a, answer="已联系物业，明天修好。", now=now)
        if status == "answered":
            return appeal
        if status == "closed":
            return services.appeal_close(appeal=appeal, by=staff_a, now=now)
        if status == "reopened":
            return services.appeal_reopen(appeal=appeal, reason="灯还是不亮", now=now)
        raise ValueError(status)

    return _make


# The state machine, through the services ----------------------------------------------------


def test_submit_by_resident_and_by_staff(make_appeal, grid_worker_a):
    online = make_appeal()
    assert online.status == A.RECEIVED and online.source == Appeal.Source.ONLINE
    assert online.consent_at is not None and online.entered_by is None
    assert online.events.get().by_resident
    assert len(online.code) == 10 and online.code_display == f"{online.code[:5]}-{online.code[5:]}"

    recorded = services.appeal_submit(
        appeal=Appeal(community=online.community, category="other", title="x", resident_name="李", resident_phone=PHONE),
        entered_by=grid_worker_a,
    )
    assert recorded.source == Appeal.Source.STAFF
    event = recorded.events.get()
    assert (event.actor, event.by_resident) == (grid_worker_a, False)


@pytest.mark.parametrize("status", ["received", "assigned", "reopened"])
def test_assign_from_a_waiting_status(make_appeal, staff_a, grid_worker_a, unit_a, status):
    appeal = make_appeal(status)
    appeal = services.appeal_assign(appeal=appeal, by=staff_a, to_user=grid_worker_a)
    assert (appeal.status, appeal.assigned_to_user, appeal.assigned_to_unit) == (A.ASSIGNED, grid_worker_a, None)
    appeal = services.appeal_assign(appeal=appeal, by=staff_a, to_unit=unit_a)
    assert (appeal.status, appeal.assigned_to_user, appeal.assigned_to_unit) == (A.ASSIGNED, None, unit_a)
    assert appeal.events.last().actor == staff_a


@pytest.mark.parametrize("status", ["answered", "closed"])
def test_assign_refused_when_not_waiting(make_appeal, staff_a, status):
    appeal = make_appeal(status)
    with pytest.raises(services.AppealError, match="Only an appeal waiting for an answer can be assigned."):
        services.appeal_assign(appeal=appeal, by=staff_a, to_user=staff_a)
    appeal.refresh_from_db()
    assert appeal.status == status


def test_assign_refusals(make_appeal, staff_a, staff_b, grid_worker_a, unit_a, unit_b):
    appeal = make_appeal()
    with pytest.raises(services.AppealError, match="Only community staff can do this."):
        services.appeal_assign(appeal=appeal, by=grid_worker_a, to_user=grid_worker_a)
    with pytest.raises(services.AppealError, match="Only community staff can do this."):
        services.appeal_assign(appeal=appeal, by=staff_b, to_user=staff_b)
    with pytest.raises(services.AppealError, match="one person or one unit"):
        services.appeal_assign(appeal=appeal, by=staff_a)
    with pytest.raises(services.AppealError, match="one person or one unit"):
        services.appeal_assign(appeal=appeal, by=staff_a, to_user=staff_a, to_unit=unit_a)
    with pytest.raises(services.AppealError, match="another community"):
        services.appeal_assign(appeal=appeal, by=staff_a, to_unit=unit_b)
    with pytest.raises(services.AppealError, match="another community"):
        services.appeal_assign(appeal=appeal, by=staff_a, to_user=staff_b)
    appeal.refresh_from_db()
    assert appeal.status == A.RECEIVED and appeal.events.count() == 1


@pytest.mark.parametrize("status", ["received", "assigned", "reopened"])
def test_answer_from_a_waiting_status(make_appeal, staff_a, status):
    appeal = make_appeal(status)
    now = timezone.now()
    appeal = services.appeal_answer(appeal=appeal, by=staff_a, answer="  已修好  ", now=now)
    assert (appeal.status, appeal.answer, appeal.answered_at) == (A.ANSWERED, "已修好", now)
    assert appeal.events.last().note == "已修好"


def test_an_answer_is_told_to_the_resident_by_sms_once_per_answer(make_appeal, staff_a):
    from notices.models import Notification

    appeal = make_appeal()
    services.appeal_answer(appeal=make_appeal(), by=staff_a, answer="没有同意短信")  # no consent: no SMS
    Appeal.objects.filter(pk=appeal.pk).update(sms_consent=True)
    appeal.refresh_from_db()
    appeal = services.appeal_answer(appeal=appeal, by=staff_a, answer="已修好")
    (sms,) = Notification.objects.filter(event="appeal.answered")
    assert (sms.channel, sms.to, sms.community_id) == ("sms", appeal.resident_phone, appeal.community_id)
    assert appeal.code in sms.text and "/grid/appeals/track/?code=" in sms.text and "答复" in sms.text
    assert appeal.resident_name not in sms.text
    with pytest.raises(services.AppealError):
        services.appeal_answer(appeal=appeal, by=staff_a, answer="再答一次")
    appeal = services.appeal_reopen(appeal=appeal, reason="还是漏水")
    services.appeal_answer(appeal=appeal, by=staff_a, answer="换了水管")
    assert Notification.objects.filter(event="appeal.answered").count() == 2


@pytest.mark.parametrize("status", ["answered", "closed"])
def test_answer_refused_when_not_waiting(make_appeal, staff_a, status):
    appeal = make_appeal(status)
    with pytest.raises(services.AppealError, match="not waiting for an answer"):
        services.appeal_answer(appeal=appeal, by=staff_a, answer="再答一次")


def test_answer_needs_text_and_the_right_person(make_appeal, staff_a, grid_worker_a, community_a):
    appeal = make_appeal()
    with pytest.raises(services.AppealError, match="Please write the answer"):
        services.appeal_answer(appeal=appeal, by=staff_a, answer="   ")
    with pytest.raises(services.AppealError, match="Only community staff can do this."):
        services.appeal_answer(appeal=appeal, by=grid_worker_a, answer="我来答")
    services.appeal_assign(appeal=appeal, by=staff_a, to_user=grid_worker_a)
    other_worker = make_user("grid_a2", User.Role.GRID_WORKER, community_a)
    with pytest.raises(services.AppealError, match="Only community staff can do this."):
        services.appeal_answer(appeal=appeal, by=other_worker, answer="我来答")
    appeal = services.appeal_answer(appeal=appeal, by=grid_worker_a, answer="已处理")
    assert appeal.status == A.ANSWERED and appeal.events.last().actor == grid_worker_a


@pytest.mark.parametrize("status", ["received", "assigned", "answered", "reopened"])
def test_staff_close_from_any_open_status(make_appeal, staff_a, status):
    appeal = make_appeal(status)
    appeal = services.appeal_close(appeal=appeal, by=staff_a, note="电话回访")
    assert appeal.status == A.CLOSED and appeal.closed_at is not None
    event = appeal.events.last()
    assert (event.actor, event.by_resident, event.note) == (staff_a, False, "电话回访")


def test_close_refusals(make_appeal, staff_a, grid_worker_a):
    closed = make_appeal("closed")
    with pytest.raises(services.AppealError, match="cannot be closed now"):
        services.appeal_close(appeal=closed, by=staff_a)
    with pytest.raises(services.AppealError, match="Only community staff can do this."):
        services.appeal_close(appeal=make_appeal(), by=grid_worker_a)
    # The resident may only close an answered appeal.
    for status in ("received", "assigned", "reopened", "closed"):
        appeal = make_appeal(status)
        with pytest.raises(services.AppealError, match="cannot be closed now"):
            services.appeal_close(appeal=appeal, by=None)


def test_resident_closes_an_answered_appeal(make_appeal):
    appeal = services.appeal_close(appeal=make_appeal("answered"), by=None)
    assert appeal.status == A.CLOSED
    event = appeal.events.last()
    assert (event.actor, event.by_resident) == (None, True)


@pytest.mark.parametrize("status", ["answered", "closed"])
def test_reopen_within_14_days(make_appeal, staff_a, status):
    answered_at = timezone.now() - datetime.timedelta(days=20)
    appeal = make_appeal(status, now=answered_at)
    later = answered_at + datetime.timedelta(days=14)

    appeal = services.appeal_reopen(appeal=appeal, reason="灯还是不亮", now=later)

    assert appeal.status == A.REOPENED
    assert appeal.reopened_count == 1
    assert appeal.waiting_since == later
    assert appeal.closed_at is None
    event = appeal.events.last()
    assert (event.by_resident, event.note, event.from_status) == (True, "灯还是不亮", status)
    # Answered again and reopened again: counted twice.
    appeal = services.appeal_answer(appeal=appeal, by=staff_a, answer="再修")
    appeal = services.appeal_reopen(appeal=appeal, reason="还是不亮")
    assert appeal.reopened_count == 2


@pytest.mark.parametrize("status", ["answered", "closed"])
def test_reopen_after_14_days_is_refused(make_appeal, status):
    answered_at = timezone.now() - datetime.timedelta(days=20)
    appeal = make_appeal(status, now=answered_at)
    too_late = answered_at + datetime.timedelta(days=14, seconds=1)
    with pytest.raises(services.AppealError, match="within 14 days"):
        services.appeal_reopen(appeal=appeal, reason="灯还是不亮", now=too_late)
    appeal.refresh_from_db()
    assert appeal.status == status and appeal.reopened_count == 0


@pytest.mark.parametrize("status", ["received", "assigned", "reopened"])
def test_reopen_refused_when_not_answered(make_appeal, status):
    with pytest.raises(services.AppealError):
        services.appeal_reopen(appeal=make_appeal(status), reason="没人管")


def test_reopen_needs_a_reason(make_appeal):
    appeal = make_appeal("answered")
    with pytest.raises(services.AppealError, match="still not solved"):
        services.appeal_reopen(appeal=appeal, reason="  ")


def test_reopen_of_a_closed_appeal_without_answer_is_refused(make_appeal, staff_a):
    appeal = services.appeal_close(appeal=make_appeal(), by=staff_a)
    assert not appeal.can_reopen()
    with pytest.raises(services.AppealError):
        services.appeal_reopen(appeal=appeal, reason="没解决")


def test_overdue_follows_the_communitys_answer_days(make_appeal, community_a):
    community_a.appeal_answer_days = 3
    community_a.save()
    late = make_appeal(title="等了四天")
    fresh = make_appeal(title="刚收到")
    answered = make_appeal("answered", title="已答复")
    old = timezone.now() - datetime.timedelta(days=4)
    Appeal.objects.filter(pk__in=[late.pk, answered.pk]).update(waiting_since=old)

    assert set(Appeal.objects.overdue()) == {late}
    flags = {appeal.pk: appeal.is_overdue for appeal in Appeal.objects.with_overdue_flag()}
    assert flags == {late.pk: True, fresh.pk: False, answered.pk: False}

    community_a.appeal_answer_days = 5
    community_a.save()
    assert not Appeal.objects.overdue().exists()


def test_reopening_restarts_the_answer_deadline(make_appeal, staff_a):
    appeal = make_appeal("answered", now=timezone.now() - datetime.timedelta(days=10))
    services.appeal_reopen(appeal=appeal, reason="没修好", now=timezone.now() - datetime.timedelta(days=9))
    assert Appeal.objects.overdue().filter(pk=appeal.pk).exists()  # 9 days > 7
    services.appeal_answer(appeal=appeal, by=staff_a, answer="再修")
    appeal.refresh_from_db()
    services.appeal_reopen(appeal=appeal, reason="还是不行")
    assert not Appeal.objects.overdue().filter(pk=appeal.pk).exists()


def test_to_topic_creates_a_topic(make_appeal, staff_a, grid_worker_a, cell_a):
    appeal = make_appeal(title="小区停车难")
    with pytest.raises(services.AppealError, match="Only community staff can do this."):
        services.appeal_to_topic(appeal=appeal, by=grid_worker_a)
    topic = services.appeal_to_topic(appeal=appeal, by=staff_a)
    appeal.refresh_from_db()
    assert appeal.topic == topic and appeal.status == A.RECEIVED
    assert (topic.title, topic.source, topic.community_id) == ("小区停车难", "appeal", appeal.community_id)
    assert list(topic.grid_cells.all()) == [cell_a]


# The residents' pages: submit -----------------------------------------------------------------


@pytest.fixture
def appeal_data(cell_a):
    return {
        "resident_name": "王秀英",
        "resident_phone": "137 0000 1111",
        "grid_cell": str(cell_a.pk),
        "building": "",
        "address_detail": "3单元502室",
        "category": "facilities",
        "title": "2号门路灯坏了",
        "description": "晚上很黑。",
        "consent": "on",
        "sensitive_consent": "on",
        "website": "",
    }


def new_url(community):
    return f"{NEW}?c={community.code}"


def test_submit_with_photo(client, community_a, appeal_data, tmp_path):
    response = client.post(new_url(community_a), {**appeal_data, "photo": jpeg_upload()})
    assert response.status_code == 302 and response["Location"] == DONE

    appeal = Appeal.objects.get()
    assert (appeal.status, appeal.community, appeal.resident_phone, appeal.source) == (
        A.RECEIVED, community_a, PHONE, Appeal.Source.ONLINE,
    )
    assert appeal.consent_at is not None and appeal.entered_by is None
    assert appeal.events.get().by_resident
    assert appeal.photo.name.startswith("private/appeals/") and "lamp" not in appeal.photo.name
    assert re.search(r"/[0-9a-f]{32}\.jpg$", appeal.photo.name)
    assert (tmp_path / appeal.photo.name).is_file()

    done = client.get(DONE)
    assert done.status_code == 200
    assert appeal.code_display in content(done)
    assert "no-store" in done["Cache-Control"]


def test_form_page_for_the_only_community(client, community_a, cell_a):
    response = client.get(NEW)
    assert response.status_code == 200
    html = content(response)
    assert 'enctype="multipart/form-data"' in html
    assert 'name="consent"' in html and 'id="div_id_website"' in html
    assert re.search(r'type="radio"[^>]*name="category"', html)


def test_several_communities_are_listed_and_unknown_is_404(client, community_a, community_b):
    html = content(client.get(NEW))
    assert f"{NEW}?c=shahejie" in html and f"{NEW}?c=beiguan" in html
    assert client.get(f"{NEW}?c=nowhere").status_code == 404


@pytest.mark.parametrize(
    "change, field",
    [
        ({"resident_name": ""}, "resident_name"),
        ({"resident_phone": "12345"}, "resident_phone"),
        ({"consent": None}, "consent"),
        ({"title": ""}, "title"),
        ({"title": "灯" * 61}, "title"),
        ({"grid_cell": ""}, "grid_cell"),
        ({"grid_cell": "community-b"}, "grid_cell"),
        ({"building": "other-cell"}, "building"),
        ({"category": "zzz"}, "category"),
        ({"photo": "not-an-image"}, "photo"),
    ],
    ids=["no-name", "bad-phone", "no-consent", "no-title", "long-title", "no-cell", "cell-of-b",
         "building-not-in-cell", "bad-category", "not-an-image"],
)
def test_bad_input_is_refused_and_kept(client, community_a, cell_a2, cell_b, appeal_data, change, field):
    data = dict(appeal_data)
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
    assert not Appeal.objects.exists()
    html = content(response)
    for key in ("resident_name", "title", "address_detail", "description"):
        if key != field:
            assert data[key] in html  # what the resident typed is still there
    if field == "photo":
        assert "Please choose your photo again." in html


def test_honeypot_saves_nothing_but_looks_the_same(client, community_a, appeal_data):
    response = client.post(new_url(community_a), {**appeal_data, "website": "http://spam.example"})
    assert response.status_code == 302 and response["Location"] == DONE
    assert not Appeal.objects.exists()
    done = client.get(DONE)
    assert done.status_code == 200
    assert re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", content(done))


def test_done_page_without_an_appeal_goes_to_the_form(client, community_a):
    response = client.get(DONE)
    assert response.status_code == 302 and response["Location"] == NEW


def test_sixth_submission_in_ten_minutes_is_refused(client, community_a, appeal_data):
    for number in range(5):
        assert client.post(new_url(community_a), {**appeal_data, "title": f"诉求{number}"}).status_code == 302
    response = client.post(new_url(community_a), {**appeal_data, "title": "第六个诉求"})
    assert response.status_code == 429
    html = content(response)
    assert TOO_MANY_SUBMISSIONS in html and "第六个诉求" in html
    assert Appeal.objects.count() == 5
    # Another address has its own count.
    assert client.post(new_url(community_a), appeal_data, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_appeal_throttle_is_separate_from_wishes(client, settings, community_a, appeal_data):
    from portal import throttle

    request = client.get(NEW).wsgi_request
    for _ in range(5):
        throttle.hit(request, "wish-submit", 5, 600)
    assert client.post(new_url(community_a), appeal_data).status_code == 302


def test_submitted_values_are_escaped(client, community_a, appeal_data):
    response = client.post(new_url(community_a), {**appeal_data, "title": XSS, "consent": ""})
    assert response.status_code == 200
    assert XSS not in content(response)


# The residents' pages: tracking ------------------------------------------------------------------


def lookup(client, code, digits="1111", **extra):
    return client.post(TRACK, {"code": code, "phone_last4": digits}, **extra)


def test_track_shows_status_and_timeline_without_personal_data(client, make_appeal, staff_a, building_a):
    staff_a.full_name = "刘主任"
    staff_a.save()
    appeal = make_appeal("answered", building=building_a)
    assert lookup(client, appeal.code_display.lower())["Location"] == TRACK

    page = client.get(TRACK)
    html = content(page)
    assert "no-store" in page["Cache-Control"]
    assert appeal.title in html and "Answered" in html and "Appeal received" in html
    assert "已联系物业，明天修好。" in html  # the answer
    assert f"{timezone.localtime(appeal.received_at):%Y-%m-%d}" in html
    assert "王**" in html and "****1111" in html
    for secret in (PHONE, "王秀英", "3单元502室", "刘主任", "staff_a"):
        assert secret not in html, secret
    # An answered appeal asks for a rating (satisfied closes it); "close" alone shows once it is rated.
    assert REOPEN in html and RATE in html and CLOSE not in html


def test_assignment_note_naming_staff_is_not_public(client, make_appeal, staff_a):
    staff_a.full_name = "刘主任"
    staff_a.save()
    appeal = make_appeal("assigned")
    assert appeal.events.last().note == "刘主任"  # the service records the assignee's name
    lookup(client, appeal.code)
    html = content(client.get(TRACK))
    assert "Passed to the person in charge" in html and "刘主任" not in html
    assert REOPEN not in html and CLOSE not in html


def test_wrong_code_and_wrong_digits_give_the_same_answer(client, make_appeal):
    appeal = make_appeal()
    other_code = "ABCDEFGHJK" if appeal.code != "ABCDEFGHJK" else "KJHGFEDCBA"
    for response in (lookup(client, appeal.code, "2222"), lookup(client, other_code, "1111")):
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [NO_MATCH]
        assert NO_MATCH in content(response)
        assert response.context["appeal"] is None
    assert "tracked_appeal" not in client.session


def test_malformed_code_gets_a_format_hint(client, make_appeal):
    response = lookup(client, "ABC")
    assert response.status_code == 200 and "code" in response.context["form"].errors


def test_eleventh_lookup_is_refused(client, make_appeal):
    appeal = make_appeal()
    for _ in range(10):
        assert lookup(client, appeal.code, "9999").status_code == 200
    response = lookup(client, appeal.code, "1111")
    assert response.status_code == 429
    assert TOO_MANY_LOOKUPS in content(response)
    assert "tracked_appeal" not in client.session


def test_tracked_appeal_expires_and_can_be_forgotten(client, settings, make_appeal):
    appeal = make_appeal()
    lookup(client, appeal.code)
    client.post(TRACK, {"forget": "1"})
    assert appeal.title not in content(client.get(TRACK))
    settings.APPEAL_TRACK_SESSION_SECONDS = -1
    lookup(client, appeal.code)
    assert appeal.title not in content(client.get(TRACK))


def test_resident_reopens_from_the_tracking_page(client, make_appeal):
    appeal = make_appeal("answered")
    lookup(client, appeal.code)

    empty = client.post(REOPEN, {"code": appeal.code, "reason": " "})
    assert empty.status_code == 200 and "reason" in empty.context["reopen_form"].errors

    response = client.post(REOPEN, {"code": appeal.code, "reason": "灯还是不亮"})
    assert response.status_code == 302 and response["Location"] == TRACK
    appeal.refresh_from_db()
    assert (appeal.status, appeal.reopened_count) == (A.REOPENED, 1)
    html = content(client.get(TRACK))
    assert "Your appeal is reopened. The community will look at it again." in html
    assert "灯还是不亮" in html and "Reopened: not solved yet" in html
    assert REOPEN not in html and CLOSE not in html


def test_resident_cannot_reopen_after_14_days(client, make_appeal):
    appeal = make_appeal("answered", now=timezone.now() - datetime.timedelta(days=15))
    lookup(client, appeal.code)
    assert REOPEN not in content(client.get(TRACK))
    response = client.post(REOPEN, {"code": appeal.code, "reason": "没修好"}, follow=True)
    assert "An appeal can be reopened within 14 days of its answer." in content(response)
    appeal.refresh_from_db()
    assert appeal.status == A.ANSWERED


def test_resident_closes_from_the_tracking_page(client, make_appeal):
    appeal = make_appeal("answered")
    lookup(client, appeal.code)
    response = client.post(CLOSE, {"code": appeal.code}, follow=True)
    html = content(response)
    assert "Thank you! Your appeal is closed." in html
    assert "Closed: you were satisfied with the answer" in html
    appeal.refresh_from_db()
    assert appeal.status == A.CLOSED and appeal.events.last().by_resident
    # Closed after an answer: still reopenable within 14 days, no more "close" button.
    assert REOPEN in html and CLOSE not in html


def test_resident_cannot_close_before_the_answer(client, make_appeal):
    appeal = make_appeal("assigned")
    lookup(client, appeal.code)
    response = client.post(CLOSE, {"code": appeal.code}, follow=True)
    assert "This appeal cannot be closed now." in content(response)
    appeal.refresh_from_db()
    assert appeal.status == A.ASSIGNED


def test_actions_need_the_looked_up_appeal(client, make_appeal):
    looked_up = make_appeal()
    other = make_appeal("answered", title="另一个")
    response = client.post(CLOSE, {"code": other.code}, follow=True)  # no lookup at all
    assert "Please look up your appeal again" in content(response)
    lookup(client, looked_up.code)
    client.post(REOPEN, {"code": other.code, "reason": "x"})
    client.post(CLOSE, {"code": other.code})
    other.refresh_from_db()
    assert other.status == A.ANSWERED


def test_public_actions_are_post_only(client):
    assert client.get(REOPEN).status_code == 405
    assert client.get(CLOSE).status_code == 405
    assert client.put(TRACK).status_code == 405


def test_tracking_page_escapes_what_residents_and_staff_typed(client, make_appeal, staff_a):
    appeal = make_appeal(title=XSS, resident_name="<b>王</b>")
    services.appeal_answer(appeal=appeal, by=staff_a, answer=XSS)
    lookup(client, appeal.code)
    html = content(client.get(TRACK))
    assert XSS not in html and "<b>王" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Staff pages: actions through the views -----------------------------------------------------------


def test_staff_assign_answer_and_close_through_the_views(client, make_appeal, staff_a, grid_worker_a):
    appeal = make_appeal()
    client.force_login(staff_a)
    url = appeal.get_absolute_url()
    page = content(client.get(url))
    for name in ("appeal_assign", "appeal_answer", "appeal_close", "appeal_to_topic"):
        assert reverse(f"grid:{name}", args=[appeal.pk]) in page

    response = client.post(reverse("grid:appeal_assign", args=[appeal.pk]), {"to_user": grid_worker_a.pk})
    assert response.status_code == 302 and response["Location"] == url
    assert ("success", "The appeal is assigned.") in flashed(response)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.assigned_to_user) == (A.ASSIGNED, grid_worker_a)

    response = client.post(reverse("grid:appeal_answer", args=[appeal.pk]), {"answer": "路灯已修好"})
    appeal.refresh_from_db()
    assert (appeal.status, appeal.answer) == (A.ANSWERED, "路灯已修好")
    assert appeal.events.last().actor == staff_a

    response = client.post(reverse("grid:appeal_close", args=[appeal.pk]), {"note": "回访满意"})
    assert ("success", "The appeal is closed.") in flashed(response)
    appeal.refresh_from_db()
    assert appeal.status == A.CLOSED


def test_assign_to_a_unit_and_refusals(client, make_appeal, staff_a, unit_a, unit_b, member_user_a):
    appeal = make_appeal()
    client.force_login(staff_a)
    url = reverse("grid:appeal_assign", args=[appeal.pk])
    response = client.post(url, {}, follow=True)
    assert errors(response) == ["Assign the appeal to one person or one unit."]
    choice_error = "Select a valid choice. That choice is not one of the available choices."
    response = client.post(url, {"to_unit": unit_b.pk}, follow=True)  # another community's unit: not a choice
    assert errors(response) == [choice_error]
    response = client.post(url, {"to_user": member_user_a.pk}, follow=True)  # a member is not a choice
    assert errors(response) == [choice_error]
    appeal.refresh_from_db()
    assert appeal.status == A.RECEIVED
    client.post(url, {"to_unit": unit_a.pk})
    appeal.refresh_from_db()
    assert (appeal.status, appeal.assigned_to_unit) == (A.ASSIGNED, unit_a)


def test_refused_steps_become_messages(client, make_appeal, staff_a):
    closed = make_appeal("closed")
    client.force_login(staff_a)
    response = client.post(reverse("grid:appeal_answer", args=[closed.pk]), {"answer": "再答"}, follow=True)
    assert response.redirect_chain == [(closed.get_absolute_url(), 302)]
    assert errors(response) == ["This appeal is not waiting for an answer."]
    response = client.post(reverse("grid:appeal_close", args=[closed.pk]), follow=True)
    assert errors(response) == ["This appeal cannot be closed now."]
    response = client.post(reverse("grid:appeal_answer", args=[make_appeal().pk]), {"answer": " "}, follow=True)
    assert errors(response) == ["Please write the answer; the resident will read it."]


def test_assigned_grid_worker_answers_even_outside_their_cells(client, make_appeal, staff_a, grid_worker_a, cell_a2):
    appeal = make_appeal(cell=cell_a2)
    client.force_login(grid_worker_a)
    assert client.get(appeal.get_absolute_url()).status_code == 404  # not theirs yet
    services.appeal_assign(appeal=appeal, by=staff_a, to_user=grid_worker_a)

    page = content(client.get(appeal.get_absolute_url()))
    assert reverse("grid:appeal_answer", args=[appeal.pk]) in page
    assert reverse("grid:appeal_assign", args=[appeal.pk]) not in page
    assert reverse("grid:appeal_close", args=[appeal.pk]) not in page
    assert appeal.title in content(client.get(LIST))

    response = client.post(reverse("grid:appeal_answer", args=[appeal.pk]), {"answer": "已上门处理"})
    assert ("success", "The answer is saved. The resident sees it with the tracking code.") in flashed(response)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.events.last().actor) == (A.ANSWERED, grid_worker_a)


def test_another_grid_worker_cannot_answer(client, make_appeal, staff_a, grid_worker_a, community_a, cell_a):
    other_worker = make_user("grid_a2", User.Role.GRID_WORKER, community_a)
    cell_a.workers.add(other_worker)
    appeal = make_appeal("assigned")
    services.appeal_assign(appeal=appeal, by=staff_a, to_user=grid_worker_a)
    client.force_login(other_worker)
    page = content(client.get(appeal.get_absolute_url()))
    assert reverse("grid:appeal_answer", args=[appeal.pk]) not in page  # read-only for them

    response = client.post(reverse("grid:appeal_answer", args=[appeal.pk]), {"answer": "我来答"})

    assert response.status_code == 302
    assert errors(response) == ["Only community staff can do this."]
    appeal.refresh_from_db()
    assert appeal.status == A.ASSIGNED and appeal.answer == ""


def test_send_to_the_deliberation_hall(client, make_appeal, staff_a):
    appeal = make_appeal(title="小区停车难")
    client.force_login(staff_a)
    response = client.post(reverse("grid:appeal_to_topic", args=[appeal.pk]))
    appeal.refresh_from_db()
    assert appeal.topic is not None and appeal.topic.title == "小区停车难"
    try:
        expected = reverse("council:topic_detail", args=[appeal.topic_id])
    except NoReverseMatch:
        expected = appeal.get_absolute_url()
    assert response.status_code == 302 and response["Location"] == expected
    # Once only.
    response = client.post(reverse("grid:appeal_to_topic", args=[appeal.pk]))
    assert errors(response) == ["This appeal was already sent to the deliberation hall."]
    assert type(appeal.topic).objects.count() == 1
    assert reverse("grid:appeal_to_topic", args=[appeal.pk]) not in content(client.get(appeal.get_absolute_url()))


@pytest.mark.parametrize("actor", ["staff_a", "grid_worker_a"])
def test_record_an_appeal_for_a_resident(request, client, cell_a, actor):
    user = request.getfixturevalue(actor)
    client.force_login(user)
    data = {
        "resident_name": "李桂兰", "resident_phone": "137-0000-2222", "grid_cell": cell_a.pk, "category": "safety",
        "title": "楼道堆放杂物", "resident_agreed": "on", "photo": jpeg_upload(),
    }
    response = client.post(RECORD, data)
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == appeal.get_absolute_url()
    assert (appeal.entered_by, appeal.source, appeal.resident_phone, appeal.community) == (
        user, Appeal.Source.STAFF, "13700002222", cell_a.community,
    )
    assert appeal.photo.name.startswith("private/appeals/")
    assert appeal.code_display in content(client.get(response["Location"]))


def test_record_needs_the_residents_agreement_and_our_cells(client, staff_a, grid_worker_a, cell_a, cell_a2, cell_b):
    client.force_login(staff_a)
    base = {"resident_name": "李", "resident_phone": "13700002222", "category": "other", "title": "x"}
    response = client.post(RECORD, {**base, "grid_cell": cell_a.pk})
    assert "resident_agreed" in response.context["form"].errors
    response = client.post(RECORD, {**base, "grid_cell": cell_b.pk, "resident_agreed": "on"})
    assert "grid_cell" in response.context["form"].errors
    client.force_login(grid_worker_a)
    response = client.post(RECORD, {**base, "grid_cell": cell_a2.pk, "resident_agreed": "on"})
    assert "grid_cell" in response.context["form"].errors
    assert not Appeal.objects.exists()


def test_area_admin_records_for_the_cells_community(client, area_admin, cell_b):
    client.force_login(area_admin)
    client.post(RECORD, {"resident_name": "李", "resident_phone": "13700002222", "category": "other", "title": "x",
                         "grid_cell": cell_b.pk, "resident_agreed": "on"})
    assert Appeal.objects.get().community == cell_b.community


def test_area_admin_records_after_choosing_the_community(client, area_admin, cell_a, cell_b):
    client.force_login(area_admin)
    response = client.get(RECORD)
    assert response.context["form"].needs_community
    assert 'name="resident_phone"' not in content(response)
    response = client.get(RECORD, {"community": cell_b.community_id})
    assert set(response.context["form"].fields["grid_cell"].queryset) == {cell_b}
    assert 'name="resident_phone"' in content(response)
    assert client.get(RECORD, {"community": "0"}).status_code == 404
    response = client.post(
        f"{RECORD}?community={cell_b.community_id}",
        {"resident_name": "李", "resident_phone": "13700002222", "category": "other", "title": "x",
         "grid_cell": "", "resident_agreed": "on"},
    )
    assert "grid_cell" in response.context["form"].errors  # refused, input kept, the community's cells offered
    assert 'value="13700002222"' in content(response)
    assert set(response.context["form"].fields["grid_cell"].queryset) == {cell_b}
    assert not Appeal.objects.exists()


def test_detail_shows_the_whole_record(client, make_appeal, staff_a, building_a):
    appeal = make_appeal("assigned", building=building_a)
    staff_a.full_name = "刘主任"
    staff_a.save()
    appeal.photo.save("x.jpg", ContentFile(jpeg()), save=True)
    client.force_login(staff_a)
    html = content(client.get(appeal.get_absolute_url()))
    assert f'href="tel:{PHONE}"' in html
    for text in ("王秀英", "3单元502室", building_a.name, appeal.code_display, "刘主任"):
        assert text in html
    assert f'<img src="{reverse("grid:appeal_photo", args=[appeal.pk])}"' in html
    assert django_settings.MEDIA_URL not in html


# The list ----------------------------------------------------------------------------------------------


def _titles(response):
    return {appeal.title for appeal in response.context["appeals"]}


def test_list_tabs_filters_and_masked_phone(client, make_appeal, staff_a, community_a, cell_a2):
    late = make_appeal(title="逾期的")
    make_appeal("answered", title="已答复的", cell=cell_a2)
    make_appeal("reopened", title="重新打开的")
    Appeal.objects.filter(pk=late.pk).update(
        waiting_since=timezone.now() - datetime.timedelta(days=community_a.appeal_answer_days + 1)
    )
    client.force_login(staff_a)
    response = client.get(LIST)
    html = content(response)
    assert "Waiting (2)" in html and "Overdue (1)" in html
    assert "137****1111" in html and PHONE not in html
    assert _titles(client.get(LIST, {"status": "waiting"})) == {"逾期的", "重新打开的"}
    assert _titles(client.get(LIST, {"overdue": "yes"})) == {"逾期的"}
    assert _titles(client.get(LIST, {"status": "answered"})) == {"已答复的"}
    assert _titles(client.get(LIST, {"grid_cell": cell_a2.pk})) == {"已答复的"}
    assert _titles(client.get(LIST, {"source": "staff"})) == set()
    flagged = {a.title: a.is_overdue for a in response.context["appeals"]}
    assert flagged["逾期的"] is True and flagged["重新打开的"] is False


def test_list_search_by_code_phone_and_name(client, make_appeal, staff_a):
    wanted = make_appeal(title="找得到", resident_phone="13911112222", resident_name="赵大爷")
    make_appeal(title="找不到")
    client.force_login(staff_a)
    for q in ("1111222", wanted.code_display.lower(), wanted.code.lower(), "赵大爷", "找得"):
        assert _titles(client.get(LIST, {"q": q})) == {"找得到"}, q


def test_list_filters_by_received_date(client, make_appeal, staff_a):
    old = make_appeal(title="上个月")
    Appeal.objects.filter(pk=old.pk).update(received_at=timezone.now() - datetime.timedelta(days=40))
    make_appeal(title="本周")
    client.force_login(staff_a)
    today = timezone.localdate()
    assert _titles(client.get(LIST, {"received_from": (today - datetime.timedelta(days=7)).isoformat()})) == {"本周"}
    assert _titles(client.get(LIST, {"received_to": (today - datetime.timedelta(days=30)).isoformat()})) == {"上个月"}


def test_grid_worker_list_shows_their_cells_and_what_they_recorded(client, make_appeal, grid_worker_a, cell_a2):
    make_appeal(title="东区的")
    make_appeal(title="西区的", cell=cell_a2)
    make_appeal(title="西区代录的", cell=cell_a2, entered_by=grid_worker_a)
    client.force_login(grid_worker_a)
    assert _titles(client.get(LIST)) == {"东区的", "西区代录的"}


def test_other_community_list_does_not_show_our_appeals(client, make_appeal, staff_b):
    make_appeal(title="沙河的诉求")
    client.force_login(staff_b)
    assert "沙河的诉求" not in content(client.get(LIST))


@pytest.mark.parametrize("actor", ["staff_a", "area_admin", "grid_worker_a"])
def test_list_query_count_is_constant(request, client, django_assert_max_num_queries, community_a, cell_a, cell_a2,
                                      building_a, staff_a, grid_worker_a, unit_a, actor):
    now = timezone.now()
    statuses = [A.RECEIVED, A.ASSIGNED, A.ANSWERED, A.REOPENED, A.CLOSED]
    Appeal.objects.bulk_create(
        Appeal(
            community=community_a, code=f"TEST{i:06d}", grid_cell=[cell_a, cell_a2][i % 2], building=building_a if i % 3 else None,
            status=statuses[i % 5], category=Appeal.Category.OTHER, title=f"诉求 {i}", resident_name="王秀英",
            resident_phone=PHONE, entered_by=grid_worker_a if i % 7 == 0 else None,
            assigned_to_user=staff_a if i % 4 == 1 else None, assigned_to_unit=unit_a if i % 4 == 2 else None,
            answered_at=now if statuses[i % 5] in (A.ANSWERED, A.CLOSED) else None,
            closed_at=now if statuses[i % 5] == A.CLOSED else None,
            waiting_since=now - datetime.timedelta(days=i % 20),
        )
        for i in range(300)
    )
    client.force_login(request.getfixturevalue(actor))
    for query in ({}, {"q": "诉求", "page": "2"}, {"overdue": "yes", "grid_cell": cell_a.pk}):
        with django_assert_max_num_queries(12):
            response = client.get(LIST, query)
        assert response.status_code == 200
    assert len(client.get(LIST).context["appeals"]) == django_settings.PAGE_SIZE


# The permission matrix ---------------------------------------------------------------------------------


@pytest.fixture
def appeal_a(make_appeal):
    appeal = make_appeal()
    appeal.photo.save("x.jpg", ContentFile(jpeg()), save=True)
    return appeal


@pytest.fixture
def appeal_a2(make_appeal, cell_a2):
    appeal = make_appeal(cell=cell_a2, title="西区的")
    appeal.photo.save("x.jpg", ContentFile(jpeg()), save=True)
    return appeal


# url name, needs an appeal, roles that may GET it
GET_VIEWS = [
    ("grid:appeal_list", False, GRID),
    ("grid:appeal_record", False, GRID),
    ("grid:appeal_detail", True, GRID),
    ("grid:appeal_photo", True, GRID),
]
# url name, roles the view is open to
POST_VIEWS = [
    ("grid:appeal_assign", OFFICE),
    ("grid:appeal_answer", GRID),  # grid workers: only the assignee (the service checks)
    ("grid:appeal_close", OFFICE),
    ("grid:appeal_to_topic", OFFICE),
]


def _url(name, appeal=None):
    return reverse(name, args=[appeal.pk]) if appeal else reverse(name)


@pytest.mark.parametrize("name,needs,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
def test_anonymous_is_sent_to_login(client, appeal_a, name, needs, allowed):
    response = client.get(_url(name, appeal_a if needs else None))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize("name,needs,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
@pytest.mark.parametrize("actor", ACTORS)
def test_role_matrix(client, everyone, appeal_a, name, needs, allowed, actor):
    client.force_login(everyone[actor])
    response = client.get(_url(name, appeal_a if needs else None))
    assert response.status_code == (200 if actor in allowed else 403), f"{actor} on {name}"


@pytest.mark.parametrize("name", [v[0] for v in GET_VIEWS if v[1]] + [v[0] for v in POST_VIEWS])
def test_other_community_staff_get_404(client, everyone, appeal_a, name):
    client.force_login(everyone["staff_b"])
    method = client.get if name in {v[0] for v in GET_VIEWS} else client.post
    assert method(_url(name, appeal_a), {"answer": "x", "to_user": everyone["staff_b"].pk}).status_code == 404
    appeal_a.refresh_from_db()
    assert appeal_a.status == A.RECEIVED and appeal_a.topic_id is None


@pytest.mark.parametrize("name", ["grid:appeal_detail", "grid:appeal_photo", "grid:appeal_answer"])
def test_grid_worker_gets_404_outside_their_cells(client, grid_worker_a, appeal_a2, name):
    client.force_login(grid_worker_a)
    method = client.post if name == "grid:appeal_answer" else client.get
    assert method(_url(name, appeal_a2), {"answer": "x"}).status_code == 404


@pytest.mark.parametrize("name,allowed", POST_VIEWS, ids=[v[0] for v in POST_VIEWS])
def test_post_only_views(client, everyone, appeal_a, name, allowed):
    url = _url(name, appeal_a)
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))
    client.force_login(everyone["staff_a"])
    assert client.get(url).status_code == 405
    for actor in ACTORS:
        if actor not in allowed:
            client.force_login(everyone[actor])
            assert client.post(url, {"answer": "x", "to_user": everyone["staff_a"].pk}).status_code == 403, actor
    appeal_a.refresh_from_db()
    assert appeal_a.status == A.RECEIVED and appeal_a.topic_id is None


def test_grid_worker_may_not_assign_close_or_send(client, grid_worker_a, appeal_a):
    """Grid workers read their cells' appeals; the office acts on them."""
    client.force_login(grid_worker_a)
    for name in ("grid:appeal_assign", "grid:appeal_close", "grid:appeal_to_topic"):
        assert client.post(_url(name, appeal_a), {"to_user": grid_worker_a.pk}).status_code == 403
    page = content(client.get(appeal_a.get_absolute_url()))
    for name in ("grid:appeal_assign", "grid:appeal_answer", "grid:appeal_close", "grid:appeal_to_topic"):
        assert _url(name, appeal_a) not in page


def test_photo_is_served_privately(client, staff_a, appeal_a, make_appeal):
    client.force_login(staff_a)
    response = client.get(_url("grid:appeal_photo", appeal_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg" and response["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (40, 30)
    assert client.get(_url("grid:appeal_photo", make_appeal())).status_code == 404  # no photo
    assert client.post(_url("grid:appeal_photo", appeal_a)).status_code == 405


def test_public_pages_need_no_login(client, community_a, make_appeal):
    assert client.get(NEW).status_code == 200
    assert client.get(TRACK).status_code == 200


def test_appeal_events_are_recorded_for_every_step(make_appeal):
    appeal = make_appeal("reopened")
    steps = list(AppealEvent.objects.filter(appeal=appeal).values_list("from_status", "to_status"))
    assert steps == [("", A.RECEIVED), (A.RECEIVED, A.ANSWERED), (A.ANSWERED, A.REOPENED)]


def test_pages_render_in_the_default_language(client, make_appeal, staff_a, community_a, appeal_data):
    """The community's portal speaks Chinese by default: every page renders without the English cookie."""
    del client.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    appeal = make_appeal("answered")
    for url in (NEW, TRACK):
        response = client.get(url)
        assert response.status_code == 200 and 'lang="zh-hans"' in content(response)
    lookup(client, appeal.code)
    assert appeal.title in content(client.get(TRACK))
    client.post(new_url(community_a), appeal_data)
    assert client.get(DONE).status_code == 200
    client.force_login(staff_a)
    for url in (LIST, RECORD, appeal.get_absolute_url()):
        assert client.get(url).status_code == 200


def test_service_guards_assignment_topic_and_reopen_count(community_a, cell_a2, staff_a, member_user_a, grid_worker_a):
    """The services, not only the views, refuse a member as assignee and a second hall topic."""
    from grid.models import Appeal
    from grid.services_work import (
        AppealError,
        appeal_assign,
        appeal_submit,
        appeal_to_topic,
    )

    appeal = appeal_submit(appeal=Appeal(
        community=community_a, grid_cell=cell_a2, category="property", title="停车难",
        resident_name="王大妈", resident_phone="13700002222",
    ))
    with pytest.raises(AppealError):
        appeal_assign(appeal=appeal, by=staff_a, to_user=member_user_a)
    assert not Appeal.objects.for_user(grid_worker_a).filter(pk=appeal.pk).exists()  # not their cell
    appeal = appeal_assign(appeal=appeal, by=staff_a, to_user=grid_worker_a)
    assert Appeal.objects.for_user(grid_worker_a).filter(pk=appeal.pk).exists()
    appeal_to_topic(appeal=appeal, by=staff_a)
    with pytest.raises(AppealError):
        appeal_to_topic(appeal=appeal, by=staff_a)
    from council.models import Topic

    assert Topic.objects.count() == 1
