"""Tracking codes for residents' public submissions (micro-wishes, appeals).

A resident without an account keeps a code (e.g. ``ABCDE-FGH23``) and, with the
last 4 digits of their phone, looks their submission up. The pieces both apps
share live here: the code itself, the look-up form, and remembering what was
just submitted so the "done" page can show the code after a redirect.
"""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L: codes are read out over the phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """ABCDEFGH23 -> ABCDE-FGH23, easier to read out and copy."""
    return f"{code[:5]}-{code[5:]}"


def mask_name(name: str) -> str:
    """王秀英 -> 王**: public pages never show a resident's full name."""
    name = (name or "").strip()
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


def normalize_code(value) -> str:
    """'abcde-fgh23 ' -> 'ABCDEFGH23': what people type or read out."""
    return "".join(ch for ch in str(value or "").upper() if ch.isalnum())


class TrackingForm(forms.Form):
    """Look a submission up by its tracking code and the last 4 digits of the phone."""

    code_help = ""

    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "autocorrect": "off"}
        ),
    )
    phone_last4 = forms.CharField(
        label=_("Last 4 digits of your phone number"),
        max_length=4,
        min_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{4}"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = self.code_help

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
            # Only the format: says nothing about whether such a submission exists.
            raise forms.ValidationError(_("A tracking code has 10 letters and digits, e.g. ABCDE-FGH23."))
        return code

    def clean_phone_last4(self):
        digits = self.cleaned_data["phone_last4"].strip()
        if not (len(digits) == 4 and digits.isdigit()):
            raise forms.ValidationError(_("Type the last 4 digits of your phone number."))
        return digits


def remember_submission(request, key, obj, community):
    """Keep what was just submitted for the "done" page. `obj` None: the honeypot
    caught a robot, which is shown a made-up code like a real one."""
    request.session[key] = {
        "pk": obj.pk if obj else None,
        "code": obj.code if obj else new_tracking_code(),
        "community": community.pk,
    }


def submitted_object(request, key, model, community_model):
    """The object remembered by `remember_submission` (or a stand-in carrying the
    made-up code), or None when there is nothing to show."""
    done = request.session.get(key)
    if not isinstance(done, dict):
        return None
    if done.get("pk"):
        return model.objects.select_related("community").filter(pk=done["pk"], code=done.get("code")).first()
    community = community_model.objects.filter(pk=done.get("community")).first()
    return model(code=done.get("code", ""), community=community) if community is not None else None
