"""Writes on practices and accounts. Each one is a transaction and leaves an audit event; views
and API endpoints call these and never save accounts themselves."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts import lockout
from accounts.audit import AuditAction, record
from accounts.models import Practice, Role, User

PRACTICE_FIELDS = ["name", "account_number", "address", "phone", "email", "active"]


def save_practice(*, practice: Practice, actor: User, request=None) -> Practice:
    """Create or update a practice (already validated by its form) and record who did it."""
    created = practice.pk is None
    with transaction.atomic():
        practice.save()
        record(
            AuditAction.PRACTICE_CHANGED,
            request=request,
            actor=actor,
            obj=practice,
            detail={"created": created, "active": practice.active},
        )
    return practice


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("invite_accept", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


def send_invitation(*, user: User, invited_by: User) -> None:
    """Email the link where the invitee sets their password. The link is a password-reset token:
    it works once (setting a password changes the hash it is tied to) and for
    PASSWORD_RESET_TIMEOUT seconds."""
    context = {
        "user": user,
        "invited_by": invited_by,
        "link": f"{settings.SITE_URL}{invitation_path(user)}",
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string("accounts/email/invite_subject.txt", context).strip()
    body = render_to_string("accounts/email/invite_body.txt", context)
    send_mail(subject, body, None, [user.email])


def invite_user(
    *, actor: User, email: str, name: str, role: str, practice: Practice | None = None, request=None
) -> User:
    """Create an account without a usable password and email the invitee a link to set one."""
    with transaction.atomic():
        user = User(email=email, name=name, role=role, practice=practice if role == Role.DENTIST else None)
        user.set_unusable_password()
        user.save()
        record(
            AuditAction.USER_INVITED,
            request=request,
            actor=actor,
            obj=user,
            detail={"email": user.email, "role": role, "practice_id": user.practice_id},
        )
        # robust: a mail server hiccup is logged; the account exists and the invitation can be resent.
        transaction.on_commit(lambda: send_invitation(user=user, invited_by=actor), robust=True)
    return user


def resend_invitation(*, actor: User, user: User, request=None) -> None:
    """A fresh link; the previous one stops working (a new unusable password changes the hash)."""
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        record(AuditAction.USER_INVITED, request=request, actor=actor, obj=user, detail={"resent": True})
        # robust: a mail server hiccup is logged; the account exists and the invitation can be resent.
        transaction.on_commit(lambda: send_invitation(user=user, invited_by=actor), robust=True)


def update_user(*, actor: User, user: User, changed: dict, request=None) -> User:
    """Save a user edited through a form; `changed` maps field name → (old, new)."""
    with transaction.atomic():
        if user.role != Role.DENTIST:
            user.practice = None
        user.save()
        record_user_changes(actor=actor, user=user, changed=changed, request=request)
    return user


def record_user_changes(*, actor: User, user: User, changed: dict, request=None) -> None:
    """Audit an edit of an account (from the app or Django admin). A role change and a
    deactivation are events of their own; a deactivation also ends the user's API access."""
    changed = {field: values for field, values in changed.items() if field not in ("password", "last_login")}
    if "role" in changed:
        old, new = changed.pop("role")
        record(AuditAction.ROLE_CHANGED, request=request, actor=actor, obj=user, detail={"from": old, "to": new})
    if "is_active" in changed and not user.is_active:
        changed.pop("is_active")
        revoked = revoke_api_tokens(user)
        record(AuditAction.USER_DEACTIVATED, request=request, actor=actor, obj=user, detail={"tokens_revoked": revoked})
    if changed:
        record(AuditAction.USER_CHANGED, request=request, actor=actor, obj=user, detail={"fields": sorted(changed)})


def revoke_api_tokens(user: User) -> int:
    """Blacklist every refresh token the user holds, so no API client can renew access."""
    outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    tokens = list(outstanding)
    BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in tokens], ignore_conflicts=True)
    return len(tokens)


def deactivate_user(*, actor: User, user: User, request=None) -> None:
    """Accounts are never deleted (the audit trail points at them): they stop signing in. Sessions
    end because inactive users are not loaded; API access ends with their refresh tokens."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        revoked = revoke_api_tokens(user)
        record(AuditAction.USER_DEACTIVATED, request=request, actor=actor, obj=user, detail={"tokens_revoked": revoked})


def reactivate_user(*, actor: User, user: User, request=None) -> None:
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        record(
            AuditAction.USER_CHANGED,
            request=request,
            actor=actor,
            obj=user,
            detail={"fields": ["is_active"], "is_active": True},
        )


def unlock_user(*, actor: User, user: User, request=None) -> int:
    """Lift a brute-force lockout by forgetting the account's failed attempts."""
    with transaction.atomic():
        removed = lockout.clear_failures(user.email)
        record(AuditAction.USER_UNLOCKED, request=request, actor=actor, obj=user, detail={"attempts_cleared": removed})
    return removed
