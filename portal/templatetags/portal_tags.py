from django import template
from django.utils.safestring import mark_safe

from portal import permissions
from portal.validators import mask_phone as _mask_phone

register = template.Library()


@register.filter
def can(user, action):
    """`{% if user|can:"grid.manage" %}`: the action table of portal/permissions.py."""
    return permissions.can(user, action)


@register.filter
def mask_phone(value):
    """138****1234: lists never show a whole phone number."""
    return _mask_phone(value)


@register.filter
def percent(value):
    """0.987 -> '98.7%'; whole numbers without a decimal ('100%')."""
    try:
        number = float(value) * 100
    except (TypeError, ValueError):
        return ""
    return f"{number:.0f}%" if number == int(number) else f"{number:.1f}%"


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some keys replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def nav_links(context):
    """The navigation's links (portal/_nav_links.html) for the signed-in user. Rendered
    on every page: keeping them saved under a millisecond (bench/RESULTS.md, "fast_url
    and the navigation cache")."""
    with context.push():
        html = context.template.engine.get_template("portal/_nav_links.html").render(context)
    return mark_safe(html)  # noqa: S308 (markup rendered by our own template, escaped there)
