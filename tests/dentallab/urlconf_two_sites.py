"""A URLconf with one application included twice (two instance namespaces), for test_url_tag.py:
there `current_app` decides which instance a name reverses to."""

from django.http import HttpResponse
from django.urls import include, path


def view(request, pk=None):
    return HttpResponse("ok")


shop = ([path("", view, name="index"), path("<int:pk>/", view, name="item")], "shop")

urlpatterns = [
    path("one/", include(shop, namespace="one")),
    path("two/", include(shop, namespace="two")),
]
