from django.contrib import admin

from cases.models import Case, CaseItem, Product, TimelineEvent


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    """The price list. Products are retired (active off), never deleted: case items refer to them."""

    list_display = ("code", "name", "category", "price", "turnaround_days", "active")
    list_filter = ("category", "active")
    search_fields = ("code", "name")
    ordering = ("category", "name")

    def has_delete_permission(self, request, obj=None):
        return False


class CaseItemInline(admin.TabularInline):
    model = CaseItem
    extra = 0
    can_delete = False
    fields = readonly_fields = ("product", "teeth", "shade", "material", "quantity", "unit_price")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change through cases.services, which keep the timeline and the audit log."""

    list_display = ("number", "status", "priority", "practice", "dentist", "due_date", "created_at")
    list_filter = ("status", "priority")
    search_fields = ("number", "pan_number")
    list_select_related = ("practice", "dentist")
    readonly_fields = [field.name for field in Case._meta.fields]
    inlines = [CaseItemInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    """The case's audit trail: read, never edited."""

    list_display = ("created_at", "case", "kind", "actor", "from_status", "to_status", "internal")
    list_filter = ("kind", "internal")
    search_fields = ("case__number",)
    list_select_related = ("case", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
