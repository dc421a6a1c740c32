"""What a resident's request shares, whatever the app: a micro-wish (wishes) and an
appeal (grid) are both sent by a resident without an account, tracked by a code,
consented to, moved through statuses one recorded step at a time, and anonymised.

- `ResidentRequest`: the abstract model (tracking code, address detail, consent,
  when personal data were removed; the masked name and the code as printed).
- `RequestStep`: the abstract model of one step (from which status to which, by
  whom, the note, when).
- `submit` and `move`: the only ways a request is saved new or changes status. A move
  is one conditional UPDATE (`WHERE status IN (allowed sources)`) in a transaction, so
  of two people pressing a button at once one wins and the other gets the app's error
  with a message for them.

The rest of the resident's side lives beside it: portal/tracking.py (codes and
look-up budgets), portal/tracking_page.py (the public tracking page),
templates/portal/_request_*.html (the pieces both apps' pages include), portal/privacy.py
(anonymising) and office/resident_requests.py (a resident's data requests).
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dates import validate_moment
from portal.history import record_change, set_history_user
from portal.tracking import format_code, mask_name, new_tracking_code


class ResidentRequest(models.Model):
    """A request from a resident. A subclass names its resident's fields."""

    name_field = ""  # the resident's name on the record
    phone_field = ""  # the resident's phone on the record
    sent_field = ""  # when the resident sent it

    code = models.CharField(_("tracking code"), max_length=16, unique=True, default=new_tracking_code, editable=False)
    address_detail = models.CharField(_("address detail"), max_length=100, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True, validators=[validate_moment])
    consent_version = models.CharField(
        _("consent notice version"),
        max_length=16,
        blank=True,
        editable=False,
        help_text=_(
            "The notice the resident agreed to, with separate consent to sensitive information (portal/consent.py): "
            "on the public form, or on paper for a record entered by staff. Empty: no separate consent recorded."
        ),
    )
    sms_consent = models.BooleanField(
        _("text messages agreed"),
        default=False,
        help_text=_("The resident asked to be told of the progress by text message (notices); each message says how to stop them."),
    )
    anonymised_at = models.DateTimeField(
        _("personal data removed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The resident's name, phone, address and photos were removed (portal.privacy.anonymise)."),
    )

    class Meta:
        abstract = True

    @property
    def requester_name(self):
        return getattr(self, self.name_field)

    @property
    def requester_phone(self):
        return getattr(self, self.phone_field)

    @property
    def sent_at(self):
        return getattr(self, self.sent_field)

    @property
    def masked_name(self):
        return mask_name(self.requester_name)

    @property
    def code_display(self):
        return format_code(self.code)


class RequestStep(models.Model):
    """One step in a request's life. A subclass adds the request's foreign key (named
    by `request_field`), `from_status`, `to_status` and `note` with its own choices
    and lengths."""

    request_field = ""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_resident = models.BooleanField(_("by the resident"), default=False)
    created_at = models.DateTimeField(_("at"), default=timezone.now, validators=[validate_moment])

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{getattr(self, self.request_field + '_id')}: {self.from_status or '-'} → {self.to_status}"


def _step(steps, request, **values):
    note_length = steps._meta.get_field("note").max_length
    values["note"] = (values.get("note") or "")[:note_length]
    return steps.objects.create(**{steps.request_field: request}, **values)


def submit(request, *, steps, status, entered_by=None, now):
    """Save a new request in `status`: from the public form (the resident consents on it),
    or entered for a resident by staff (who ticked the consent box for them); its first
    step says which."""
    request.status = status
    request.entered_by = entered_by
    request.consent_at = now
    set_history_user(request, entered_by)
    with transaction.atomic():
        request.save()
        _step(steps, request, to_status=status, actor=entered_by, by_resident=entered_by is None, created_at=now)
    return request


def move(request, *, steps, error, sources, target, refused, actor=None, by_resident=False, note="", now=None, **fields):
    """Move `request` from one of `sources` to `target` (setting `fields`), record the step
    and the history; raise `error(refused)` if it is no longer in one of `sources`."""
    now = now or timezone.now()
    model = type(request)
    with transaction.atomic():
        updated = model.objects.filter(pk=request.pk, status__in=sources).update(status=target, **fields)
        if updated != 1:
            raise error(refused)
        _step(
            steps, request, from_status=request.status, to_status=target, actor=actor, by_resident=by_resident,
            note=note, created_at=now,
        )
        request.refresh_from_db()
        record_change(request, by=actor)  # the UPDATE sent no signal: write the history record here
    return request
