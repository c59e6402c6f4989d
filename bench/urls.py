"""The app's URLs plus two ceilings, through the full middleware stack, anonymous:

- /bench/bare: the smallest Django view (no query, no template);
- /bench/one-query: a page over the same cases table: one query for the 25 latest cases, rendered
  by a Django template.

Their figures are this machine's ceilings; bench/ceiling.py reports the app's endpoints as a ratio
of them. Never used in production: the production URLconf (dentallab/urls.py) knows neither.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from dentallab.urls import handler404, handler500  # noqa: F401 — error handlers are looked up here
from dentallab.urls import urlpatterns as app_urlpatterns

ONE_QUERY_PAGE = engines["django"].from_string(
    "<!doctype html><title>Latest cases</title><table>{% for case in cases %}"
    "<tr><td>{{ case.number }}</td><td>{{ case.patient_name }}</td><td>{{ case.status }}</td>"
    '<td>{{ case.due_date|date:"Y-m-d" }}</td></tr>{% endfor %}</table>'
)


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def one_query(request):
    from cases.models import Case

    cases = Case.objects.order_by("-id").values("number", "patient_name", "status", "due_date")[:25]
    return HttpResponse(ONE_QUERY_PAGE.render({"cases": cases}))


urlpatterns = [
    path("bench/bare", bare, name="bench-bare"),
    path("bench/one-query", one_query, name="bench-one-query"),
    *app_urlpatterns,
]
