"""Settings for the test suite: the real settings, with a test environment set before they load.

Tests talk plain HTTP to localhost, so the HTTPS-only protections that production turns on are
off here; the production values are tested in test_settings.py in a separate interpreter.

Database: DATABASE_URL when set; otherwise a PostgreSQL server that accepts `postgres` on
127.0.0.1:5432 without a password (CI's, a developer's `apt install postgresql`); otherwise
SQLite, and the end of the run says how many PostgreSQL-only tests were skipped (conftest.py).
"""

import os

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/dentallab"


def local_postgres_answers(url: str = LOCAL_POSTGRES) -> bool:
    """Whether a PostgreSQL server on 127.0.0.1:5432 lets us in (1 s at most when nobody listens)."""
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            pass
        import psycopg

        with psycopg.connect(url.replace("/dentallab", "/postgres"), connect_timeout=1):
            return True
    except Exception:  # noqa: BLE001 — nothing listening, no such role, a password wanted: SQLite then
        return False


if not os.environ.get("DATABASE_URL") and local_postgres_answers():
    os.environ["DATABASE_URL"] = LOCAL_POSTGRES

os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("DJANGO_CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from dentallab.settings import *  # noqa: E402, F403

CASE_COUNT_CACHE_SECONDS = 0  # counts read fresh in tests; tests/cases/test_case_counts_cache.py turns it on
HEALTH_CACHE_SECONDS = 0  # checks run on every request; tests/dentallab/test_health_cache.py turns it on
# Every compiled query (dentallab/compiled.py) checks, on every call, that it sends the very SQL and
# parameters the ORM compiles for those values: the whole suite exercises them against the ORM.
COMPILED_QUERY_CHECKS = True
# On by default (dentallab/settings.py); the suite's many lifecycle tests move cases to
# awaiting_approval without uploading a design, so it is off here and tests/ui turn it on.
DESIGN_APPROVAL_REQUIRES_FILE = False
