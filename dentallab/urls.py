from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cases import views as case_views
from dentallab import health
from dentallab.cron import RunTasksView

# --- API: every app's routes under one prefix ----------------------------------------------------
# Django tries patterns in order: the cases routes (the busiest) come first, and a page's path
# skips the whole API with one prefix test. No route here shadows another whatever the order
# (tests/dentallab/test_urlconf.py resolves every named URL back to itself).
api_patterns = [
    path("", include("cases.api_urls")),
    path("", include("accounts.api_urls")),
    path("", include("files.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("shipping.api_urls")),
    path("cron/run-tasks", RunTasksView.as_view(), name="api-cron-run-tasks"),
    path("", include("traceability.api_urls")),
    path("", include("production.api_urls")),
    path("", include("workcalendar.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("dataio.api_urls")),
    path("", include("billing.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL instead of an inline <script>, so the
    # docs page works under the strict Content-Security-Policy; assets come from the sidecar.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]

urlpatterns = [
    path("api/health", health.health, name="health"),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("files.urls")),
    path("", case_views.dashboard, name="home"),
    path("cases/", include("cases.urls")),
    path("notifications/", include("notifications.urls")),
    path("shipping/", include("shipping.urls")),
    path("", include("traceability.urls")),
    path("", include("production.urls")),
    path("calendar/", include("workcalendar.urls")),
    path("", include("reports.urls")),
    path("", include("dataio.urls")),
    path("", include("billing.urls")),
]

from django.templatetags.static import static  # noqa: E402
from django.views.generic import RedirectView  # noqa: E402


class FaviconView(RedirectView):
    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/logo.svg")


urlpatterns += [path("favicon.ico", FaviconView.as_view(), name="favicon")]

# A friendly page (or JSON under /api/) for errors; 503 + Retry-After when the database is down.
handler500 = "dentallab.errors.server_error"
handler404 = "dentallab.errors.page_not_found"
handler403 = "dentallab.errors.permission_denied"
