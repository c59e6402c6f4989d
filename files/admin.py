from django.contrib import admin

from files.models import CaseFile


@admin.register(CaseFile)
class CaseFileAdmin(admin.ModelAdmin):
    """Read-only: files change through the app's services (which keep the timeline and audit)."""

    list_display = ("original_name", "case", "kind", "size", "state", "uploaded_by", "created_at")
    list_filter = ("state", "kind")
    search_fields = ("original_name", "case__number")
    list_select_related = ("case", "uploaded_by")
    readonly_fields = [f.name for f in CaseFile._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
