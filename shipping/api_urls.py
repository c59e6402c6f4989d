"""/api/ routes of the shipping app (included from dentallab/urls.py)."""

from rest_framework.routers import SimpleRouter

from shipping import api

router = SimpleRouter()
router.register("shipments", api.ShipmentViewSet, basename="api-shipment")
router.register("couriers", api.CourierViewSet, basename="api-courier")
router.register("pickups", api.PickupViewSet, basename="api-pickup")

urlpatterns = router.urls
