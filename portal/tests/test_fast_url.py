"""The {% url %} builtin that remembers URLs without arguments gives Django's URLs."""

import pytest
from django.template import Context, Template
from django.template.defaulttags import URLNode
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix

from portal.templatetags import fast_url


def render(source, **context):
    return Template(source).render(Context(context))


@pytest.fixture(autouse=True)
def _empty():
    fast_url._urls.clear()
    yield
    fast_url._urls.clear()
    set_script_prefix("/")


def test_the_builtin_replaces_djangos_tag():
    node = Template("{% url 'office:dashboard' %}").nodelist[0]
    assert isinstance(node, fast_url.RememberedURLNode) and isinstance(node, URLNode)


def test_same_urls_as_django_with_and_without_arguments():
    assert render("{% url 'office:dashboard' %}") == reverse("office:dashboard")
    assert render("{% url 'office:dashboard' %}") == reverse("office:dashboard")  # remembered
    assert render("{% url 'grid:visit_detail' 7 %}") == reverse("grid:visit_detail", args=[7])
    assert render("{% url 'grid:visit_detail' pk=n %}", n=8) == reverse("grid:visit_detail", kwargs={"pk": 8})
    assert render("{% url name %}", name="office:dashboard") == reverse("office:dashboard")


def test_as_variable_and_unknown_names():
    assert render("{% url 'grid:visit_list' as x %}[{{ x }}]") == f"[{reverse('grid:visit_list')}]"
    assert render("{% url 'no:such' as x %}[{{ x }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'no:such' %}")
    assert not any(key[0] == "no:such" for key in fast_url._urls)


def test_the_script_prefix_is_part_of_the_key():
    plain = render("{% url 'office:dashboard' %}")
    set_script_prefix("/portal/")
    assert render("{% url 'office:dashboard' %}") == "/portal" + plain
    set_script_prefix("/")
    assert render("{% url 'office:dashboard' %}") == plain


def test_current_namespace_from_the_request():
    request = RequestFactory().get("/")
    request.current_app = "grid"
    html = Template("{% url 'office:dashboard' %}").render(Context({"request": request}))
    assert html == reverse("office:dashboard")
