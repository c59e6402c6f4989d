"""The one place that decides who may see and do what (DESIGN §3).

Pages, API endpoints and downloads ask this module; they never re-implement a rule. Missing
rights on an object are a 404 (the object is simply not in `visible_to`); missing rights on an
action are a 403.
"""

from django.db import models

from accounts.models import Role


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
