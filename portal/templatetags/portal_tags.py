from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.validators import mask_phone as _mask_phone
from portal.access import Role
from portal.templatetags.fast_url import current_app

register = template.Library()

_NAV_MAX_ENTRIES = 2000
_nav_links: dict = {}


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
    """The navigation's links (portal/_nav_links.html) for the signed-in user,
    rendered once per process for each kind of user: they depend only on the role,
    `is_staff`, a liaison's unit, the language and what the URLs depend on (the
    key). Some 60 template tags on every signed-in page otherwise."""
    user = context["user"]
    key = (
        user.role,
        user.is_staff,
        user.unit_id if user.role == Role.LIAISON else None,
        get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
        current_app(context),
    )
    html = _nav_links.get(key)
    if html is None:
        with context.push():
            html = context.template.engine.get_template("portal/_nav_links.html").render(context)
        if len(_nav_links) >= _NAV_MAX_ENTRIES:
            _nav_links.clear()
        _nav_links[key] = html
    return mark_safe(html)  # noqa: S308 (markup rendered by our own template, escaped there)
