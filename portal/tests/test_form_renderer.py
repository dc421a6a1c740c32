"""The portal's form renderer writes <select> in Python: the same markup as Django's templates."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import Client
from django.urls import reverse

from portal.form_renderer import PortalFormRenderer


class Colour(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"  # a widget with its own option template


CHOICES = [
    ("", "---------"),
    ("Fruit", [("1", "苹果 & <梨>"), ("2", 'say "hi"')]),
    ("3", "三"),
]


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize(
    "widget, value",
    [
        (forms.Select(choices=CHOICES), "2"),
        (forms.Select(choices=CHOICES, attrs={"class": "form-select", "required": True, "disabled": False}), ""),
        (forms.SelectMultiple(choices=CHOICES), ["1", "3"]),
        (forms.NullBooleanSelect(), True),
        (forms.Select(choices=[("a", "<b>x</b>")], attrs={"data-x": '"><script>'}), "a"),
    ],
)
def test_select_is_the_same_as_djangos(widget, value):
    ours = widget.render("field", value, attrs={"id": "id_field"}, renderer=PortalFormRenderer())
    djangos = widget.render("field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates())
    assert normalised(ours) == normalised(djangos)
    assert "<script>" not in ours and "<b>" not in ours


def test_selected_option_and_escaping():
    html = forms.Select(choices=CHOICES).render("field", "2", renderer=PortalFormRenderer())
    assert '<option value="2" selected>say &quot;hi&quot;</option>' in html
    assert '<optgroup label="Fruit">' in html and "苹果 &amp; &lt;梨&gt;" in html


def test_a_widget_with_its_own_option_template_keeps_it():
    html = Colour(choices=[("1", "one")]).render("field", "1", renderer=PortalFormRenderer())
    assert "<label><input" in html and "<option" not in html  # its own template, not <option>


def test_forms_use_it(settings):
    assert settings.FORM_RENDERER == "portal.form_renderer.PortalFormRenderer"
    assert isinstance(forms.Form().renderer, PortalFormRenderer)


def test_a_page_renders_its_selects(db, staff_a, cell_a):
    client = Client()
    client.force_login(staff_a)
    html = client.get(reverse("grid:visit_create")).content.decode()
    assert re.search(rf'<select name="grid_cell" class="[^"]*form-select[^"]*"[^>]*><option value="" selected>[^<]*</option><option value="{cell_a.pk}">', html)
