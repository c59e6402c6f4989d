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

from accounts import lockout, policy
from accounts.audit import AuditAction, record
from accounts.models import Practice, Role, User

PRACTICE_FIELDS = ["name", "account_number", "address", "phone", "email", "active"]


def save_practice(*, practice: Practice, actor: User, request=None) -> Practice:
    """Create or update a practice (already validated by its form) and record who did it.
    Managers and admins only."""
    policy.ensure(policy.can_manage_lab(actor), "Only managers and admins manage practices.")
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
    """Create an account without a usable password and email the invitee a link to set one.
    Managers invite anyone but an admin; admins anyone."""
    policy.ensure(policy.can_manage_lab(actor), "Only managers and admins invite people.")
    policy.ensure(role in policy.assignable_roles(actor), "Only an admin can make someone an admin.")
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
    policy.ensure(policy.can_edit_user(actor, user), "You may not manage this account.")
    with transaction.atomic():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        record(AuditAction.USER_INVITED, request=request, actor=actor, obj=user, detail={"resent": True})
        # robust: a mail server hiccup is logged; the account exists and the invitation can be resent.
        transaction.on_commit(lambda: send_invitation(user=user, invited_by=actor), robust=True)


def update_user(*, actor: User, user: User, changed: dict, request=None) -> User:
    """Save a user edited through a form or Django admin; `changed` maps field name → (old, new).
    Only admins touch admins; nobody changes their own role or gives a role above their own;
    nobody deactivates themselves."""
    policy.ensure(policy.can_edit_user(actor, user), "You may not manage this account.")
    if "role" in changed:
        old_role, new_role = changed["role"]
        policy.ensure(policy.can_change_role_of(actor, user), "Nobody changes their own role.")
        policy.ensure(
            new_role in policy.assignable_roles(actor) and old_role in policy.assignable_roles(actor),
            "Only an admin can make or unmake an admin.",
        )
    if "is_active" in changed and not user.is_active:
        policy.ensure(policy.can_deactivate_user(actor, user), "You cannot deactivate your own account.")
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


def password_changed(*, user: User, request=None, actor: User | None = None, via: str = "") -> None:
    """What follows every new password, however it was set (the password-change page, a reset or
    invitation link, Django admin): API refresh tokens end, and it is audited. A reset or an
    invitation proves control of the mailbox, so it also lifts a lockout."""
    with transaction.atomic():
        revoke_api_tokens(user)
        if via in ("reset", "invitation"):
            lockout.clear_failures(user.email)
            record(AuditAction.PASSWORD_RESET, request=request, actor=actor or user, obj=user, detail={"via": via})
        else:
            detail = {"via": via} if via else {}
            record(AuditAction.PASSWORD_CHANGED, request=request, actor=actor, obj=user, detail=detail)


def revoke_api_tokens(user: User) -> int:
    """Blacklist every refresh token the user holds, so no API client can renew access."""
    outstanding = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    tokens = list(outstanding)
    BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in tokens], ignore_conflicts=True)
    return len(tokens)


def deactivate_user(*, actor: User, user: User, request=None) -> None:
    """Accounts are never deleted (the audit trail points at them): they stop signing in. Sessions
    end because inactive users are not loaded; API access ends with their refresh tokens."""
    policy.ensure(policy.can_deactivate_user(actor, user), "You may not deactivate this account.")
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        revoked = revoke_api_tokens(user)
        record(AuditAction.USER_DEACTIVATED, request=request, actor=actor, obj=user, detail={"tokens_revoked": revoked})


def reactivate_user(*, actor: User, user: User, request=None) -> None:
    policy.ensure(policy.can_edit_user(actor, user), "You may not manage this account.")
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
    policy.ensure(policy.can_edit_user(actor, user), "You may not manage this account.")
    with transaction.atomic():
        removed = lockout.clear_failures(user.email)
        record(AuditAction.USER_UNLOCKED, request=request, actor=actor, obj=user, detail={"attempts_cleared": removed})
    return removed
