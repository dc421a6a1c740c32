"""The notification worker (notices.services.send_due) against real local servers: an
HTTP gateway that fails its first answers (retries lose nothing), an SMTP server
(aiosmtpd), and two workers at once on PostgreSQL (nothing sent twice)."""

import datetime
import email
import email.header
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from notices import services
from notices.models import Notification, OptOut
from portal.models import User

TZ = timezone.get_fixed_timezone(8 * 60)
NOON = datetime.datetime(2031, 5, 10, 12, 0, tzinfo=TZ)
PHONE = "13700001111"


class Gateway:
    """A local SMS gateway: answers `fail` times with `status`, then 200; records every request."""

    def __init__(self, fail=0, status=503):
        self.fail, self.status, self.received = fail, status, []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.received.append(body)
                code = gateway.status if len(gateway.received) <= gateway.fail else 200
                answer = json.dumps({"ref": f"gw-{body['id']}"}).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    made = []

    def _make(fail=0, status=503):
        made.append(Gateway(fail, status))
        settings.SMS_BACKEND, settings.SMS_WEBHOOK_URL = "webhook", made[-1].url
        return made[-1]

    yield _make
    for gateway in made:
        gateway.close()


def sms(key="wish:1:claimed", to=PHONE, urgent=False, community_id=None, **extra):
    return services.notify(
        event="wish.claimed", key=key, channel="sms", to=to, template="wish_claimed", text="您的微心愿已被认领。",
        params={"title": "书包"}, urgent=urgent, community_id=community_id, **extra,
    )


def row(notification):
    return Notification.objects.get(pk=notification.pk)


def test_notify_once_per_event_recipient_and_channel(db):
    first = sms()
    assert sms() is None  # the same event told again: nothing more
    assert sms(to="13700002222") is not None and sms(key="wish:1:delivered") is not None
    assert Notification.objects.count() == 3 and row(first).status == "queued"


def test_the_webhook_gets_the_message_as_json(db, gateway):
    server = gateway()
    note = sms()
    assert services.send_due(now=NOON) == {"sent": 1, "retry": 0, "failed": 0, "held": 0, "skipped": 0}
    (body,) = server.received
    assert body["id"] == str(note.pk) and body["phone"] == PHONE and body["template"] == "wish_claimed"
    assert body["params"] == {"title": "书包"} and body["text"].startswith("您的微心愿已被认领。")
    assert "退订：http" in body["text"] and "/notices/stop/" in body["text"]  # every SMS says how to stop them
    sent = row(note)
    assert (sent.status, sent.attempts, sent.provider_ref) == ("sent", 1, f"gw-{note.pk}")
    assert services.send_due(now=NOON + datetime.timedelta(hours=1))["sent"] == 0  # sent once


def test_a_failing_gateway_loses_nothing(db, gateway):
    """The gateway answers 503 twice: the message waits 1, then 2 minutes, and goes out
    on the third try with the same id each time."""
    server = gateway(fail=2)
    note = sms()
    assert services.send_due(now=NOON)["retry"] == 1
    waiting = row(note)
    assert (waiting.status, waiting.attempts, waiting.next_attempt_at) == ("retry", 1, NOON + datetime.timedelta(minutes=1))
    assert "503" in waiting.last_error
    assert services.send_due(now=NOON + datetime.timedelta(seconds=30))["retry"] == 0  # not due yet
    assert services.send_due(now=NOON + datetime.timedelta(minutes=1))["retry"] == 1
    assert row(note).next_attempt_at == NOON + datetime.timedelta(minutes=3)
    assert services.send_due(now=NOON + datetime.timedelta(minutes=3))["sent"] == 1
    assert [body["id"] for body in server.received] == [str(note.pk)] * 3
    assert (row(note).status, row(note).attempts) == ("sent", 3)


