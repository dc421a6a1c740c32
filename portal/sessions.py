"""Database sessions whose inactivity clock restarts with every request,
without a database write on every request (settings.SESSION_ENGINE).

SESSION_SAVE_EVERY_REQUEST makes Django save the session after each request,
which pushes its expiry (SESSION_COOKIE_AGE from now) forward. A save is a
write transaction, and on SQLite a write locks the whole database: every page
a signed-in user opens would queue behind everyone else's. This store skips
the save when nothing in the session changed and the stored expiry is less
than a minute short of a full age, so a session ends between SESSION_COOKIE_AGE
minus a minute and SESSION_COOKIE_AGE after its last request.
"""

import datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

REFRESH_AFTER = datetime.timedelta(minutes=1)


class SessionStore(DatabaseSessionStore):
    stored_expiry = None

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self.stored_expiry = session.expire_date if session else None
        return session

    def save(self, must_create=False):
        if not must_create and not self.modified and self._expiry_is_fresh():
            return
        super().save(must_create=must_create)

    def _expiry_is_fresh(self) -> bool:
        if self.stored_expiry is None:
            return False
        full = timezone.now() + datetime.timedelta(seconds=self.get_expiry_age())
        return full - self.stored_expiry < REFRESH_AFTER
