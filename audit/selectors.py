"""Reading the security log."""

import re

from portal.validators import mask_phone

from .models import SecurityEvent

# An 11-digit mainland mobile number standing alone in a text.
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_numbers(text: str) -> str:
    """The text with every mobile number masked (`138****1234`): the log pages
    and the export show who did what, not residents' numbers."""
    return MOBILE.sub(lambda match: mask_phone(match.group()), text or "")


def security_events():
    """Every entry, newest first, with what the list and the export show."""
    return SecurityEvent.objects.select_related("actor", "object_type").order_by("-at", "-pk")
