"""接诉即办 on appeals: response deadlines, the contact step, urgency, the residents'
ratings (tracking page and call back) and asking again after 7 days."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from grid import services_work as services
from grid.models import Appeal
from grid.reminders import ask_for_ratings
from notices.models import Notification
from portal.models import User

A = Appeal.Status
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
PHONE = "13700001111"
TRACK = reverse("grid:appeal_track")
RATE = reverse("grid:appeal_track_rate")


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Messages in English, in requests (the language cookie) and in services called outside one."""
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()  # the tracking page's look-up budgets live in the cache
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def new_appeal(community_a, cell_a):
    def _make(*, now=None, **fields):
        data = {
            "community": community_a, "grid_cell": cell_a, "category": Appeal.Category.FACILITIES, "title": "2号门路灯坏了",
            "resident_name": "王秀英", "resident_phone": PHONE,
        }
        data.update(fields)
        return services.appeal_submit(appeal=Appeal(**data), now=now)

    return _make


def answered(appeal, staff, now=None):
    return services.appeal_answer(appeal=appeal, by=staff, answer="已联系物业，明天修好。", now=now)


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Deadlines and responses ----------------------------------------------------------------


def test_deadline_is_set_at_receipt_from_the_communitys_limits(new_appeal, community_a):
    now = timezone.now()
    assert new_appeal(now=now).respond_by == now + 24 * HOUR
    assert new_appeal(now=now, urgency=Appeal.Urgency.URGENT).respond_by == now + 2 * HOUR
    community_a.respond_hours, community_a.urgent_respond_hours = 12, 1
    community_a.save()
    appeal = new_appeal(now=now, urgency=Appeal.Urgency.URGENT)
    assert appeal.respond_by == now + HOUR
    # A later change of the limits does not move the deadline of an appeal received before.
    community_a.urgent_respond_hours = 5
    community_a.save()
    appeal.refresh_from_db()
    assert appeal.respond_by == now + HOUR


def test_the_first_staff_step_is_the_response_and_stays(new_appeal, staff_a):
    appeal = new_appeal()
    assert appeal.responded_at is None and appeal.responded_in_time is None
    appeal = services.appeal_assign(appeal=appeal, by=staff_a, to_user=staff_a)
    first = appeal.responded_at
    assert first is not None and appeal.responded_in_time is True
    appeal = answered(appeal, staff_a)
    assert appeal.responded_at == first  # a later step is no new response


def test_a_late_response_is_not_in_time(new_appeal, staff_a):
    appeal = new_appeal(now=timezone.now() - 2 * DAY)
    assert appeal.responded_in_time is False  # the deadline passed without a response
    appeal = answered(appeal, staff_a)
    assert appeal.responded_at > appeal.respond_by and appeal.responded_in_time is False


def test_the_residents_own_steps_are_no_response(new_appeal, staff_a):
    appeal = answered(new_appeal(), staff_a)
    responded = appeal.responded_at
    appeal = services.appeal_reopen(appeal=appeal, reason="灯还是不亮")
    assert appeal.responded_at == responded


def test_contact_is_a_response_without_changing_the_status(new_appeal, staff_a, grid_worker_a):
    appeal = services.appeal_assign(appeal=new_appeal(), by=staff_a, to_user=grid_worker_a)
    Appeal.objects.filter(pk=appeal.pk).update(responded_at=None)  # as if assigned before responses were kept
    appeal.refresh_from_db()
    appeal = services.appeal_contact(appeal=appeal, by=grid_worker_a, note="已电话联系，周四上门维修。")
    assert appeal.status == A.ASSIGNED and appeal.responded_at is not None
    step = appeal.events.last()
    assert step.is_contact and (step.from_status, step.to_status) == (A.ASSIGNED, A.ASSIGNED) and step.actor == grid_worker_a


def test_contact_refusals(new_appeal, staff_a, community_a):
    appeal = new_appeal()
    with pytest.raises(services.AppealError, match="what you told the resident"):
        services.appeal_contact(appeal=appeal, by=staff_a, note="  ")
    other_worker = make_user("grid_other", User.Role.GRID_WORKER, community_a)
    with pytest.raises(services.AppealError, match="Only community staff"):
        services.appeal_contact(appeal=appeal, by=other_worker, note="打过电话")
    appeal = services.appeal_close(appeal=answered(appeal, staff_a), by=staff_a)
    with pytest.raises(services.AppealError, match="not waiting"):
        services.appeal_contact(appeal=appeal, by=staff_a, note="打过电话")
    assert not appeal.events.filter(is_contact=True).exists()


