"""Sign-in events into the audit log: successes, failures and lockouts, on every path that
authenticates (the sign-in page, Django admin, the API token endpoint)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.audit import AuditAction, AuditOutcome, record
from accounts.lockout import username_from_credentials
from accounts.models import User


def _account(email):
    return User.objects.filter(email__iexact=email).first() if email else None


def _http_request(request):
    # DRF wraps Django's request; the audit reads META from either.
    return getattr(request, "_request", request)


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs):
    if request is None or not getattr(request, "META", None):
        return  # test helpers (force_login) sign in without a real request
    record(AuditAction.LOGIN, request=_http_request(request), actor=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record(AuditAction.LOGOUT, request=_http_request(request), actor=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    email = username_from_credentials(request, credentials) or ""
    locked = bool(getattr(request, "axes_locked_out", False))
    record(
        AuditAction.LOGIN_FAILED,
        request=_http_request(request) if request is not None else None,
        actor=_account(email),
        actor_email=email,
        outcome=AuditOutcome.DENIED if locked else AuditOutcome.FAILURE,
        detail={"reason": "locked_out" if locked else "bad_credentials", "path": getattr(request, "path", "")},
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    """Axes sends this when an account becomes locked and on each attempt refused while locked."""
    record(
        AuditAction.LOCKED_OUT,
        request=_http_request(request),
        actor=_account(username),
        actor_email=username or "",
        outcome=AuditOutcome.DENIED,
        detail={"failures": getattr(request, "axes_failures_since_start", None)},
    )
