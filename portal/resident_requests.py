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
  with a message for them. The first move by someone other than the resident is the
  community's response (`responded_at`), in time if by `respond_by`, the deadline set
  when the request came in (the community's hours then: a later change of the limit
  does not rewrite past figures).
- `rate`: the resident's rating of the outcome (满意 / 基本满意 / 不满意, with a
  comment), once, by the resident on the tracking page or by staff who called them
  (回访); `service_counts` the three rates' counts (接诉即办 响应率 / 解决率 / 满意率).

The rest of the resident's side lives beside it: portal/tracking.py (codes and
look-up budgets), portal/tracking_page.py (the public tracking page),
templates/portal/_request_*.html (the pieces both apps' pages include), portal/privacy.py
(anonymising) and office/resident_requests.py (a resident's data requests).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from portal.dates import validate_moment
from portal.history import record_change, set_history_user
from portal.periods import aggregate
from portal.tracking import format_code, mask_name, new_tracking_code


class Rating(models.TextChoices):
    """The resident's word on the outcome (接诉即办 satisfaction)."""

    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


# 满意率 counts these as satisfied; an unrated request is never counted as satisfied.
SATISFIED_RATINGS = (Rating.SATISFIED, Rating.BASICALLY)
# An unrated request is asked again (once) this long after its outcome.
RATING_ASK_AGAIN_DAYS = 7


class ResidentRequest(models.Model):
    """A request from a resident. A subclass names its resident's fields."""

    name_field = ""  # the resident's name on the record
    phone_field = ""  # the resident's phone on the record
    sent_field = ""  # when the resident sent it
    outcome_field = ""  # when the outcome the resident rates came (answered, fulfilled)
    rateable_statuses: tuple = ()  # the statuses in which the resident may rate it

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
    respond_by = models.DateTimeField(
        _("respond by"), null=True, blank=True, editable=False,
        help_text=_("The response deadline, set from the community's time limit when the request came in."),
    )
    responded_at = models.DateTimeField(
        _("responded at"), null=True, blank=True, editable=False,
        help_text=_("The community's first step on the request (reviewed, assigned or answered)."),
    )
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True, editable=False)
    rating_comment = models.CharField(_("comment on the rating"), max_length=300, blank=True, editable=False)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True, editable=False)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rating recorded by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False, help_text=_("Staff who recorded the resident's rating on a call back; empty: the resident rated it."),
    )
    rating_asked_at = models.DateTimeField(
        _("asked again for a rating at"), null=True, blank=True, editable=False,
        help_text=_("An unrated request is asked again once, 7 days after its outcome (RATING_ASK_AGAIN_DAYS)."),
    )

    class Meta:
        abstract = True

    @classmethod
    def rating_constraints(cls, prefix: str) -> list:
        """The subclass's Meta constraints on the rating: a known value, and a date exactly when rated."""
        return [
            models.CheckConstraint(condition=Q(rating__in=["", *Rating.values]), name=f"{prefix}_rating_valid"),
            models.CheckConstraint(
                condition=Q(rating="", rated_at__isnull=True) | (~Q(rating="") & Q(rated_at__isnull=False)),
                name=f"{prefix}_rated_has_date",
            ),
        ]

    @property
    def is_rateable(self) -> bool:
        return not self.rating and self.status in self.rateable_statuses and self.anonymised_at is None

    @property
    def responded_in_time(self):
        """True / False once responded (or the deadline passed); None while it may still be."""
        if self.respond_by is None:
            return None
        if self.responded_at is not None:
            return self.responded_at <= self.respond_by
        return False if timezone.now() > self.respond_by else None

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
    if actor is not None and not by_resident:  # the community's first step is its response
        fields.setdefault("responded_at", Coalesce(F("responded_at"), Value(now, output_field=models.DateTimeField())))
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


def rate(request, *, rating: str, comment: str = "", by=None, now=None):
    """The resident's rating of the outcome, once: from the tracking page (by=None) or
    recorded by staff who called the resident back (by). One conditional UPDATE, so of
    two tabs rating at once one counts. Raises ValidationError with a message for them."""
    if rating not in Rating.values:
        raise ValidationError(gettext_now("Please choose one of the answers."))
    now = now or timezone.now()
    model = type(request)
    with transaction.atomic():
        updated = model.objects.filter(
            pk=request.pk, rating="", status__in=request.rateable_statuses, anonymised_at__isnull=True
        ).update(rating=rating, rating_comment=(comment or "").strip()[:300], rated_at=now, rated_by=by)
        if updated != 1:
            raise ValidationError(gettext_now("This request has been rated already, or cannot be rated now."))
        request.refresh_from_db()
        record_change(request, by=by)
    return request


def response_deadline(sent_at, hours: int):
    return sent_at + datetime.timedelta(hours=hours)


def due_for_rating(queryset, model, now):
    """Requests to ask again for a rating: rateable, unrated, not asked again yet, their
    outcome `RATING_ASK_AGAIN_DAYS` or more ago, and the resident agreed to messages."""
    before = now - datetime.timedelta(days=RATING_ASK_AGAIN_DAYS)
    return queryset.filter(
        rating="", rating_asked_at__isnull=True, sms_consent=True, anonymised_at__isnull=True,
        status__in=model.rateable_statuses, **{f"{model.outcome_field}__lte": before},
    )


SERVICE_COUNTS = ("received", "responded_in_time", "resolved", "rated", "satisfied", "basically", "dissatisfied")


def service_counts(queryset, *, resolved: Q, group_by=None):
    """The counts behind the three rates of the requests in `queryset` (those received in
    the period): received; responded by the deadline; resolved (the app's `resolved`
    condition on the current status); rated, and each rating. With `group_by`, one
    GROUP BY query: {group: counts}."""
    expressions = {
        "received": Count("pk"),
        "responded_in_time": Count("pk", filter=Q(responded_at__isnull=False, responded_at__lte=F("respond_by"))),
        "resolved": Count("pk", filter=resolved),
        "rated": Count("pk", filter=~Q(rating="")),
        "satisfied": Count("pk", filter=Q(rating=Rating.SATISFIED)),
        "basically": Count("pk", filter=Q(rating=Rating.BASICALLY)),
        "dissatisfied": Count("pk", filter=Q(rating=Rating.DISSATISFIED)),
    }
    return aggregate(queryset, group_by, **expressions)


def with_rates(counts: dict) -> dict:
    """`service_counts` with the three rates (None where nothing was received or rated:
    no rate is better than a made-up 100 %)."""
    counts = {key: counts.get(key) or 0 for key in SERVICE_COUNTS}
    received, rated = counts["received"], counts["rated"]
    return {
        **counts,
        "response_rate": round(counts["responded_in_time"] / received, 4) if received else None,
        "resolution_rate": round(counts["resolved"] / received, 4) if received else None,
        "satisfaction_rate": round((counts["satisfied"] + counts["basically"]) / rated, 4) if rated else None,
    }
