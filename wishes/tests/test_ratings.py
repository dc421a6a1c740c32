"""接诉即办 on micro-wishes: the review deadline, the response, the resident's rating
(tracking page and call back) and asking again after 7 days."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from notices.models import Notification
from wishes import services
from wishes.models import MicroWish
from wishes.reminders import ask_for_ratings

S = MicroWish.Status
DAY = datetime.timedelta(days=1)
TRACK = reverse("wishes:track")
RATE = reverse("wishes:track_rate")


@pytest.fixture(autouse=True)
def _clean_budgets():
    cache.clear()  # the tracking page's look-up budgets live in the cache
    yield
    cache.clear()


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def look_up(client, wish):
    client.post(TRACK, {"code": wish.code, "phone_last4": wish.wisher_phone[-4:]})


def test_review_deadline_and_response(make_wish, staff_a, community_a):
    community_a.wish_review_days = 2
    community_a.save()
    wish = make_wish()
    assert wish.respond_by == wish.submitted_at + 2 * DAY and wish.responded_at is None
    wish = services.wish_approve(wish=wish, by=staff_a)
    assert wish.responded_at is not None and wish.responded_in_time is True
    rejected = make_wish("rejected", staff=staff_a)
    assert rejected.responded_at == rejected.events.last().created_at


def test_the_holders_steps_do_not_move_the_response(make_wish, staff_a, member_user_a):
    wish = make_wish("open", staff=staff_a)
    responded = wish.responded_at
    wish = services.wish_claim(wish=wish, by=member_user_a)
    assert wish.responded_at == responded


def test_the_resident_rates_a_fulfilled_wish_once(client, make_wish, staff_a, member_user_a):
    wish = make_wish("delivered", staff=staff_a, claimer=member_user_a)
    look_up(client, wish)
    assert RATE not in client.get(TRACK).content.decode()  # to confirm first
    wish = services.wish_confirm(wish=wish)
    html = client.get(TRACK).content.decode()
    assert RATE in html and "How satisfied are you with the result?" in html
    response = client.post(RATE, {"code": wish.code, "rating": "satisfied", "comment": "书包很好看"}, follow=True)
    assert "Thank you for your rating." in flashed(response)
    wish.refresh_from_db()
    assert (wish.rating, wish.rating_comment, wish.rated_by) == ("satisfied", "书包很好看", None)
    assert RATE not in response.content.decode() and "Your rating:" in response.content.decode()
    response = client.post(RATE, {"code": wish.code, "rating": "dissatisfied"}, follow=True)
    assert "This request has been rated already, or cannot be rated now." in flashed(response)
    wish.refresh_from_db()
    assert wish.rating == "satisfied"


def test_bad_ratings_are_refused(client, make_wish, staff_a, member_user_a):
    open_wish = make_wish("open", staff=staff_a)
    look_up(client, open_wish)
    response = client.post(RATE, {"code": open_wish.code, "rating": "satisfied"}, follow=True)
    assert "This request has been rated already, or cannot be rated now." in flashed(response)
    wish = make_wish("fulfilled", staff=staff_a, claimer=member_user_a, wisher_phone="13700002222")
    look_up(client, wish)
    response = client.post(RATE, {"code": wish.code, "rating": ""})
    assert response.status_code == 200 and "Please choose one of the answers." in response.content.decode()
    for record in (open_wish, wish):
        record.refresh_from_db()
        assert record.rating == ""


def test_staff_record_a_call_back_rating(client, make_wish, staff_a, staff_b, member_user_a):
    wish = make_wish("fulfilled", staff=staff_a, claimer=member_user_a)
    url = reverse("wishes:rate", args=[wish.pk])
    client.force_login(member_user_a)
    assert client.post(url, {"rating": "satisfied"}).status_code == 403
    client.force_login(staff_b)
    assert client.post(url, {"rating": "satisfied"}).status_code == 404
    client.force_login(staff_a)
    assert url in client.get(wish.get_absolute_url()).content.decode()
    response = client.post(url, {"rating": "basically", "comment": "电话回访"}, follow=True)
    assert "The resident's rating is saved." in flashed(response)
    wish.refresh_from_db()
    assert (wish.rating, wish.rated_by) == ("basically", staff_a)
    assert "on a call back" in response.content.decode()


def test_rating_list_filter(client, make_wish, staff_a, member_user_a):
    rated = make_wish("fulfilled", staff=staff_a, claimer=member_user_a, title="买书包")
    services.wish_rate(wish=rated, rating="dissatisfied")
    make_wish("fulfilled", staff=staff_a, claimer=member_user_a, title="修水管")
    make_wish("open", staff=staff_a, title="陪老人聊天")
    client.force_login(staff_a)
    page = client.get(reverse("wishes:list") + "?rating=none").content.decode()
    assert "修水管" in page and "买书包" not in page and "陪老人聊天" not in page  # fulfilled, not rated
    page = client.get(reverse("wishes:list") + "?rating=dissatisfied").content.decode()
    assert "买书包" in page and "修水管" not in page


def test_asked_again_once_after_seven_days(make_wish, staff_a, member_user_a):
    due = make_wish("fulfilled", staff=staff_a, claimer=member_user_a, sms_consent=True)
    quiet = make_wish("fulfilled", staff=staff_a, claimer=member_user_a, wisher_phone="13700002222")
    fulfilled_at = due.fulfilled_at
    assert ask_for_ratings(now=fulfilled_at + 6 * DAY) == 0
    now = fulfilled_at + 7 * DAY
    assert ask_for_ratings(now=now) == 1
    message = Notification.objects.get(template="wish_rating")
    assert message.to == due.wisher_phone and due.code in message.link
    due.refresh_from_db()
    quiet.refresh_from_db()
    assert due.rating_asked_at == now and quiet.rating_asked_at is None
    assert ask_for_ratings(now=now + DAY) == 0
    assert timezone.is_aware(due.rating_asked_at)
