"""Where a notification goes out: one backend per channel, chosen in settings.

SMS_BACKEND: "console" (the default: the message is written to the log, nothing sent)
or "webhook" (POST JSON {"id", "phone", "template", "params", "text"} to
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


SMS_BACKENDS = {"console": "notices.backends.ConsoleSms", "webhook": "notices.backends.WebhookSms"}


def sms_backend():
    return import_string(SMS_BACKENDS.get(settings.SMS_BACKEND, settings.SMS_BACKEND))()


def backend_for(channel: str):
    return sms_backend() if channel == "sms" else Email()
