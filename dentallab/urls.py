from django.contrib import admin
from django.urls import include, path

from dentallab import health

urlpatterns = [
    path("api/health", health.health, name="health"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
]

# A friendly page (or JSON under /api/) for errors; 503 + Retry-After when the database is down.
handler500 = "dentallab.errors.server_error"
