"""Where a notification goes out: one backend per channel, chosen in settings.

SMS_BACKEND: "console" (the default: the message is written to the log, nothing sent),
"aliyun" or "tencent" (their official SDKs, with the provider's approved templates), or
"webhook" (POST JSON {"id", "phone", "template", "params", "text"} to
SMS_WEBHOOK_URL; a gateway of one's own forwards it to the provider). `id` is the
notification's id: the same on every retry, so that a gateway which has already sent
it can say so and send nothing twice. E-mail goes through Django's EMAIL_* settings.

A backend returns the provider's reference, or raises SendError (`permanent` when
trying again cannot help: a refused number, a malformed request).
"""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

log = logging.getLogger("notices")


class SendError(Exception):
    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class ConsoleSms:
    """The default: writes the message to the log (`make run` shows it in the terminal)."""

    def send(self, notification) -> str:
        log.info("SMS to %s [%s]: %s", notification.masked_to, notification.template, notification.text)
        return f"console-{notification.pk}"


class WebhookSms:
    """POST the message as JSON to SMS_WEBHOOK_URL; 2xx is sent, 4xx refused, anything else retried."""

    def send(self, notification) -> str:
        url = settings.SMS_WEBHOOK_URL
        if not url:
            raise SendError("SMS_WEBHOOK_URL is not set", permanent=True)
        body = json.dumps(
            {
                "id": str(notification.pk),
                "phone": notification.to,
                "template": notification.template,
                "params": notification.params,
                "text": notification.text,
            },
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_WEBHOOK_TIMEOUT) as response:
                answer = response.read(2000)
        except urllib.error.HTTPError as error:
            permanent = 400 <= error.code < 500 and error.code not in (408, 429)
            raise SendError(f"webhook answered {error.code}", permanent=permanent) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SendError(f"webhook unreachable: {error}") from error
        try:
            return str(json.loads(answer or b"{}").get("ref", ""))[:100]
        except (ValueError, AttributeError):
            return ""


class Email:
    def send(self, notification) -> str:
        message = EmailMessage(notification.subject or notification.text[:60], notification.text, to=[notification.to])
        try:
            message.send()
        except OSError as error:  # smtplib's errors are OSErrors
            raise SendError(f"SMTP: {error}") from error
        return ""


def provider_template(template: str) -> dict:
    """The provider's template for one of ours, from SMS_TEMPLATES (JSON in the environment):
    {"wish_claimed": {"id": "SMS_123456789", "params": ["title", "code"]}, ...}. Providers
    send their own approved text (with the sign name and the opt-out words they require),
    filled with our parameters; "params" gives their order (Tencent's are positional)."""
    found = settings.SMS_TEMPLATES.get(template)
    if not found or not found.get("id"):
        raise SendError(f"no provider template for {template!r} in SMS_TEMPLATES", permanent=True)
    return found


def _ordered(notification, template) -> list[str]:
    return [str(notification.params.get(name, "")) for name in template.get("params", sorted(notification.params))]


# Aliyun's codes for a pause (retry later); every other code but OK is a refusal.
ALIYUN_TEMPORARY = {"isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "SignatureNonceUsed", "Throttling.User", "isp.SYSTEM_ERROR"}


class AliyunSms:
    """Aliyun SMS (dysmsapi) through its official SDK, alibabacloud_dysmsapi20170525.
    SMS_ACCESS_KEY_ID / SMS_ACCESS_KEY_SECRET, SMS_SIGN_NAME, SMS_TEMPLATES;
    SMS_ENDPOINT (default dysmsapi.aliyuncs.com) and SMS_PROTOCOL (https) for a test server."""

    def send(self, notification) -> str:
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as api

        template = provider_template(notification.template)
        config = api.Config(
            access_key_id=settings.SMS_ACCESS_KEY_ID, access_key_secret=settings.SMS_ACCESS_KEY_SECRET,
            endpoint=settings.SMS_ENDPOINT or "dysmsapi.aliyuncs.com", protocol=settings.SMS_PROTOCOL,
            connect_timeout=settings.SMS_WEBHOOK_TIMEOUT * 1000, read_timeout=settings.SMS_WEBHOOK_TIMEOUT * 1000,
        )
        names = template.get("params", sorted(notification.params))
        request = models.SendSmsRequest(
            phone_numbers=notification.to, sign_name=settings.SMS_SIGN_NAME, template_code=template["id"],
            template_param=json.dumps(dict(zip(names, _ordered(notification, template))), ensure_ascii=False),
            out_id=str(notification.pk),
        )
        try:
            body = Client(config).send_sms(request).body
        except Exception as error:  # the SDK's network and server errors (Tea exceptions)
            raise SendError(f"Aliyun: {error}"[:300]) from error
        if body.code != "OK":
            raise SendError(f"Aliyun {body.code}: {body.message}", permanent=body.code not in ALIYUN_TEMPORARY)
        return body.biz_id or ""


TENCENT_TEMPORARY = {"LimitExceeded.PhoneNumberDailyLimit", "LimitExceeded.PhoneNumberThirtySecondLimit",
                     "LimitExceeded.PhoneNumberOneHourLimit", "InternalError.Timeout", "InternalError.RequestTimeException"}


class TencentSms:
    """Tencent Cloud SMS through its official SDK, tencentcloud-sdk-python-sms.
    SMS_ACCESS_KEY_ID / SMS_ACCESS_KEY_SECRET (SecretId / SecretKey), SMS_APP_ID
    (SmsSdkAppId), SMS_SIGN_NAME, SMS_TEMPLATES, SMS_REGION (ap-guangzhou);
    SMS_ENDPOINT (default sms.tencentcloudapi.com) and SMS_PROTOCOL for a test server."""

    def send(self, notification) -> str:
        from tencentcloud.common import credential
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import models, sms_client

        template = provider_template(notification.template)
        http = HttpProfile(
            protocol=settings.SMS_PROTOCOL, endpoint=settings.SMS_ENDPOINT or "sms.tencentcloudapi.com",
            reqTimeout=settings.SMS_WEBHOOK_TIMEOUT,
        )
        client = sms_client.SmsClient(
            credential.Credential(settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET),
            settings.SMS_REGION, ClientProfile(httpProfile=http),
        )
        request = models.SendSmsRequest()
        request.SmsSdkAppId, request.SignName, request.TemplateId = settings.SMS_APP_ID, settings.SMS_SIGN_NAME, template["id"]
        request.TemplateParamSet = _ordered(notification, template)
        request.PhoneNumberSet = ["+86" + notification.to]
        request.SessionContext = str(notification.pk)
        try:
            status = client.SendSms(request).SendStatusSet[0]
        except TencentCloudSDKException as error:
            permanent = not str(error.code or "").startswith(("InternalError", "RequestLimitExceeded", "ClientNetworkError", "ServerNetworkError"))
            raise SendError(f"Tencent {error.code}: {error.message}"[:300], permanent=permanent) from error
        if status.Code != "Ok":
            raise SendError(f"Tencent {status.Code}: {status.Message}", permanent=status.Code not in TENCENT_TEMPORARY)
        return status.SerialNo or ""


SMS_BACKENDS = {
    "console": "notices.backends.ConsoleSms",
    "webhook": "notices.backends.WebhookSms",
    "aliyun": "notices.backends.AliyunSms",
    "tencent": "notices.backends.TencentSms",
}


def sms_backend():
    return import_string(SMS_BACKENDS.get(settings.SMS_BACKEND, settings.SMS_BACKEND))()


def backend_for(channel: str):
    return sms_backend() if channel == "sms" else Email()
