from django.contrib import admin
from django.urls import include, path

from dentallab import health

urlpatterns = [
    path("api/health", health.health, name="health"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("api/", include("accounts.api_urls")),
    path("api/", include("files.api_urls")),
    path("", include("files.urls")),
]
