"""Append-only audit log (HIPAA audit controls, DESIGN §11): who read, changed or deleted patient
records, and every sign-in attempt. Every app records through `record()`.
"""

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    LOGIN = "auth.login", "Signed in"
    LOGIN_FAILED = "auth.login_failed", "Failed sign-in"
    LOCKED_OUT = "auth.locked_out", "Locked out"
    LOGOUT = "auth.logout", "Signed out"
    TOKEN_ISSUED = "auth.token", "API token issued"
    PASSWORD_CHANGED = "auth.password_changed", "Password changed"
    PASSWORD_RESET = "auth.password_reset", "Password reset"
    USER_INVITED = "user.invited", "User invited"
    USER_CHANGED = "user.changed", "User changed"
    ROLE_CHANGED = "user.role_changed", "Role changed"
    USER_DEACTIVATED = "user.deactivated", "User deactivated"
    USER_UNLOCKED = "user.unlocked", "User unlocked"
    PRACTICE_CHANGED = "practice.changed", "Practice changed"
    CASE_CREATED = "case.created", "Case created"
    CASE_VIEWED = "case.viewed", "Case viewed"
    CASE_CHANGED = "case.changed", "Case changed"
    CASE_TRANSITIONED = "case.transitioned", "Case status changed"
    CASE_EXPORTED = "case.exported", "Cases exported"
    NOTE_ADDED = "case.note_added", "Note added"
    FILE_UPLOADED = "file.uploaded", "File uploaded"
    FILE_REJECTED = "file.rejected", "Upload rejected"
    FILE_DOWNLOADED = "file.downloaded", "File downloaded"
    FILE_DELETED = "file.deleted", "File deleted"


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", "Success"
    FAILURE = "failure", "Failure"
    DENIED = "denied", "Denied"


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One audited action. Never updated, never deleted (also enforced by a database trigger on
    PostgreSQL). Holds ids and class names only: no patient names, passwords or tokens."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_email = models.CharField(max_length=254, blank=True, help_text="As typed, for failed sign-ins too.")
    action = models.CharField(max_length=40, choices=AuditAction.choices, db_index=True)
    outcome = models.CharField(max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["actor", "-created_at"], name="audit_actor_recent")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_email or '-'} {self.action} {self.outcome}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


def client_ip(request) -> str | None:
    """The client's address. Behind N trusted proxies (Vercel, Cloudflare, a load balancer) set
    DJANGO_TRUSTED_PROXY_COUNT=N and the Nth-from-last X-Forwarded-For entry is used."""
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    request=None,
    actor=None,
    actor_email: str = "",
    outcome: str = AuditOutcome.SUCCESS,
    obj=None,
    case_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event. `actor` defaults to the request's signed-in user."""
    if actor is None and request is not None and getattr(request.user, "is_authenticated", False):
        actor = request.user
    return AuditEvent.objects.create(
        actor=actor,
        actor_email=(actor.email if actor is not None else actor_email)[:254],
        action=action,
        outcome=outcome,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        case_id=case_id,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
        detail=detail or {},
    )


# ---- Naming cases in the audit log page --------------------------------------------------------
# accounts imports no other app (.importlinter), so the cases app registers how a case is named
# and linked (cases/apps.py): {case id: ("Case 2026-00042", "/cases/42/")}, one query per page.
_case_labeller = None


def register_case_labeller(labeller) -> None:
    global _case_labeller  # noqa: PLW0603 — set once, at start-up (AppConfig.ready)
    _case_labeller = labeller


def case_labels(case_ids) -> dict:
    ids = {case_id for case_id in case_ids if case_id}
    return _case_labeller(ids) if (_case_labeller and ids) else {}


def _words(value) -> str:
    return str(value).replace("_", " ")


def change_summary(event) -> str:
    """What an event changed, in words: "from received to in production", "pan number, shade"."""
    detail = event.detail or {}
    if "from" in detail and "to" in detail:
        return f"from {_words(detail['from'])} to {_words(detail['to'])}"
    if detail.get("fields"):
        return "changed " + ", ".join(_words(name) for name in detail["fields"])
    if "internal" in detail:
        return "internal note" if detail["internal"] else "shared note"
    if detail.get("remake_of"):
        return "remake of another case"
    if detail.get("kind"):
        return _words(detail["kind"])
    if detail.get("reason"):
        return _words(detail["reason"])
    return ""
