"""Consent to sensitive personal information (个人信息保护法: 单独同意).

A resident describing a need on the public wish or appeal form may write about
an illness, a disability or money troubles: sensitive personal information,
which may only be handled with the resident's separate consent after a notice of
purpose, retention and whom to contact. The public forms therefore carry a box
of their own (`sensitive_consent`, required) under that notice, besides the
general consent box; the staff forms, which record what a resident said at the
office, carry `paper_consent`: the resident signed the paper notice.

The record keeps which notice was agreed to (`consent_version`, this module's
`CONSENT_VERSION`) and when (`consent_at`, set by the submit services). Change
`CONSENT_VERSION` whenever the notice's wording changes.
"""

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.privacy import retention_days

CONSENT_VERSION = "2026-11"


def consent_notice(community, matter) -> str:
    """The notice above the box (HTML: crispy forms shows help texts as is):
    purpose, who sees it, retention and the community office's phone."""
    phone = (getattr(community, "phone", "") or "").strip()
    contact = (
        _("Questions, a copy of your data or deleting it: call the community office, %(phone)s.") % {"phone": escape(phone)}
        if phone
        else _("Questions, a copy of your data or deleting it: ask at the community office.")
    )
    parts = [
        _("Purpose: only to handle this %(matter)s; only the community staff and the person who helps you see it.")
        % {"matter": escape(str(matter))},
        _(
            "Retention: kept while the %(matter)s is handled and for %(days)d days after it is finished; "
            "then your name, phone number and address are removed."
        )
        % {"matter": escape(str(matter)), "days": retention_days()},
        contact,
        _("Notice version %(version)s.") % {"version": escape(CONSENT_VERSION)},
    ]
    return mark_safe("<br>".join(parts))


def sensitive_consent_field():
    return forms.BooleanField(
        label=gettext_lazy(
            "I separately agree that the community uses the sensitive information I give here "
            "(for example about health, a disability or a child) only for this purpose."
        ),
        error_messages={"required": gettext_lazy("Please tick this box: without it the community cannot take your request.")},
    )


def paper_consent_field():
    return forms.BooleanField(
        label=gettext_lazy("The resident agreed (paper form)"),
        help_text=format_lazy(
            "{} {}",
            gettext_lazy(
                "Tick when the resident (for a child under 14: a parent or guardian) signed the paper consent "
                "notice, which covers sensitive information such as health or a disability. Without it, record no "
                "such information. Notice version:"
            ),
            CONSENT_VERSION,
        ),
        required=False,
    )


class SensitiveConsentMixin:
    """For a resident's own form (a ModelForm whose model has `consent_version`,
    declaring `sensitive_consent = sensitive_consent_field()`): the notice of the
    community under the box, and the notice's version on the saved record."""

    consent_matter = ""  # what the notice speaks of: gettext_lazy("micro-wish"), gettext_lazy("appeal")

    def show_consent_notice(self, community):
        self.fields["sensitive_consent"].help_text = consent_notice(community, self.consent_matter)

    def save(self, commit=True):
        self.instance.consent_version = CONSENT_VERSION
        return super().save(commit=commit)


class PaperConsentMixin:
    """For a staff form entering a resident's record (declaring
    `paper_consent = paper_consent_field()`): the notice's version on the saved
    record when the box is ticked, none otherwise."""

    def save(self, commit=True):
        self.instance.consent_version = CONSENT_VERSION if self.cleaned_data.get("paper_consent") else ""
        return super().save(commit=commit)
