"""GET /api/health: read-only checks of the database, storage and migrations.

Hand-written on purpose: it must never write, never need auth, answer within seconds when a
dependency is down, and reveal nothing but error class names.
"""

import functools
import os
import re
import subprocess
import time

import boto3
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dentallab import __version__
from dentallab.storage_config import S3_BACKEND, r2_client_config


@functools.cache
def app_version() -> str:
    """The package version plus the commit it was built from, when that is known."""
    sha = os.environ.get("APP_GIT_SHA") or os.environ.get("VERCEL_GIT_COMMIT_SHA") or ""
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


def check_storage():
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend == S3_BACKEND:
        options = settings.STORAGES["default"]["OPTIONS"]
        # A client of its own with short timeouts: the app's client may wait longer for big parts.
        s3 = boto3.session.Session().client(
            "s3",
            endpoint_url=options["endpoint_url"],
            aws_access_key_id=options["access_key"],
            aws_secret_access_key=options["secret_key"],
            config=r2_client_config(connect_timeout=2, read_timeout=2, max_attempts=1),
        )
        s3.head_bucket(Bucket=options["bucket_name"])
        return {"backend": "s3"}
    # The media folder is created on the first upload: until then its nearest parent must be writable.
    location = os.path.abspath(default_storage.location)
    while not os.path.exists(location) and os.path.dirname(location) != location:
        location = os.path.dirname(location)
    if not (os.path.isdir(location) and os.access(location, os.W_OK)):
        raise StorageNotWritable()
    return {"backend": "local"}


@never_cache
@require_GET
def health(request):
    checks = {"database": _timed(check_database)}
    if checks["database"]["status"] == "ok":
        checks["migrations"] = _timed(check_migrations)
    else:
        checks["migrations"] = {"status": "error", "error": "DatabaseUnavailable", "duration_ms": 0.0}
    checks["storage"] = _timed(check_storage)
    healthy = all(check["status"] == "ok" for check in checks.values())
    body = {"status": "ok" if healthy else "error", "checks": checks, "version": app_version()}
    if not healthy:
        body["failing"] = [name for name, check in checks.items() if check["status"] != "ok"]
    return JsonResponse(body, status=200 if healthy else 503)