def test_an_unreachable_gateway_is_retried_until_the_last_attempt(db, settings):
    settings.SMS_BACKEND, settings.SMS_WEBHOOK_URL, settings.NOTICES_MAX_ATTEMPTS = "webhook", "http://127.0.0.1:9/", 3
    note = sms()
    moment = NOON
    outcomes = []
    for _ in range(3):
        result = services.send_due(now=moment)
        outcomes.append("retry" if result["retry"] else "failed" if result["failed"] else "none")
        moment = row(note).next_attempt_at
    assert outcomes == ["retry", "retry", "failed"]
    assert row(note).status == "failed" and "unreachable" in row(note).last_error


def test_a_refusal_fails_at_once_and_staff_can_send_again(client, db, gateway, staff_a, community_a):
    gateway(fail=1, status=400)
    note = sms(community_id=community_a.pk)
    assert services.send_due(now=NOON)["failed"] == 1
    client.force_login(staff_a)
    page = client.get(reverse("notices:outbox"), {"status": "failed"}).content.decode()
    assert "137****1111" in page and PHONE not in page and "重新发送" in page
    response = client.post(reverse("notices:resend", args=[note.pk]))
    assert response.status_code == 302 and row(note).status == "queued"
    assert services.send_due(now=NOON + datetime.timedelta(hours=1))["sent"] == 1


def test_a_lapsed_lease_is_taken_again(db, gateway):
    """A worker died while sending: after its lease the row goes out again (same id)."""
    server = gateway()
    note = sms()
    Notification.objects.filter(pk=note.pk).update(status="sending", lease_until=NOON + datetime.timedelta(minutes=5))
    assert services.send_due(now=NOON)["sent"] == 0  # still leased
    assert services.send_due(now=NOON + datetime.timedelta(minutes=6))["sent"] == 1
    assert len(server.received) == 1


def test_quiet_hours_hold_an_sms_until_eight_unless_urgent(db, gateway):
    server = gateway()
    evening = datetime.datetime(2031, 5, 10, 22, 30, tzinfo=TZ)
    calm, urgent = sms(), sms(key="appeal:1:urgent", urgent=True)
    assert services.send_due(now=evening) == {"sent": 1, "retry": 0, "failed": 0, "held": 1, "skipped": 0}
    assert row(calm).next_attempt_at == datetime.datetime(2031, 5, 11, 8, 0, tzinfo=TZ) and row(urgent).status == "sent"
    early = datetime.datetime(2031, 5, 11, 7, 59, tzinfo=TZ)
    assert services.send_due(now=early)["sent"] == 0
    assert services.send_due(now=datetime.datetime(2031, 5, 11, 8, 0, tzinfo=TZ))["sent"] == 1
    assert len(server.received) == 2


def test_a_number_gets_at_most_the_daily_limit(db, gateway, settings):
    settings.NOTICES_SMS_DAILY_LIMIT = 2
    gateway()
    notes = [sms(key=f"wish:{n}:claimed") for n in range(3)]
    result = services.send_due(now=NOON)
    assert (result["sent"], result["held"]) == (2, 1)
    held = next(note for note in notes if row(note).status == "queued")
    assert row(held).next_attempt_at == datetime.datetime(2031, 5, 11, 8, 0, tzinfo=TZ)


def test_the_stop_link_ends_the_messages_to_that_number(client, db, gateway):
    gateway()
    first, waiting = sms(), sms(key="wish:1:delivered")
    other = sms(key="wish:2:claimed", to="13700002222")
    url = reverse("notices:stop", args=[services.stop_token_of(first)])
    page = client.get(url).content.decode()
    assert "137****1111" in page and PHONE not in page
    assert not OptOut.objects.exists()  # a GET (a link preview) changes nothing
    assert "不会再向" in client.post(url).content.decode()
    assert OptOut.objects.filter(phone=PHONE).exists() and row(waiting).status == "skipped"
    assert services.send_due(now=NOON)["sent"] == 1 and row(other).status == "sent"
    assert client.get(reverse("notices:stop", args=["forged"])).status_code == 404


