"""Every page of the portal, requested in-process as a given user.

Pages are found in the URL configuration (the Django admin, the language switch
and the log-out are left out). A page with a `pk` gets a real record of the
user's own scope (`Model.objects.for_user(user)`), the most recent one of a kind
that shows the most (a held event, a fulfilled wish, a closed appeal...).
POST-only views answer GET with 405 and are skipped; so are pages the role may
not open (403, 404, redirects), which are listed apart.
"""

import dataclasses
import gc
import logging
import math
import statistics
import time
import warnings

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

SKIPPED_NAMESPACES = ("admin:",)
SLOW_SECONDS, SLOW_REPEAT = 1.0, 3
SKIPPED_NAMES = {"set_language", "portal:logout", "portal:login"}

# What kind of page a URL name is, by the end of its name (first match wins).
KINDS = [
    ("download", ("_docx", "_export", "export", "_template", "photo", "_xlsx")),
    ("dashboard", ("dashboard", "work_summary")),
    ("list", ("_list", ":list", ":wall", ":calendar", ":claimable", ":mine", ":public_topics", ":my")),
    ("detail", ("_detail", ":detail", ":member_me", ":event_public", ":public_topic", ":roster", ":checkin_sheet",
                ":feedback_unit", ":poster", ":checked_in", ":home", "healthz")),
]


def page_kind(name: str) -> str:
    for kind, endings in KINDS:
        if name.endswith(endings):
            return kind
    return "form"


def url_patterns(patterns=None, namespace=""):
    """(namespaced name, its keyword arguments) of every named URL."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, tuple(pattern.pattern.converters)


def _models():
    from council.models import PropertyCompany, ProxyService, Session, Topic
    from grid.models import (
        Appeal,
        Building,
        CoBuildingUnit,
        GridCell,
        PartyMember,
        Station,
        StationUpdate,
        VisitLog,
    )
    from portal.models import Community
    from volunteers.models import (
        ServiceProject,
        SpecialGroupCase,
        VolunteerEvent,
        VolunteerTeam,
    )
    from wishes.models import MicroWish

    # (URL name or prefix, model, preferred filter): the first that matches the name.
    return [
        ("office:feedback_unit", CoBuildingUnit, {}),
        ("grid:community_", Community, {}),
        ("grid:gridcell_", GridCell, {}),
        ("grid:building_", Building, {}),
        ("grid:unit_", CoBuildingUnit, {}),
        ("grid:member_", PartyMember, {"reported_on__isnull": False}),
        ("grid:visit_", VisitLog, {"follow_up_needed": True}),
        ("grid:appeal_", Appeal, {"status": "closed"}),
        ("grid:station_update_photo", StationUpdate, {}),
        ("grid:station_update_delete", StationUpdate, {}),
        ("grid:station_", Station, {}),
        ("wishes:claim", MicroWish, {"status": "open"}),
        ("wishes:deliver", MicroWish, {"status": "claimed"}),
        ("wishes:cancel", MicroWish, {"status": "claimed"}),
        ("wishes:", MicroWish, {"status": "fulfilled"}),
        ("volunteers:team_", VolunteerTeam, {}),
        ("volunteers:project_", ServiceProject, {}),
        ("volunteers:case_", SpecialGroupCase, {"status": "solved"}),
        ("volunteers:", VolunteerEvent, {"status": "done"}),
        ("council:session_update", Session, {}),
        ("council:public_topic", Topic, {"status": "settled"}),
        ("council:topic_", Topic, {"status": "settled"}),
        ("council:session_create", Topic, {"status": "settled"}),
        ("council:company_", PropertyCompany, {}),
        ("council:proxy_", ProxyService, {"status": "done"}),
    ]


# Where a model's community is, when it has no `community` field.
COMMUNITY_PATHS = {"Community": "pk", "Building": "grid_cell__community_id", "Session": "topic__community_id",
                   "StationUpdate": "station__community_id"}


def _scoped(model, user):
    """The user's own records (`for_user`); else, for public pages and models without
    `for_user`, those of the user's community; every record for an area admin."""
    if hasattr(model.objects, "for_user"):
        qs = model.objects.for_user(user)
        if qs.exists():
            return qs
    if user.community_id is None:
        return model.objects.all()
    path = COMMUNITY_PATHS.get(model.__name__, "community_id")
    return model.objects.filter(**{path: user.community_id})


