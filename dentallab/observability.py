"""Structured logs and error reporting.

Every log line is one JSON object on stdout. A request gets an id (a sane incoming X-Request-ID,
else a new one) that is returned in the response and stamped on every line logged while the
request runs. The access line carries method, path (never the query string: searches hold patient
names), status, duration and user id, and nothing else from the request: no headers, cookies,
tokens, bodies or presigned URLs.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import traceback
import uuid

from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
# Ids from a proxy or a client are kept only when they look like ids (Vercel's x-vercel-id, UUIDs,
# ULIDs...), so a header can never smuggle text or a new log line into the logs.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
_INCOMING_ID_HEADERS = ("HTTP_X_REQUEST_ID", "HTTP_X_VERCEL_ID")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

access_logger = logging.getLogger("dentallab.request")

# The only record attributes that reach the output besides the message. Django's own records carry
# `request` (whose repr includes the query string) and other objects: they are never dumped.
_EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "request_id")


def incoming_request_id(meta) -> str | None:
    for header in _INCOMING_ID_HEADERS:
        value = meta.get(header, "")
        if _SANE_REQUEST_ID.fullmatch(value):
            return value
    return None


def _record_request_id(record: logging.LogRecord) -> str | None:
    # Django logs 4xx/5xx responses after the middleware has returned, with the request attached.
    return (
        getattr(record, "request_id", None)
        or request_id_var.get()
        or getattr(getattr(record, "request", None), "request_id", None)
    )


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and known extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = _record_request_id(record)
        if request_id:
            entry["request_id"] = request_id
        for field in _EXTRA_FIELDS:
            if field != "request_id" and hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            entry["exc"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """For people reading a terminal (LOG_FORMAT=text): the same facts on one plain line."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = _record_request_id(record)
        return f"{line} [{request_id}]" if request_id else line


def _resolved_user_id(request):
    """The user's id if authentication already ran; never triggers a session lookup of its own
    (that would cost a query per request and fail when the database is down)."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    if getattr(user, "_wrapped", None) is empty:  # a lazy user nobody asked for
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


class RequestLogMiddleware:
    """First middleware: assigns the request id and writes one access line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = incoming_request_id(request.META) or uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            status = response.status_code
            access_logger.log(
                logging.ERROR if status >= 500 else logging.INFO,
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _resolved_user_id(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def logging_config(*, level: str, log_format: str) -> dict:
    """LOGGING for settings.py (and gunicorn.conf.py): everything to stdout through one handler."""
    level = level.upper()
    if log_format not in {"json", "text"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT must be json or text; got {log_format!r}")
    formatter = {
        "json": {"()": "dentallab.observability.JsonFormatter"},
        "text": {
            "()": "dentallab.observability.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    }[log_format]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "default"}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's default config prints `django.*` in plain text too when DEBUG is on: one path only.
            "django": {"handlers": [], "level": level, "propagate": True},
            "gunicorn.error": {"handlers": [], "level": level, "propagate": True},
            # Gunicorn's access log would repeat each request with its query string: ours replaces it.
            "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            # fpdf2 subsets fonts through fontTools, which reports each table it prunes at INFO.
            "fontTools": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }


def _drop_request_details(event, hint):
    """Sentry gets the error and the route, never what was typed: no query string, body or cookies."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("query_string", "data", "cookies", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                k: v for k, v in headers.items() if k.lower() in {"user-agent", "x-request-id", "content-type"}
            }
    request_id = request_id_var.get()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_sentry(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        # Frame locals and request bodies may hold patient names or passwords.
        include_local_variables=False,
        max_request_body_size="never",
        before_send=_drop_request_details,
        traces_sample_rate=traces_sample_rate,
    )
