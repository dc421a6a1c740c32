"""grid.handlers: the apps above grid take over what grid work hands them."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from grid import handlers


def test_every_hand_over_has_a_handler_once_the_apps_are_ready():
    assert set(handlers._handlers) == set(handlers.NAMES)
    assert "elderly_alone" in dict(handlers.call("special_group_choices"))


def test_an_unknown_name_is_refused():
    with pytest.raises(ImproperlyConfigured):
        handlers.register("visit_to_topic", lambda **kwargs: None)


def test_a_hand_over_nobody_registered_fails_loudly(monkeypatch):
    monkeypatch.setattr(handlers, "_handlers", {})
    with pytest.raises(ImproperlyConfigured, match="visit_to_case"):
        handlers.call("visit_to_case", visit=None, by=None, group="other", problem="x", resident_name="x")
