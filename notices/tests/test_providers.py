"""The Aliyun and Tencent SMS backends, through the providers' official SDKs, against fake
endpoints on loopback that answer as the providers document (success, a refusal, a
limit that means "later")."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from notices import services
from notices.models import Notification

TEMPLATES = {"wish_claimed": {"id": "T-1001", "params": ["title", "code"]}}


class FakeProvider:
    """Records each request (path, query and form fields, or JSON body) and answers `answers` in turn."""

    def __init__(self, answers):
        self.answers, self.received = list(answers), []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                parsed = urlsplit(self.path)
                fields = {k: v[0] for k, v in parse_qs(parsed.query).items()}
                if raw.startswith("{"):
                    fields.update(json.loads(raw))
                elif raw:
                    fields.update({k: v[0] for k, v in parse_qs(raw).items()})
                fake.received.append({"headers": dict(self.headers), **fields})
                body = json.dumps(fake.answers.pop(0) if len(fake.answers) > 1 else fake.answers[0]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    made = []

    def _make(backend, answers):
        made.append(FakeProvider(answers))
        settings.SMS_BACKEND, settings.SMS_ENDPOINT, settings.SMS_PROTOCOL = backend, made[-1].endpoint, "http"
        settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET = "test-id", "test-secret"
        settings.SMS_SIGN_NAME, settings.SMS_APP_ID, settings.SMS_TEMPLATES = "沙河街社区", "1400000000", TEMPLATES
        settings.NOTICES_QUIET_HOURS = (24, 0)  # these tests send at the real time of day: none is quiet here
        return made[-1]

    yield _make
    for fake in made:
        fake.close()


def queue(template="wish_claimed"):
    return services.notify(
        event="wish.claimed", key="wish:1:claimed", channel="sms", to="13700001111", template=template,
        text="您的微心愿已被认领。", params={"code": "ABCDEFGHJK", "title": "书包"},
    )


def status_of(note):
    return Notification.objects.get(pk=note.pk)


ALIYUN_OK = {"Code": "OK", "Message": "OK", "BizId": "9006197469364984^0", "RequestId": "F655A8D5"}


def test_aliyun_sends_the_template_with_its_parameters(db, provider):
    fake = provider("aliyun", [ALIYUN_OK])
    note = queue()
    assert services.send_due()["sent"] == 1
    (request,) = fake.received
    assert request["headers"]["x-acs-action"] == "SendSms" and request["headers"]["Authorization"].startswith("ACS3-HMAC-SHA256 Credential=test-id")
    assert (request["headers"]["x-acs-action"], request["PhoneNumbers"], request["SignName"], request["TemplateCode"]) == (
        "SendSms", "13700001111", "沙河街社区", "T-1001")
    assert json.loads(request["TemplateParam"]) == {"title": "书包", "code": "ABCDEFGHJK"} and request["OutId"] == str(note.pk)
    assert status_of(note).provider_ref == "9006197469364984^0"


def test_aliyun_refusal_fails_and_a_limit_is_retried(db, provider):
    provider("aliyun", [{"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": "x"}])
    refused = queue()
    assert services.send_due()["failed"] == 1 and "isv.MOBILE_NUMBER_ILLEGAL" in status_of(refused).last_error
    provider("aliyun", [{"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控", "RequestId": "y"}])
    limited = services.notify(event="wish.delivered", key="wish:1:delivered", channel="sms", to="13700001111",
                              template="wish_claimed", text="……", params={"title": "书包", "code": "X"})
    assert services.send_due()["retry"] == 1 and status_of(limited).status == "retry"


def test_a_template_without_a_provider_id_fails_with_the_reason(db, provider):
    provider("aliyun", [ALIYUN_OK])
    note = queue(template="wish_unknown")
    assert services.send_due()["failed"] == 1 and "SMS_TEMPLATES" in status_of(note).last_error


TENCENT_OK = {"Response": {"SendStatusSet": [{"SerialNo": "5000:1045710669157053657849499619", "PhoneNumber": "+8613700001111",
                                              "Fee": 1, "SessionContext": "", "Code": "Ok", "Message": "send success",
                                              "IsoCode": "CN"}], "RequestId": "a0aabda6"}}


def test_tencent_sends_positional_parameters(db, provider):
    fake = provider("tencent", [TENCENT_OK])
    note = queue()
    assert services.send_due()["sent"] == 1
    (request,) = fake.received
    assert request["headers"]["X-TC-Action"] == "SendSms"
    assert request["PhoneNumberSet"] == ["+8613700001111"] and request["TemplateId"] == "T-1001"
    assert request["TemplateParamSet"] == ["书包", "ABCDEFGHJK"]  # in the order SMS_TEMPLATES gives
    assert (request["SmsSdkAppId"], request["SignName"], request["SessionContext"]) == ("1400000000", "沙河街社区", str(note.pk))
    assert status_of(note).provider_ref.startswith("5000:")


def test_tencent_daily_limit_is_retried_and_an_api_error_fails(db, provider):
    limited = dict(TENCENT_OK["Response"]["SendStatusSet"][0], Code="LimitExceeded.PhoneNumberDailyLimit", Message="超限")
    provider("tencent", [{"Response": {"SendStatusSet": [limited], "RequestId": "b"}}])
    note = queue()
    assert services.send_due()["retry"] == 1 and "PhoneNumberDailyLimit" in status_of(note).last_error
    provider("tencent", [{"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "签名错误"}, "RequestId": "c"}}])
    Notification.objects.filter(pk=note.pk).update(next_attempt_at=status_of(note).created_at)
    assert services.send_due()["failed"] == 1 and "AuthFailure" in status_of(note).last_error
