"""Database sessions, read from a cache, whose inactivity clock restarts with
every request without a database write on every request (settings.SESSION_ENGINE).

The database holds every session; the "sessions" cache (shared by the server's
processes, settings.CACHES) holds a copy of each with its expiry, so a signed-in
page reads no session row: on PostgreSQL that query and its Python were a
quarter of the cached dashboard's time. Every write goes to both; logging out
or a new key at login removes the copy; a copy that is missing or was evicted
is read from the database again.

SESSION_SAVE_EVERY_REQUEST makes Django save the session after each request,
which pushes its expiry (SESSION_COOKIE_AGE from now) forward. A save is a
write transaction, and on SQLite a write locks the whole database: every page
a signed-in user opens would queue behind everyone else's. This store skips
the save when nothing in the session changed and the stored expiry is less
than a minute short of a full age, so a session ends between SESSION_COOKIE_AGE
minus a minute and SESSION_COOKIE_AGE after its last request.
"""

import datetime
import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseSessionStore
from django.utils import timezone

from portal.outage import UNREACHABLE, warn

REFRESH_AFTER = datetime.timedelta(minutes=1)

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(CachedDatabaseSessionStore):
    # Not Django's cached_db entries (the data alone): ours also carry the expiry.
    cache_key_prefix = "portal.sessions:"
    stored_expiry = None

    def load(self):
        try:
            entry = self._cache.get(self.cache_key)
        except Exception:  # as Django's cached_db: a key the backend refuses is a miss
            entry = None
        if isinstance(entry, tuple) and len(entry) == 2:
            data, self.stored_expiry = entry
            if self.stored_expiry > timezone.now():
                return data
        session = self._get_session_from_db()
        if session is None:
            return {}
        data = self.decode(session.session_data)
        self._cache_copy(data)
        return data

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self.stored_expiry = session.expire_date if session else None
        return session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        self.stored_expiry = instance.expire_date
        return instance

    def exists(self, session_key):
        """Whether a key is taken (a new key is drawn until one is free): the copy, else
        the row; with the cache out of reach (portal.outage), the row alone."""
        try:
            if self.cache_key_prefix + session_key in self._cache:
                return True
        except UNREACHABLE as error:
            warn("sessions", error)
        return super(CachedDatabaseSessionStore, self).exists(session_key)

    def cycle_key(self):
        """A new key at sign-in. The old key's copy holds what the session held before
        signing in, so one left in a cache out of reach does no harm: signing in goes on.
        Signing out (flush) does not: a copy left behind would sign the user in again
        once the cache is back, so that answers 503 until it is."""
        self._old_copy_may_stay = True
        try:
            super().cycle_key()
        finally:
            self._old_copy_may_stay = False

    def delete(self, session_key=None):
        """The cached copy first, then the row (Django's cached_db does the reverse): if
        the cache cannot be reached, signing out fails before anything is removed, and
        the user stays signed in until they try again, rather than seem signed out
        while a copy in the cache still opens the session."""
        key = session_key if session_key is not None else self.session_key
        if key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + key)
        except UNREACHABLE as error:
            if not getattr(self, "_old_copy_may_stay", False):
                raise
            warn("sessions", error)
        super(CachedDatabaseSessionStore, self).delete(key)

    def save(self, must_create=False):
        if not must_create and not self.modified and self._expiry_is_fresh():
            return
        # The database row first (Django's db store), then the cached copy.
        super(CachedDatabaseSessionStore, self).save(must_create=must_create)
        self._cache_copy(self._session)

    def _cache_copy(self, data):
        timeout = (self.stored_expiry - timezone.now()).total_seconds()
        if timeout <= 0:
            return
        try:
            self._cache.set(self.cache_key, (data, self.stored_expiry), timeout)
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)

    def _expiry_is_fresh(self) -> bool:
        if self.stored_expiry is None:
            return False
        full = timezone.now() + datetime.timedelta(seconds=self.get_expiry_age())
        return full - self.stored_expiry < REFRESH_AFTER
