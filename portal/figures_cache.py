"""Brief caching of report figures, never stale after a change.

Report pages ask for the same aggregates again and again (every visit of the
dashboard); they change only when someone changes a record. Every cached value
is keyed by a data version that `bump()` renews. The version is renewed by the
data changes themselves, wherever they come from (a service in a request, a
management command, the admin, a shell): every database connection runs its
statements through `watch_writes` (installed by portal.apps when a connection
is made), which notices an INSERT, UPDATE, DELETE or TRUNCATE on a table that
feeds figures, `QuerySet.update()` and `bulk_create()` included, which send no
model signals. The version is renewed once per transaction, when it commits
(straight away in autocommit), so that no other process computes figures from
the uncommitted rows under the new version.

Tables that feed figures: those of FIGURE_APPS' models, less their history
tables (django-simple-history) and less the log-in's `last_login` stamp. The
sessions, django-axes, the security log, content types and permissions feed no
figure: a log-in, a language switch or a form with errors keeps the cache.
Restoring a backup writes past Django (SQLite's backup API, pg_restore), so
office.backups clears the whole cache afterwards.

A test case's transaction (Django's TestCase, pytest-django's `django_db`) is
rolled back at the end and never commits: inside it, a change renews the
version straight away, as in autocommit, so that a test sees its own changes.

The cache must be shared by the server's worker processes for the version to
reach all of them: the default file-based cache is (see settings.CACHES).
"""

import functools
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language

from portal.outage import UNREACHABLE, warn

VERSION_KEY = "figures:version"

# The apps whose tables the cached figures read (the dashboard, office/reports.py,
# the wish wall, the appeal tabs' counts, the summary).
FIGURE_APPS = ("portal", "grid", "council", "volunteers", "wishes")


def bump() -> str:
    version = uuid.uuid4().hex
    try:
        cache.set(VERSION_KEY, version, None)
    except UNREACHABLE as error:  # the cached figures expire after FIGURES_CACHE_SECONDS
        warn("figures' version", error)
    return version


def data_version() -> str:
    return cache.get(VERSION_KEY) or bump()


def cached(name: str, compute, *key_parts):
    """`compute()`'s value, from the cache while the data version holds."""
    if settings.FIGURES_CACHE_SECONDS <= 0:
        return compute()
    # The parts hashed: they may hold a visitor's text (a period's message, a community
    # code), which must neither lengthen the key nor put spaces in it (memcached, Redis).
    parts = hashlib.sha256("\x1f".join(str(part) for part in key_parts).encode()).hexdigest()[:32]
    try:
        key = ":".join(["figures", data_version(), name, parts])
        value = cache.get(key)
    except UNREACHABLE as error:  # computed, as if the cache were empty
        warn(f"figures {name}", error)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, settings.FIGURES_CACHE_SECONDS)
        except UNREACHABLE as error:
            warn(f"figures {name}", error)
    return value


def cached_html(name: str, template_name: str, context, request, *key_parts) -> str:
    """`template_name` rendered with `context()`, from the cache while the data
    version, the language and `key_parts` hold. Neither the context nor the
    markup is built on a hit: for fragments that are the same for many
    requests and hold no CSRF token (the dashboard's cards, the wish wall)."""
    return cached(name, lambda: render_to_string(template_name, context(), request), get_language(), *key_parts)


# Watching the writes ---------------------------------------------------------------------------

# A statement's first character: most are SELECTs, which this alone lets through.
_WRITE_INITIALS = frozenset("IUDTiudt \t\r\n")


@functools.cache
def _watched():
    """(tables that feed figures, the start of the log-in's `last_login` update)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from simple_history.models import HistoricalChanges

    tables = frozenset(
        model._meta.db_table
        for label in FIGURE_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not issubclass(model, HistoricalChanges)
    )
    # django.contrib.auth.models.update_last_login: save(update_fields=["last_login"]).
    user_table = get_user_model()._meta.db_table
    return tables, f'UPDATE "{user_table}" SET "last_login" = %s WHERE '


def changes_figures(sql: str) -> bool:
    """Whether the statement writes a table that feeds figures (the statement as
    Django writes it: the keyword first, the table's name quoted or bare)."""
    words = sql[:200].split(None, 3)
    verb = words[0].upper() if words else ""
    if verb == "TRUNCATE":  # `manage.py flush` on PostgreSQL
        return True
    if verb == "UPDATE" and len(words) > 1:
        table = words[1]
    elif verb in ("INSERT", "DELETE") and len(words) > 2:  # INSERT INTO t, DELETE FROM t
        table = words[2]
    else:
        return False
    tables, last_login = _watched()
    return table.strip('"`[];').lower() in tables and not sql.startswith(last_login)


def _bump_after_commit():
    bump()


def _changed(connection):
    """Renews the data version for a change just made on `connection`: once its
    transaction commits, once per transaction."""
    if not connection.in_atomic_block:  # autocommit: the change is committed
        bump()
    elif not any(callback is _bump_after_commit for _sids, callback, _robust in connection.run_on_commit):
        # Robust: a cache that fails must not turn a committed change into an error page.
        connection.on_commit(_bump_after_commit, robust=True)


def watch_writes(execute, sql, params, many, context):
    """A connection's execute wrapper: renews the data version after a statement
    that changed a table feeding figures."""
    result = execute(sql, params, many, context)
    if sql.__class__ is str and sql[:1] in _WRITE_INITIALS and changes_figures(sql.lstrip()):
        _changed(context["connection"])
    return result


def install_on(connection, **_kwargs):
    """`connection_created` receiver: every connection runs its statements through
    `watch_writes`. First in the list, so that `connection.execute_wrapper()` blocks
    opened earlier remove their own wrapper on exit, not this one."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch_writes)
