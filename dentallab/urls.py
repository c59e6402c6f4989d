from django.contrib import admin
from django.urls import include, path

from cases import views as case_views
from dentallab import health
from dentallab.cron import RunTasksView

urlpatterns = [
    path("api/health", health.health, name="health"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("api/", include("accounts.api_urls")),
    path("api/", include("files.api_urls")),
    path("", include("files.urls")),
    path("", case_views.dashboard, name="home"),
    path("cases/", include("cases.urls")),
    path("notifications/", include("notifications.urls")),
    path("shipping/", include("shipping.urls")),
    path("api/", include("notifications.api_urls")),
    path("api/", include("shipping.api_urls")),
    path("api/cron/run-tasks", RunTasksView.as_view(), name="api-cron-run-tasks"),
    path("", include("traceability.urls")),
    path("api/", include("traceability.api_urls")),
    path("", include("production.urls")),
    path("api/", include("production.api_urls")),
    path("calendar/", include("workcalendar.urls")),
    path("api/", include("workcalendar.api_urls")),
    path("", include("reports.urls")),
    path("api/", include("reports.api_urls")),
    path("", include("dataio.urls")),
    path("api/", include("dataio.api_urls")),
    path("", include("billing.urls")),
    path("api/", include("billing.api_urls")),
]

# --- API: cases, OpenAPI schema and docs (cases-api) --------------------------------------------
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView  # noqa: E402

urlpatterns += [
    path("api/", include("cases.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL instead of an inline <script>, so the
    # docs page works under the strict Content-Security-Policy; assets come from the sidecar.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]

# --- UI (issue 15): /favicon.ico for pages without the <link rel="icon"> (Django admin) -------------
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
