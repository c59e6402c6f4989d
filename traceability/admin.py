from django.contrib import admin

from traceability.models import Lot, LotUsage, Material, Statement


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["name", "manufacturer", "gtin", "category", "active"]
    search_fields = ["name", "manufacturer", "gtin"]
    list_filter = ["category", "active"]


@admin.register(Lot)
class LotAdmin(admin.ModelAdmin):
    list_display = ["lot_number", "material", "expires_on", "status"]
    search_fields = ["lot_number", "material__name"]
    list_filter = ["status"]
    list_select_related = ["material"]


@admin.register(LotUsage)
class LotUsageAdmin(admin.ModelAdmin):
    list_display = ["case", "product_name", "lot", "recorded_at"]
    list_select_related = ["case", "lot__material"]
    search_fields = ["case__number", "lot__lot_number"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    """Read-only: statements are never rewritten or deleted (a correction is a new version)."""

    list_display = ["case", "version", "sha256", "created_at", "retain_until"]
    list_select_related = ["case"]
    search_fields = ["case__number", "sha256"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
