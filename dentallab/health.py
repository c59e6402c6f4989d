"""GET /api/health: read-only checks of the database, storage and migrations.

Hand-written on purpose: it must never write (but its own cache entry), never need auth, answer
within seconds when a dependency is down, and reveal nothing but error class names.

The checks' result is shared through the cache (CACHES "default": the database cache, or Redis)
for HEALTH_CACHE_SECONDS (at most 5 s, DESIGN §11), so a flood of probes costs one cache read
each instead of the migration loader and a HeadBucket to R2. A result may therefore be up to that
old — a failure included.

Each process also keeps the entry it last read until that entry's own time is up (never longer:
the entry carries the time its checks ran), and answers from it without a round trip — but only
while this thread's database connection is open and quiet. A PostgreSQL that stops or restarts
closes its connections, which makes the socket readable: health then reads the database (and sees
it down) at once, as it did before. With no connection open (CONN_MAX_AGE=0, a new worker) it
always reads the shared entry.
"""

import functools
import json
import logging
import os
import re
import select
import subprocess
import time

import boto3
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dentallab import __version__
from dentallab.storage_config import S3_BACKEND, r2_client_config

logger = logging.getLogger(__name__)


@functools.cache
def app_version() -> str:
    """The package version plus the commit it was built from, when that is known."""
    sha = settings.APP_GIT_SHA
    if not sha:
        try:
            sha = subprocess.run(
                ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=2
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            sha = ""
    sha = sha if re.fullmatch(r"[0-9a-f]{7,40}", sha) else ""
    return f"{__version__}+{sha[:12]}" if sha else __version__


def _timed(check):
    started = time.monotonic()
    try:
        result = check() or {}
        result = {"status": "ok", **result}
    except Exception as exc:  # noqa: BLE001 — any failure is reported, by class name only
        result = {"status": "error", "error": type(exc).__name__}
    result["duration_ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def check_database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connections[DEFAULT_DB_ALIAS].vendor}


class UnappliedMigrations(Exception):
    pass


def check_migrations():
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise UnappliedMigrations(len(plan))
    return {"unapplied": 0}


class StorageNotWritable(Exception):
    pass


@functools.lru_cache(maxsize=4)
def storage_client(endpoint_url: str, access_key: str, secret_key: str):
    """The S3 client health uses, built once per process (per storage configuration).

    Building a boto3 session and client costs tens of milliseconds of CPU; clients are
    thread-safe. It is a client of its own with short timeouts and no retry: the app's client may
    wait longer for big parts, health must answer within seconds when R2 is down.
    """
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=r2_client_config(connect_timeout=2, read_timeout=2, max_attempts=1),
    )


def check_storage():
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend == S3_BACKEND:
        options = settings.STORAGES["default"]["OPTIONS"]
        s3 = storage_client(options["endpoint_url"], options["access_key"], options["secret_key"])
        s3.head_bucket(Bucket=options["bucket_name"])
        return {"backend": "s3"}
    # The media folder is created on the first upload: until then its nearest parent must be writable.
    location = os.path.abspath(default_storage.location)
    while not os.path.exists(location) and os.path.dirname(location) != location:
        location = os.path.dirname(location)
    if not (os.path.isdir(location) and os.access(location, os.W_OK)):
        raise StorageNotWritable()
    return {"backend": "local"}


def run_checks(*, database_error: dict | None = None) -> tuple[int, bytes]:
    """(HTTP status, JSON body) of the three checks. `database_error` is the database check's
    result when it has failed already (see health())."""
    checks = {"database": database_error or _timed(check_database)}
    if checks["database"]["status"] == "ok":
        checks["migrations"] = _timed(check_migrations)
    else:
        checks["migrations"] = {"status": "error", "error": "DatabaseUnavailable", "duration_ms": 0.0}
    checks["storage"] = _timed(check_storage)
    healthy = all(check["status"] == "ok" for check in checks.values())
    body = {"status": "ok" if healthy else "error", "checks": checks, "version": app_version()}
    if not healthy:
        body["failing"] = [name for name, check in checks.items() if check["status"] != "ok"]
    return (200 if healthy else 503), json.dumps(body, cls=DjangoJSONEncoder).encode()


def _cache_key() -> str:
    # One entry per build: during a rolling deploy each version reports its own migrations check
    # and its own version string. "v2": the entry is (status, content, when the checks ran); a
    # build that stored (status, content) never reads it.
    return f"dentallab:health:v2:{app_version()}"


# This process's copy of the shared entry: (cache key, status, content, valid until time.time()).
_memo: dict[str, tuple[int, bytes, float]] = {}


def _connection_quiet(connection) -> bool:
    """True when `connection` (a Django connection wrapper) is open and nothing has arrived on its
    socket since its last query: an idle PostgreSQL connection receives nothing unless the server
    is shutting down, has closed it or has ended the session — all reasons to look again. No round
    trip: a zero-timeout poll of the socket."""
    raw = connection.connection
    if raw is None or getattr(raw, "closed", True) or getattr(raw, "broken", False):
        return False
    try:
        readable, _, _ = select.select([raw.pgconn.socket], [], [], 0)
    except (AttributeError, OSError, ValueError):  # not psycopg, or a socket already gone
        return False
    return not readable


def _memoised(key: str) -> tuple[int, bytes] | None:
    entry = _memo.get(key)
    if entry is None or entry[2] <= time.time():
        return None
    if not _connection_quiet(connections[DEFAULT_DB_ALIAS]):
        return None
    return entry[0], entry[1]


def _remember(key: str, cached) -> tuple[int, bytes]:
    """(status, content) of a shared entry, kept in this process until the entry's checks are
    HEALTH_CACHE_SECONDS old."""
    status, content, checked_at = cached
    _memo.clear()  # one entry per build: an older key is never read again
    _memo[key] = (status, content, checked_at + settings.HEALTH_CACHE_SECONDS)
    return status, content


def _database_down(cache, exc: Exception, started: float) -> dict | None:
    """The database check's failed result when a read of the database cache could not reach the
    database: asking again would wait for a second connect timeout (3 s) on a dead database."""
    if isinstance(cache, DatabaseCache) and isinstance(exc, OperationalError | InterfaceError):
        return {
            "status": "error",
            "error": type(exc).__name__,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        }
    return None


@never_cache
@require_GET
def health(request):
    seconds = settings.HEALTH_CACHE_SECONDS
    cache = caches["default"]
    key = _cache_key()
    cache_failed, database_error = False, None
    if seconds:
        memo = _memoised(key)
        if memo is not None:
            return HttpResponse(memo[1], status=memo[0], content_type="application/json")
        started = time.monotonic()
        try:
            cached = cache.get(key)
        except Exception as exc:  # noqa: BLE001 — a cache that is down must not take health down with it
            cached, cache_failed = None, True
            database_error = _database_down(cache, exc, started)
        if isinstance(cached, tuple) and len(cached) == 3:  # (status, content, when the checks ran)
            status, content = _remember(key, cached)
            return HttpResponse(content, status=status, content_type="application/json")
    checked_at = time.time()
    status, content = run_checks(database_error=database_error)
    if seconds and not cache_failed:
        try:
            cache.set(key, (status, content, checked_at), seconds)
        except Exception as exc:  # noqa: BLE001
            logger.warning("health: the result could not be cached (%s)", type(exc).__name__)
        else:
            _remember(key, (status, content, checked_at))
    return HttpResponse(content, status=status, content_type="application/json")
