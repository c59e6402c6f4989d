from django.conf import settings
from django.db import models
from django.db.models import Q

from notifications.events import Channel, Event


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everyone reads their own notifications and nobody else's."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One in-app notification (the bell). The message names the case by number and the patient
    reference the dentist entered, nothing more."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=30, choices=Event.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True, help_text="Where the notification leads (a path).")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            # The bell's count on every page: an index of the unread only.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.recipient_id}: {self.message}"


class NotificationPreference(models.Model):
    """A person's choice for one event on one channel. Without a row the event's default holds
    (on); rows exist only where someone changed something."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=30, choices=Event.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event", "channel"], name="notification_preference_once")
        ]

    def __str__(self):
        return f"{self.user_id} {self.event}/{self.channel}: {'on' if self.enabled else 'off'}"
