from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Mainland mobile numbers: 11 digits starting with 13-19.
mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter an 11-digit mobile number, e.g. 13812345678.")
)
# Landlines such as 0936-5551234 are allowed for a unit's liaison.
phone_validator = RegexValidator(
    r"^[0-9][0-9-]{6,19}$", _("Enter a phone number: digits, optionally with a dash.")
)


def normalize_phone(value: str) -> str:
    """Strip spaces and dashes people type or paste around a mobile number."""
    return "".join(ch for ch in str(value or "") if ch.isdigit() or ch == "-").strip("-")


def mask_phone(value: str) -> str:
    """`13812341234` -> `138****1234`; short numbers keep only their last 2 digits;
    an anonymised record's pseudonym -> `—`."""
    value = str(value or "")
    if value.startswith("x"):  # an anonymised record's pseudonym (portal/privacy.py), not a number
        return "—"
    if len(value) >= 11:
        return f"{value[:3]}****{value[-4:]}"
    if len(value) > 4:
        return "*" * (len(value) - 2) + value[-2:]
    return value
