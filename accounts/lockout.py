"""Brute-force protection (django-axes) as DentalLab uses it: one account, whatever the IP, is
locked for AXES_COOLOFF_TIME after AXES_FAILURE_LIMIT failures, on the sign-in page and on the
API token endpoint alike; managers and admins can lift a lock.

Axes keeps its state in the database (AccessAttempt), shared by every instance.
"""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.utils import timezone

from dentallab.api_errors import json_error


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return (
        f"Too many failed sign-in attempts. This account is locked for {lockout_minutes()} minutes. "
        "Try again later, reset your password, or ask your lab manager to unlock it."
    )


def normalise_email(value) -> str | None:
    value = (value or "").strip().lower()
    return value or None


def username_from_credentials(request, credentials) -> str | None:
    """The account an attempt is for. The sign-in form calls it `username`, the API `email`;
    emails are case-insensitive, so `Dr.Who@x` and `dr.who@x` count against the same account."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None:
        data = getattr(request, "data", None) or request.POST
        value = data.get("email") or data.get("username")
    return normalise_email(value if isinstance(value, str) else None)


def is_locked_request(request) -> bool:
    """Did axes refuse this request (the Django request or DRF's wrapper around it)?"""
    return bool(
        getattr(request, "axes_locked_out", False)
        or getattr(getattr(request, "_request", None), "axes_locked_out", False)
    )


def locked_response_json(status: int = 429) -> JsonResponse:
    response = json_error(lockout_message(), "locked_out", status)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE. The sign-in page already shows the lockout message on its form
    (LoginForm), so its page is kept with status 429; API callers get JSON."""
    if request.path.startswith("/api/") or original_response is None:
        return locked_response_json()
    original_response.status_code = 429
    original_response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return original_response


def locked_out_emails(emails) -> set[str]:
    """Which of these accounts are locked right now (one query)."""
    emails = [email.lower() for email in emails]
    if not emails:
        return set()
    threshold = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(username__in=emails, attempt_time__gte=threshold)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {row["username"] for row in rows}


def is_locked_out(email: str) -> bool:
    return email.lower() in locked_out_emails([email])


def clear_failures(email: str) -> int:
    """Forget every failed attempt for this account (unlock). Returns how many were removed."""
    return reset(username=email.lower())
