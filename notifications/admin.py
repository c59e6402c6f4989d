from django.contrib import admin

from notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "event", "message", "read_at"]
    list_filter = ["event"]
    raw_id_fields = ["recipient", "case"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "channel", "enabled"]
    list_filter = ["event", "channel", "enabled"]
    raw_id_fields = ["user"]
