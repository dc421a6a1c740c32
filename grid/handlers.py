"""Hand-overs from grid work to the apps above it.

Grid sits below volunteers and council (README "Architecture", .importlinter) and never
imports them. Where grid work hands something over (a visit opens a special-group case,
an appeal goes to the deliberation hall as a topic), the app that takes it registers a
handler in its AppConfig.ready(), and grid calls it by name:

    handlers.register("visit_to_case", case_from_visit)       # volunteers/apps.py
    handlers.call("visit_to_case", visit=visit, by=user, ...)  # grid/services_work.py

A name nobody registered is a configuration error, not a silent no-op.
"""

from django.core.exceptions import ImproperlyConfigured

# name -> what the handler receives and returns
NAMES = {
    "visit_to_case": "visit, by, group, problem, resident_name, description -> the new special-group case",
    "special_group_choices": "() -> the choices of a case's special group",
    "appeal_to_topic": "appeal, by, title, description -> the new deliberation topic (saved)",
}

_handlers: dict = {}


def register(name: str, handler) -> None:
    if name not in NAMES:
        raise ImproperlyConfigured(f"Unknown grid hand-over {name!r}; known: {', '.join(NAMES)}")
    _handlers[name] = handler


def call(name: str, **kwargs):
    try:
        handler = _handlers[name]
    except KeyError:
        raise ImproperlyConfigured(f"No app registered the grid hand-over {name!r}") from None
    return handler(**kwargs)
