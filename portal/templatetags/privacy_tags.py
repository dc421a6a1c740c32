"""Filters for text residents wrote that public pages show (`{% load privacy_tags %}`)."""

from django import template

from portal.privacy import scrub_text

register = template.Library()


@register.filter
def hide_personal(text, name=""):
    """Mask mobile numbers, doors and the resident's full `name` in `text`:
    `{{ wish.description|hide_personal:wish.wisher_name }}`."""
    return scrub_text(str(text or ""), [name] if name else ())
