from django.contrib import admin

from production.models import CaseStep, Department, QCCheck, QCItem, RoutingStep


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "daily_capacity", "position"]
    filter_horizontal = ["technicians"]


@admin.register(RoutingStep)
class RoutingStepAdmin(admin.ModelAdmin):
    list_display = ["product", "position", "name", "department", "stage", "needs_approval"]
    list_select_related = ["product", "department"]
    search_fields = ["product__name", "product__code", "name"]


@admin.register(CaseStep)
class CaseStepAdmin(admin.ModelAdmin):
    """Read-mostly: steps are started and finished on the floor (production.services)."""

    list_display = ["case", "position", "name", "department", "status", "technician", "planned_date"]
    list_filter = ["status", "department"]
    list_select_related = ["case", "department", "technician"]
    search_fields = ["case__number", "name"]
    raw_id_fields = ["case", "item", "technician"]
    readonly_fields = ["status", "started_at", "finished_at"]


@admin.register(QCItem)
class QCItemAdmin(admin.ModelAdmin):
    list_display = ["category", "position", "label", "active"]
    list_filter = ["category", "active"]


@admin.register(QCCheck)
class QCCheckAdmin(admin.ModelAdmin):
    list_display = ["case", "item", "checked_by", "checked_at"]
    list_select_related = ["case", "item", "checked_by"]
    raw_id_fields = ["case", "checked_by"]
