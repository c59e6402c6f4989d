"""Friendly answers when something breaks: a branded page for people, JSON for the API (in the
API's error shape, dentallab/api_errors.py: `{"detail": ..., "code": ...}`).

Django calls `server_error` (handler500) for any exception a view or middleware did not handle,
from inside the `except` block, so the exception is still in `sys.exc_info()`. A lost database
connection (PostgreSQL restarting, a failover, the pooler full) or an unreachable file store
(S3/R2 endpoint down) is not a bug in the app: it is answered 503 with Retry-After and a clear
sentence, so people and clients retry instead of giving up.

The pages are rendered WITHOUT the request's context processors: those would load the user
from the session, i.e. query the database that is down, and fail again inside the error page.
"""

import logging
import sys

from botocore import exceptions as botocore_errors
from django import db
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger("dentallab.errors")

try:
    import psycopg

    # The driver's own errors: Django wraps most, but not all. Closing a server-side cursor (a
    # ModelChoiceField iterating its queryset) on a lost connection raises psycopg's error raw,
    # from django.db.models.sql.compiler.cursor_iter's `finally: cursor.close()`.
    DRIVER_ERRORS = (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # pragma: no cover — SQLite-only installs
    DRIVER_ERRORS = ()

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_ERRORS = (db.OperationalError, db.InterfaceError, *DRIVER_ERRORS)
# The S3/R2 endpoint unreachable or timing out (not a refusal by the store: those are ClientError).
STORAGE_UNAVAILABLE_ERRORS = (
    botocore_errors.EndpointConnectionError,
    botocore_errors.ConnectTimeoutError,
    botocore_errors.ReadTimeoutError,
    botocore_errors.ConnectionClosedError,
)
MESSAGES = {
    "database": "The service is temporarily unavailable. Please try again in a moment.",
    "storage": "File storage is unavailable right now, so nothing was saved. Please try again in a moment.",
}


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def _page(template: str, status: int, context: dict | None = None) -> HttpResponse:
    return HttpResponse(loader.get_template(template).render(context or {}), status=status)


def server_error(request, *args, **kwargs):
    exc = sys.exc_info()[1]
    dependency = (
        "database"
        if isinstance(exc, UNAVAILABLE_ERRORS)
        else "storage"
        if isinstance(exc, STORAGE_UNAVAILABLE_ERRORS)
        else None
    )
    if dependency:
        logger.warning("%s unavailable: %s", dependency, type(exc).__name__)
        if _wants_json(request):
            response = JsonResponse({"detail": MESSAGES[dependency], "code": "service_unavailable"}, status=503)
        else:
            response = _page("503.html", 503, {"dependency": dependency})
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if _wants_json(request):
        return JsonResponse(
            {"detail": "Something went wrong on our side. It has been logged.", "code": "server_error"}, status=500
        )
    return _page("500.html", 500)


def page_not_found(request, exception, *args, **kwargs):
    """Under /api/ a URL that matches no route (/api/cases/abc/) is JSON like every other API
    error; pages get the branded 404.html."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)
