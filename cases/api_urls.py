"""/api/ routes of the cases app (included from dentallab/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from cases import api

router = SimpleRouter()
router.register("cases", api.CaseViewSet, basename="api-case")
router.register("products", api.ProductViewSet, basename="api-product")
router.register("practices", api.PracticeViewSet, basename="api-practice")

urlpatterns = [path("schedule/", api.ScheduleView.as_view(), name="api-schedule"), *router.urls]
