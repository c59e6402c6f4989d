"""The app's URLs plus /bench/bare: the smallest Django view, through the full middleware stack.
Its figures are this machine's ceiling; the app's endpoints are reported as a ratio of it."""

from django.http import HttpResponse
from django.urls import path

from dentallab.urls import handler404, handler500  # noqa: F401 — error handlers are looked up here
from dentallab.urls import urlpatterns as app_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare, name="bench-bare"), *app_urlpatterns]
