"""The one place that decides who may see and do what (DESIGN §3).

Pages, API endpoints and downloads ask this module; they never re-implement a rule. Missing
rights on an object are a 404 (the object is simply not in `visible_to`); missing rights on an
action are a 403.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from rest_framework.permissions import BasePermission

from accounts.models import Practice, Role


class PracticeScopedQuerySet(models.QuerySet):
    """A queryset of objects that belong to a practice.

    The model names the path to its practice id in `practice_lookup` (e.g. "practice_id" on a
    case, "case__practice_id" on a file).
    """

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_lab_staff:
            return self
        if user.role == Role.DENTIST and user.practice_id:
            return self.filter(**{self.model.practice_lookup: user.practice_id})
        return self.none()


def practices_visible_to(user):
    """Lab staff see every practice; a dentist sees their own; anyone else none."""
    if is_lab_staff(user):
        return Practice.objects.all()
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.DENTIST:
        return Practice.objects.filter(pk=user.practice_id)
    return Practice.objects.none()


def is_lab_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_lab_staff)


def can_manage_lab(user) -> bool:
    """Practices, users, products and prices: managers and admins."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_manager_or_admin)


def can_see_prices(user) -> bool:
    """Managers and admins see every price; a dentist sees their own practice's (scoped by
    visibility); technicians never see prices."""
    return bool(getattr(user, "is_authenticated", False) and user.role != Role.TECHNICIAN)


def can_use_django_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.ADMIN)


def can_view_audit_log(user) -> bool:
    """The audit log (sign-ins, downloads, changes) is for admins."""
    return can_use_django_admin(user)


def assignable_roles(actor) -> list[str]:
    """Roles this person may give. Only an admin can make (or unmake) an admin, so a manager
    cannot raise anyone, themselves included, above manager."""
    if not can_manage_lab(actor):
        return []
    if actor.role == Role.ADMIN:
        return [Role.ADMIN, Role.MANAGER, Role.TECHNICIAN, Role.DENTIST]
    return [Role.MANAGER, Role.TECHNICIAN, Role.DENTIST]


def can_edit_user(actor, target) -> bool:
    """Managers and admins manage accounts; only admins touch admins."""
    return can_manage_lab(actor) and (actor.role == Role.ADMIN or target.role != Role.ADMIN)


def can_change_role_of(actor, target) -> bool:
    """Nobody changes their own role (no accidental self-demotion, no self-promotion)."""
    return can_edit_user(actor, target) and actor.pk != target.pk


def can_deactivate_user(actor, target) -> bool:
    """Nobody deactivates themselves: the last admin cannot lock the lab out."""
    return can_edit_user(actor, target) and actor.pk != target.pk


def require(check):
    """View decorator: the signed-in user must pass `check(user)`, else 403 (a missing right on
    an action). Put it under `login_required`, so anonymous visitors are sent to sign in."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class Allows(BasePermission):
    """DRF permission from a policy check: `permission_classes = [Allows.check(can_manage_lab)]`."""

    rule = staticmethod(lambda user: False)

    @classmethod
    def check(cls, rule):
        return type(f"Allows_{rule.__name__}", (cls,), {"rule": staticmethod(rule)})

    def has_permission(self, request, view):
        return bool(self.rule(request.user))
