"""The one place that decides who may see and do what (DESIGN §3).

Reads: every model's rows are filtered by `Model.objects.visible_to(user)` (the querysets below);
an object a user may not see is a 404. Actions: the `can_*` functions; services call them before
every write (and raise 403), pages and templates ask them to decide what to show
(accounts.context_processors). Nothing else checks a role.
"""

from collections.abc import Callable, Hashable
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models

from accounts.roles import Role
from dentallab.compiled import CompiledQuery


def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_lab_staff(user) -> bool:
    return is_signed_in(user) and user.role in (Role.ADMIN, Role.MANAGER, Role.TECHNICIAN)


def is_dentist(user) -> bool:
    return is_signed_in(user) and user.role == Role.DENTIST and bool(user.practice_id)


def is_technician(user) -> bool:
    return is_signed_in(user) and user.role == Role.TECHNICIAN


# ---- reads ---------------------------------------------------------------------------------------


class PracticeScopedQuerySet(models.QuerySet):
    """Rows that belong to a practice. The model names the path to its practice id in
    `practice_lookup` ("practice_id" on a case, "case__practice_id" on a file, "pk" on a practice).

    Lab staff see every row; a dentist their own practice's; anyone else (anonymous, inactive,
    a dentist without a practice) nothing."""

    def visible_to(self, user):
        if is_lab_staff(user):
            return self
        if is_dentist(user):
            return self.filter(**{self.model.practice_lookup: user.practice_id})
        return self.none()


class LabOnlyQuerySet(models.QuerySet):
    """Rows only the lab sees (departments, materials, couriers…): dentists get nothing (404)."""

    def visible_to(self, user):
        return self if is_lab_staff(user) else self.none()


class VisibleQuery:
    """A hot read compiled once per process (dentallab.compiled) and filtered by `visible_to`:
    `build(user, *values) -> QuerySet`. It is compiled once per kind of user — signed in or not,
    role, a dentist with a practice or without — with a stand-in user of that kind whose id and
    practice id are values like the others, so one compiled query serves every user of a kind.
    The stand-in carries what `visible_to` reads (role, is_active, practice_id, pk)."""

    def __init__(self, build: Callable[..., models.QuerySet], *, max_variants: int = 64):
        def build_for_kind(variant, pk, practice_id, *values):
            kind, shape = variant
            user = _stand_in(kind, pk, practice_id)
            return build(user, *values) if shape is None else build(user, *values, shape=shape)

        self._query = CompiledQuery(build_for_kind, max_variants=max_variants)

    @staticmethod
    def _scope(user, shape) -> tuple[tuple, int, int]:
        if not is_signed_in(user):
            return (None, shape), 0, 0
        return ((user.role, is_dentist(user)), shape), user.pk, user.practice_id or 0

    def list(self, user, *values, shape: Hashable = None) -> list:
        """`shape`: passed on to `build` as a keyword when given (what changes the SQL itself, as a
        page's offset and size: each shape is compiled once, like a kind of user)."""
        variant, pk, practice_id = self._scope(user, shape)
        return self._query.list(pk, practice_id, *values, variant=variant)

    def first(self, user, *values):
        variant, pk, practice_id = self._scope(user, None)
        return self._query.first(pk, practice_id, *values, variant=variant)

    def count(self, user, *values) -> int:
        variant, pk, practice_id = self._scope(user, None)
        return self._query.count(pk, practice_id, *values, variant=variant)


def _stand_in(kind, pk, practice_id):
    if kind is None:
        return AnonymousUser()
    role, dentist = kind
    return get_user_model()(pk=pk, role=role, practice_id=practice_id if dentist else None, is_active=True)


# ---- actions -------------------------------------------------------------------------------------


def can_manage_lab(user) -> bool:
    """Practices, users, products and prices: managers and admins."""
    return is_signed_in(user) and user.role in (Role.ADMIN, Role.MANAGER)


def can_see_prices(user) -> bool:
    """Managers and admins see every price; a dentist their own practice's (scoped by
    visibility); technicians never see money."""
    return can_manage_lab(user) or is_dentist(user)


def can_use_django_admin(user) -> bool:
    return is_signed_in(user) and user.role == Role.ADMIN


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


def ensure(allowed: bool, message: str) -> None:
    """For services: refuse the write (403) unless the policy allowed it."""
    if not allowed:
        raise PermissionDenied(message)