def test_contact_from_the_page_and_shown_to_the_resident_without_the_note(client, settings, new_appeal, staff_a):
    appeal = new_appeal()
    client.force_login(staff_a)
    page = client.get(appeal.get_absolute_url()).content.decode()
    assert reverse("grid:appeal_contact", args=[appeal.pk]) in page
    response = client.post(reverse("grid:appeal_contact", args=[appeal.pk]), {"note": "已电话联系，周四上门。"}, follow=True)
    assert "The contact with the resident is recorded." in flashed(response)
    assert "Contacted the resident" in response.content.decode()
    # An empty note: an error, nothing recorded.
    response = client.post(reverse("grid:appeal_contact", args=[appeal.pk]), {"note": ""}, follow=True)
    assert appeal.events.filter(is_contact=True).count() == 1 and flashed(response)
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # logging out forgot the cookies
    client.post(TRACK, {"code": appeal.code, "phone_last4": "1111"})
    html = client.get(TRACK).content.decode()
    assert "The community got in touch with you about it" in html and "周四上门" not in html


def test_urgency_changes_the_deadline_from_receipt(client, new_appeal, staff_a):
    now = timezone.now() - HOUR
    appeal = new_appeal(now=now)
    client.force_login(staff_a)
    response = client.post(reverse("grid:appeal_urgency", args=[appeal.pk]), {"urgency": "urgent"}, follow=True)
    assert "The urgency is changed." in flashed(response)
    appeal.refresh_from_db()
    assert appeal.urgency == "urgent" and appeal.respond_by == now + 2 * HOUR
    response = client.post(reverse("grid:appeal_urgency", args=[appeal.pk]), {"urgency": "very"}, follow=True)
    appeal.refresh_from_db()
    assert appeal.urgency == "urgent" and flashed(response)


def test_a_complex_appeal_is_overdue_after_the_longer_limit(new_appeal, community_a):
    eight_days_ago = timezone.now() - 8 * DAY
    ordinary = new_appeal(now=eight_days_ago)
    complex_ = new_appeal(now=eight_days_ago, urgency=Appeal.Urgency.COMPLEX)
    assert set(Appeal.objects.overdue()) == {ordinary}
    assert set(Appeal.objects.overdue(now=timezone.now() + 8 * DAY)) == {ordinary, complex_}  # 16 days: past 15


def test_staff_record_the_urgency_when_recording_an_appeal(client, staff_a, cell_a):
    client.force_login(staff_a)
    data = {
        "resident_name": "李大爷", "resident_phone": "13700002222", "grid_cell": cell_a.pk, "category": "facilities",
        "title": "楼道灯不亮", "resident_agreed": "on", "urgency": "urgent",
    }
    assert client.post(reverse("grid:appeal_record"), data).status_code == 302
    appeal = Appeal.objects.get(title="楼道灯不亮")
    assert appeal.urgency == "urgent" and appeal.respond_by == appeal.received_at + 2 * HOUR


# Ratings --------------------------------------------------------------------------------


def look_up(client, appeal):
    client.post(TRACK, {"code": appeal.code, "phone_last4": "1111"})


def test_satisfied_rating_closes_the_answered_appeal(client, new_appeal, staff_a):
    appeal = answered(new_appeal(), staff_a)
    look_up(client, appeal)
    assert RATE in client.get(TRACK).content.decode()
    response = client.post(RATE, {"code": appeal.code, "rating": "satisfied", "comment": "修得很快"}, follow=True)
    assert "Thank you for your rating." in flashed(response)
    appeal.refresh_from_db()
    assert (appeal.rating, appeal.rating_comment, appeal.status, appeal.rated_by) == ("satisfied", "修得很快", A.CLOSED, None)
    assert appeal.rated_at is not None
    html = response.content.decode()
    assert "Your rating:" in html and RATE not in html


def test_dissatisfied_rating_keeps_the_appeal_open_to_reopen(client, new_appeal, staff_a):
    appeal = answered(new_appeal(), staff_a)
    look_up(client, appeal)
    response = client.post(RATE, {"code": appeal.code, "rating": "dissatisfied", "comment": "还是不亮"}, follow=True)
    appeal.refresh_from_db()
    assert (appeal.rating, appeal.status) == ("dissatisfied", A.ANSWERED)
    html = response.content.decode()
    assert reverse("grid:appeal_track_reopen") in html and reverse("grid:appeal_track_close") in html


def test_a_rating_is_given_once(client, new_appeal, staff_a):
    appeal = answered(new_appeal(), staff_a)
    look_up(client, appeal)
    client.post(RATE, {"code": appeal.code, "rating": "dissatisfied"})
    response = client.post(RATE, {"code": appeal.code, "rating": "satisfied"}, follow=True)
    assert "This request has been rated already, or cannot be rated now." in flashed(response)
    appeal.refresh_from_db()
    assert appeal.rating == "dissatisfied"
    with pytest.raises(services.AppealError):
        services.appeal_rate(appeal=appeal, by=staff_a, rating="satisfied")