def record_for(name: str, user):
    """A record for a page with a pk, in the user's scope, or None."""
    for prefix, model, prefer in _models():
        if name.startswith(prefix):
            qs = _scoped(model, user)
            return qs.filter(**prefer).first() or qs.first()
    return None


def build_kwargs(name: str, params: tuple, user):
    """The URL's keyword arguments for this user, or None when there is no record to show."""
    from portal.models import Community
    from volunteers.models import VolunteerEvent

    if not params:
        return {}
    if params == ("code",):
        if name == "volunteers:checkin_code":
            event = _scoped(VolunteerEvent, user).filter(status="planned").order_by("starts_at").first()
            return {"code": event.checkin_code} if event else None
        community = Community.objects.filter(pk=user.community_id).first() or Community.objects.order_by("pk").first()
        return {"code": community.code} if community else None
    if params == ("pk",):
        record = record_for(name, user)
        return {"pk": record.pk} if record else None
    return None  # e.g. a photo's (pk, which): a download


@dataclasses.dataclass
class Result:
    role: str
    name: str
    kind: str
    url: str
    status: int
    queries: int = 0
    first_ms: float = 0.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    size: int = 0
    repeat: int = 0


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def _content_length(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def make_client(user=None) -> Client:
    # https (the portal redirects plain http with DEBUG off), a host it accepts.
    client = Client(HTTP_HOST="127.0.0.1", secure=True)
    if user is not None:
        client.force_login(user)
    return client


def measure(client, url, repeat) -> tuple[int, int, float, list[float], int]:
    """(status, queries, first time, the other times, size) of `repeat` + 2 requests:
    the first (cold caches), `repeat` timed ones, and one whose queries are counted."""
    began = time.perf_counter()
    response = client.get(url)
    first = time.perf_counter() - began
    status, size = response.status_code, _content_length(response)
    if status != 200:
        return status, 0, first, [], size
    times = []
    gc.collect()
    if first > SLOW_SECONDS:
        repeat = min(repeat, SLOW_REPEAT)  # a page of seconds: a few requests tell enough
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.get(url)
        _content_length(response)
        times.append(time.perf_counter() - began)
    with CaptureQueriesContext(connection) as captured:
        _content_length(client.get(url))
    return status, len(captured.captured_queries), first, times, size


def run_pages(users: dict, repeat: int, kinds: set, only: str = "", log=print) -> list[Result]:
    """Every page of `kinds` for each (role -> user), `repeat` times each."""
    # 403s and 405s are expected here: keep them out of the output.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    logging.getLogger("django.security").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="No directory at")
    results = []
    names = sorted(
        (name, params)
        for name, params in url_patterns()
        if not name.startswith(SKIPPED_NAMESPACES) and name not in SKIPPED_NAMES
    )
    from portal.access import Role
    from portal.models import Community

    for role, user in users.items():
        client = make_client(user)
        # The first community the user reaches (an area admin of a street: one of theirs).
        first_community = Community.objects.for_user(user).order_by("pk").first()
        chosen = first_community.pk if first_community else None
        for name, params in names:
            kind = page_kind(name)
            if kind not in kinds or (only and only not in name):
                continue
            kwargs = build_kwargs(name, params, user)
            if kwargs is None:
                results.append(Result(role, name, kind, "", 0))
                continue
            url = reverse(name, kwargs=kwargs)
            variants = [(name, url)]
            if kind == "form" and user.role == Role.AREA_ADMIN and chosen is not None:
                # An area admin's forms offer one community's cells, units, members...: the one
                # chosen on the page (`?community=<pk>`). Measured before and after choosing.
                variants.append((f"{name}?community", f"{url}?community={chosen}"))
            for label, address in variants:
                results.append(_measured(client, role, label, kind, address, repeat))
        log(f"  {role}: {sum(1 for r in results if r.role == role and r.status == 200)} pages")
    return results


def _measured(client, role, name, kind, url, repeat) -> Result:
    status, queries, first, times, size = measure(client, url, repeat)
    result = Result(role, name, kind, url, status, queries, first * 1000, size=size)
    if times:
        result.repeat = len(times)
        result.median_ms = statistics.median(times) * 1000
        result.p95_ms = percentile(times, 0.95) * 1000
    return result


def set_debug_off():
    """Measure as in production: no SQL kept in memory, no template debug data.
    Called before the first template is rendered (the engine reads DEBUG once)."""
    settings.DEBUG = False
