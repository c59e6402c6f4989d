"""Reads of notifications: each person reads only their own (others' are 404)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.policy import VisibleQuery
from notifications.models import Notification


def notifications_for(user, *, unread: bool | None = None) -> QuerySet[Notification]:
    notifications = Notification.objects.visible_to(user).select_related("case")
    if unread is True:
        notifications = notifications.unread()
    elif unread is False:
        notifications = notifications.filter(read_at__isnull=False)
    return notifications.order_by("-created_at", "-id")


def get_notification_for(user, pk) -> Notification:
    return get_object_or_404(Notification.objects.visible_to(user), pk=pk)


_UNREAD = VisibleQuery(lambda user: Notification.objects.visible_to(user).unread())


def unread_count(user) -> int:
    """The bell on every page: one COUNT over the partial index of unread notifications."""
    return _UNREAD.count(user)
