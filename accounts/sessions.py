"""Django's database sessions, with the lookup every signed-in request starts with compiled once
per process (dentallab.compiled): same table, same rows, same checks (SESSION_ENGINE)."""

import logging

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from dentallab.compiled import CompiledQuery

_LIVE_SESSION = CompiledQuery(
    lambda variant, session_key, now: Session.objects.filter(session_key=session_key, expire_date__gt=now)
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        # As db.SessionStore's: the session unless it is missing or expired.
        try:
            return _LIVE_SESSION.get(self.session_key, timezone.now())
        except (Session.DoesNotExist, SuspiciousOperation) as exc:
            if isinstance(exc, SuspiciousOperation):
                logging.getLogger(f"django.security.{exc.__class__.__name__}").warning(str(exc))
            self._session_key = None