def test_email_goes_through_smtp(db, settings):
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    handler = Handler()
    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        note = services.notify(event="digest", key="digest:2031-05-10", channel="email", to="office@example.org",
                               template="digest", subject="今日待办", text="逾期心愿 2 件。")
        assert services.send_due(now=NOON)["sent"] == 1
    finally:
        controller.stop()
    (envelope,) = handler.messages
    message = email.message_from_bytes(envelope.content)
    assert envelope.rcpt_tos == ["office@example.org"]
    assert message.get_payload(decode=True).decode().strip() == "逾期心愿 2 件。" and "今日待办" in str(email.header.make_header(email.header.decode_header(message["Subject"])))
    assert row(note).status == "sent"


def test_smtp_down_is_retried(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    note = services.notify(event="digest", key="digest:x", channel="email", to="office@example.org", template="digest", text="x")
    assert services.send_due(now=NOON)["retry"] == 1 and "SMTP" in row(note).last_error


def test_outbox_scope_and_query_count(client, db, settings, staff_a, staff_b, community_a, community_b, django_assert_max_num_queries):
    for n in range(60):
        sms(key=f"wish:{n}:claimed", community_id=community_a.pk)
    mine = sms(key="wish:b:claimed", community_id=community_b.pk)
    client.force_login(staff_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("notices:outbox"))
    assert page.status_code == 200 and len(page.context["page_obj"]) == min(settings.PAGE_SIZE, 60)
    assert page.context["page_obj"].paginator.count == 60
    assert client.post(reverse("notices:resend", args=[mine.pk])).status_code == 404  # another community's
    client.force_login(staff_b)
    assert client.get(reverse("notices:outbox")).context["page_obj"].paginator.count == 1
    member = make_user("m", User.Role.MEMBER, community_a)
    client.force_login(member)
    assert client.get(reverse("notices:outbox")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_once(gateway, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    monkeypatch.setattr(services, "_wake_worker", lambda: None)  # no inline send on each commit: the two workers do it
    server = gateway()
    for n in range(40):
        sms(key=f"wish:{n}:claimed", to=f"1370000{n:04d}")
    barrier = threading.Barrier(2)
    results = []

    def work():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(services.send_due(now=NOON, limit=25)["sent"])
            results.append(services.send_due(now=NOON, limit=25)["sent"])
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [body["id"] for body in server.received]
    assert sum(results) == 40 and len(ids) == 40 == len(set(ids))
    assert Notification.objects.filter(status="sent").count() == 40


def test_old_messages_are_pruned_unread_inbox_messages_stay(db, settings, staff_a):
    settings.NOTICES_KEEP_DAYS = 30
    old = NOON - datetime.timedelta(days=31)
    sent, waiting = sms(), sms(key="wish:2:claimed")
    inbox = services.notify(event="x", key="x:1", channel="inbox", user=staff_a, template="x", text="……")
    read = services.notify(event="x", key="x:2", channel="inbox", user=staff_a, template="x", text="……")
    Notification.objects.filter(pk__in=[sent.pk, inbox.pk, read.pk]).update(created_at=old, status="sent")
    Notification.objects.filter(pk=read.pk).update(read_at=old)
    Notification.objects.filter(pk=waiting.pk).update(created_at=old)  # still queued: kept
    assert services.prune(now=NOON) == 2
    assert set(Notification.objects.values_list("pk", flat=True)) == {waiting.pk, inbox.pk}


def test_the_cron_commands_send_and_schedule(db, gateway, settings):
    import io

    from django.core.management import CommandError, call_command

    settings.NOTICES_QUIET_HOURS = (24, 0)  # the command sends at the real time of day: none is quiet here
    gateway()
    sms()
    out = io.StringIO()
    call_command("send_notifications", "--prune", stdout=out)
    assert out.getvalue().startswith("sent 1,") and "deleted 0" in out.getvalue()
    call_command("notification_jobs", "--reminders", "--digest", "--weekly", stdout=out)
    assert "event reminders 0, deadline reminders 0; rating requests 0; digests 0; unit summaries 0" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("notification_jobs")
