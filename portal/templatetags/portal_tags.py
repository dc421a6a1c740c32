from django import template

from grid.validators import mask_phone as _mask_phone

register = template.Library()


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
