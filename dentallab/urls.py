from django.contrib import admin
from django.urls import include, path

from cases import views as case_views
from dentallab import health

urlpatterns = [
    path("api/health", health.health, name="health"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", case_views.dashboard, name="home"),
    path("cases/", include("cases.urls")),
]
