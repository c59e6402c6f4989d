"""Settings for the test suite: the real settings, with a test environment set before they load.

Tests talk plain HTTP to localhost, so the HTTPS-only protections that production turns on are
off here; the production values are tested in test_settings.py in a separate interpreter.
"""

import os

os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("DJANGO_CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from dentallab.settings import *  # noqa: E402, F403

CASE_COUNT_CACHE_SECONDS = 0  # counts read fresh in tests; tests/cases/test_case_counts_cache.py turns it on
HEALTH_CACHE_SECONDS = 0  # checks run on every request; tests/dentallab/test_health_cache.py turns it on
# On by default (dentallab/settings.py); the suite's many lifecycle tests move cases to
# awaiting_approval without uploading a design, so it is off here and tests/ui turn it on.
DESIGN_APPROVAL_REQUIRES_FILE = False
