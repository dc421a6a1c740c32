"""Tracking codes for residents' public submissions (micro-wishes, appeals).

A resident without an account keeps a code (e.g. ``ABCDE-FGH23``) and, with the
last 4 digits of their phone, looks their submission up. The pieces both apps
share live here: the code itself, the look-up form, the limit on look-ups, and
remembering what was just submitted so the "done" page can show the code after
a redirect.

How many guesses the code allows. A code is 10 characters from an alphabet of
31 (23 letters without I, L and O, 8 digits without 0 and 1): 31**10 =
819,628,286,980,801, about 8.2 x 10**14 codes. A look-up also needs the last 4
digits of the phone (10**4) and answers the same whether the code or the digits
are wrong, so a blind guess has to get both: about 8.2 x 10**18 pairs.

- Per address, every look-up counts, right or wrong, well-formed or not, wish
  and appeal together (`lookup_refusal`): 10 in any 10 minutes
  (TRACK_LOOKUP_LIMIT, TRACK_LOOKUP_WINDOW), at most 1,440 a day or 525,600 a
  year. With 100,000 live codes, one guess finds a submission with a chance of
  100,000 / 8.2e18 = 1.2e-14: one address would need about 156 million years
  on average, 10,000 addresses together about 16,000 years. Even someone who
  could tell a real code without the digits (the answer does not tell) would
  need 8.2e14 / 100,000 = 8.2e9 guesses, about 15,600 years from one address.
- Per code, wrong phone digits count whatever the address (`code_refusal`,
  `lookup_failed`): 10 in any day (TRACK_CODE_LIMIT, TRACK_CODE_WINDOW). Someone
  who has seen a code (a slip of paper, a shoulder) needs on average 5,000
  tries for its 4 digits: 500 days, at most 1,000 days; without this limit one
  address would find them in 3.5 days on average, and many addresses at once
  in minutes.
"""

import secrets

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal import throttle

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


def typed_code(request) -> dict:
    """The code a refused visitor typed (form or link), to show again: never the digits."""
    code = request.POST.get("code") or request.GET.get("code") or ""
    return {"code": code.strip()[:30]}


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


# The limit on look-ups -------------------------------------------------------------

# Every request that names a code or phone digits: a look-up (POST, or GET with
# them in the URL, which looks nothing up but is counted as a try), and the
# resident's confirm / reopen / close on the tracking page.
LOOKUP_FIELDS = ("code", "phone_last4")


def names_a_code(data) -> bool:
    return any(field in data for field in LOOKUP_FIELDS)


def _setting(name, default):
    return getattr(settings, name, default)


def lookup_refusal(request) -> str | None:
    """Count one look-up attempt from this address, on the wish or the appeal page:
    the message to answer with (status 429) once it is over the limit, else None."""
    window = _setting("TRACK_LOOKUP_WINDOW", 600)
    if throttle.hit(request, "track", _setting("TRACK_LOOKUP_LIMIT", 10), window):
        return None
    return throttle.too_many_lookups(window)


def code_refusal(code: str) -> str | None:
    """The message to answer with (429) when `code` (normalised) was tried with wrong
    phone digits too often lately, from any address; else None. Counts nothing."""
    window = _setting("TRACK_CODE_WINDOW", 24 * 3600)
    if throttle.allows("track-code", code, _setting("TRACK_CODE_LIMIT", 10), window):
        return None
    return throttle.too_many_for_code(window)


def lookup_failed(code: str) -> None:
    """A look-up of `code` (normalised) found nothing: the code does not exist or the
    digits were wrong, counted alike so that the limit tells nothing either."""
    throttle.hit_name("track-code", code, _setting("TRACK_CODE_LIMIT", 10), _setting("TRACK_CODE_WINDOW", 24 * 3600))


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
