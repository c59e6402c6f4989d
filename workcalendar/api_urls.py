"""/api/ routes of the working calendar (included from dentallab/urls.py)."""

from rest_framework.routers import SimpleRouter

from workcalendar import api

router = SimpleRouter()
router.register("closed-days", api.ClosedDayViewSet, basename="api-closed-day")

urlpatterns = router.urls
