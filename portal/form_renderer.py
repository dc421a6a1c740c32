"""The form renderer of the portal: Django's, with drop-down lists written in Python.

Django renders every <option> of a <select> through two template includes. A
staff form offering a community's 268 members, 80 events and 115 wishes spent
about 60 ms per 500 options on that (measured with `manage.py bench`), most of the
page's time, and more as the records grow. The same markup written with
`format_html` takes a few milliseconds. Anything but the stock select and option
templates (a widget with its own templates) still goes through the templates.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _escape(value) -> str:
    """`django.utils.html.conditional_escape`, without its lazy-string wrapper:
    called for every option's value and label, the wrapper alone cost a third."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value), quote=True)


def _attrs(attrs: dict) -> str:
    """Like django/forms/widgets/attrs.html: `False` leaves the attribute out,
    `True` writes its name alone."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _option(option: dict) -> str:
    return f'<option value="{_escape(option["value"])}"{_attrs(option["attrs"])}>{_escape(option["label"])}</option>'


def render_select(widget: dict) -> str:
    """The HTML of django/forms/widgets/select.html for a widget's template context."""
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        body = "".join(_option(option) for option in options)
        parts.append(f'<optgroup label="{_escape(group_name)}">{body}</optgroup>' if group_name else body)
    parts.append("</select>")
    return mark_safe("".join(parts))


def _is_stock_select(template_name: str, context) -> bool:
    widget = context.get("widget") if hasattr(context, "get") else None
    if template_name != SELECT_TEMPLATE or not isinstance(widget, dict):
        return False
    return all(
        option.get("template_name") == OPTION_TEMPLATE
        for _name, options, _index in widget.get("optgroups", ())
        for option in options
    )


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if _is_stock_select(template_name, context):
            return render_select(context["widget"])
        return super().render(template_name, context, request=request)
