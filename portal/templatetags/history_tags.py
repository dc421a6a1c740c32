from django import template
from django.db.models import Manager

from portal.history import history_rows as _history_rows
from portal.history import related_history_rows
from portal.permissions import can

register = template.Library()


@register.simple_tag(takes_context=True)
def history_rows(context, record, label=None):
    """The rows of the "Change history" section (portal/_history.html): for the
    office (staff, area admins) only; for anyone else None (no section at all).

    `record` is a model instance, or a related set such as `event.participations`
    with `label` naming the foreign key that tells its records apart ("member")."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not can(user, "portal.see_history"):
        return None
    if isinstance(record, Manager):
        return related_history_rows(record, label=label or None)
    return _history_rows(record)
