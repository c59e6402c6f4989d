"""/api/ routes of the notifications app (included from dentallab/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from notifications import api

router = SimpleRouter()
router.register("notifications", api.NotificationViewSet, basename="api-notification")

urlpatterns = [
    path(
        "me/notification-preferences/", api.NotificationPreferencesView.as_view(), name="api-notification-preferences"
    ),
    *router.urls,
]
