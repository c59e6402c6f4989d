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
from django.http import HttpResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.views import defaults

from dentallab.api_errors import json_error
from dentallab.exceptions import AppError

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
            response = json_error(MESSAGES[dependency], "service_unavailable", 503)
        else:
            response = _page("503.html", 503, {"dependency": dependency})
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if _wants_json(request):
        return json_error("Something went wrong on our side. It has been logged.", "server_error", 500)
    try:
        # With the navigation when the request still works (a bug in one view, not the session or
        # the database); the bare page otherwise.
        return TemplateResponse(request, "500.html", status=500).render()
    except Exception:  # noqa: BLE001 — the error page itself must never fail
        return _page("500.html", 500)


def page_not_found(request, exception, *args, **kwargs):
    """Under /api/ a URL that matches no route (/api/cases/abc/) is JSON like every other API
    error; pages get the branded 404.html."""
    if request.path.startswith("/api/"):
        return json_error("Not found.", "not_found", 404)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception, *args, **kwargs):
    """403: JSON under /api/ (the API's error shape), the branded 403.html page otherwise, with the
    reason when the code that refused gave one."""
    message = str(exception) if exception and str(exception) else "You do not have access to this page."
    if request.path.startswith("/api/"):
        return json_error(message, "permission_denied", 403)
    return TemplateResponse(request, "403.html", {"message": message}, status=403).render()


class AppErrorMiddleware:
    """Pages answer an app's refusal (dentallab.exceptions.AppError) with its status and message on
    a branded page, as the API answers it in JSON; views need no try/except for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, AppError):
            return None
        if exception.status_code == 403:
            return permission_denied(request, exception)
        if exception.status_code == 404:
            return page_not_found(request, exception)
        if request.path.startswith("/api/"):
            return json_error(exception.message, exception.code, exception.status_code, exception.errors)
        context = {"message": exception.message, "status": exception.status_code}
        return TemplateResponse(request, "errors/app_error.html", context, status=exception.status_code).render()
