from django.contrib import admin

from shipping.models import Courier, Pickup, Shipment, ShipmentCase


@admin.register(Courier)
class CourierAdmin(admin.ModelAdmin):
    list_display = ["name", "tracking_url_template", "is_lab_driver", "active"]
    list_filter = ["active", "is_lab_driver"]


class ShipmentCaseInline(admin.TabularInline):
    model = ShipmentCase
    raw_id_fields = ["case"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    """Shipments are made by shipping.services.ship_cases (it moves the cases); here they are read."""

    list_display = ["id", "shipped_at", "practice", "courier", "tracking_number"]
    list_filter = ["courier"]
    search_fields = ["tracking_number", "practice__name", "lines__case__number"]
    inlines = [ShipmentCaseInline]
    readonly_fields = ["practice", "courier", "tracking_number", "shipped_at", "shipped_by"]

    def has_add_permission(self, request):
        return False


@admin.register(Pickup)
class PickupAdmin(admin.ModelAdmin):
    list_display = ["date", "window_start", "window_end", "practice", "status"]
    list_filter = ["status", "date"]
    raw_id_fields = ["practice", "requested_by", "done_by"]