def test_bad_ratings_are_refused_and_nothing_saved(client, new_appeal, staff_a):
    waiting = new_appeal()
    look_up(client, waiting)
    assert RATE not in client.get(TRACK).content.decode()  # nothing to rate before an answer
    response = client.post(RATE, {"code": waiting.code, "rating": "satisfied"}, follow=True)
    assert "This request has been rated already, or cannot be rated now." in flashed(response)
    appeal = answered(new_appeal(), staff_a)
    look_up(client, appeal)
    response = client.post(RATE, {"code": appeal.code, "rating": "great"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = client.post(RATE, {"code": appeal.code, "comment": "x" * 301})
    html = response.content.decode()
    assert "Please choose one of the answers." in html and "at most 300" in html
    response = client.post(RATE, {"code": "WRONGCODE12", "rating": "satisfied"}, follow=True)
    assert "Please look up your appeal again" in " ".join(flashed(response))
    for record in (waiting, appeal):
        record.refresh_from_db()
        assert record.rating == "" and record.rated_at is None


def test_staff_record_a_call_back_rating(client, new_appeal, staff_a):
    appeal = answered(new_appeal(), staff_a)
    client.force_login(staff_a)
    url = reverse("grid:appeal_rate", args=[appeal.pk])
    assert url in client.get(appeal.get_absolute_url()).content.decode()
    response = client.post(url, {"rating": "basically", "comment": "电话回访"}, follow=True)
    assert "The resident's rating is saved." in flashed(response)
    appeal.refresh_from_db()
    # A call back records what the resident said; it does not close the appeal for them.
    assert (appeal.rating, appeal.rated_by, appeal.status) == ("basically", staff_a, A.ANSWERED)
    html = response.content.decode()
    assert url not in html and "on a call back" in html
    response = client.post(url, {"rating": "satisfied"}, follow=True)
    appeal.refresh_from_db()
    assert appeal.rating == "basically" and flashed(response)


def test_rating_page_access(client, new_appeal, staff_a, staff_b, member_user_a):
    appeal = answered(new_appeal(), staff_a)
    url = reverse("grid:appeal_rate", args=[appeal.pk])
    assert client.post(url, {"rating": "satisfied"}).status_code == 302  # anonymous: to the login page
    client.force_login(staff_b)
    assert client.post(url, {"rating": "satisfied"}).status_code == 404
    client.force_login(member_user_a)
    assert client.post(url, {"rating": "satisfied"}).status_code == 403
    appeal.refresh_from_db()
    assert appeal.rating == ""


def test_removing_personal_data_ends_rating_and_scrubs_the_comment(new_appeal, staff_a):
    appeal = answered(new_appeal(), staff_a)
    services.appeal_rate(appeal=appeal, by=staff_a, rating="dissatisfied", comment="请打13700001111找我")
    services.appeal_anonymise(services.appeal_close(appeal=appeal, by=staff_a))
    appeal.refresh_from_db()
    assert appeal.rating == "dissatisfied" and "13700001111" not in appeal.rating_comment
    other = services.appeal_close(appeal=answered(new_appeal(), staff_a), by=staff_a)
    services.appeal_anonymise(other)
    other.refresh_from_db()
    assert not other.is_rateable


# Asking again ---------------------------------------------------------------------------


def test_asked_again_once_after_seven_days_with_consent_only(new_appeal, staff_a):
    now = timezone.now()
    answered_at = now - 8 * DAY
    due = answered(new_appeal(sms_consent=True, now=answered_at - DAY), staff_a, now=answered_at)
    answered(new_appeal(sms_consent=False, now=answered_at - DAY), staff_a, now=answered_at)  # no messages wanted
    answered(new_appeal(sms_consent=True, now=now - 2 * DAY), staff_a, now=now - DAY)  # answered a day ago
    rated = answered(new_appeal(sms_consent=True, now=answered_at - DAY), staff_a, now=answered_at)
    services.appeal_rate(appeal=rated, by=staff_a, rating="satisfied")
    new_appeal(sms_consent=True, now=answered_at)  # no answer yet
    before = Notification.objects.filter(template="appeal_rating").count()

    assert ask_for_ratings(now=now) == 1
    message = Notification.objects.get(template="appeal_rating")
    assert message.to == PHONE and due.code in message.text and before == 0
    due.refresh_from_db()
    assert due.rating_asked_at == now
    assert ask_for_ratings(now=now + DAY) == 0  # once
