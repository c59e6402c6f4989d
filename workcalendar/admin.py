from django.contrib import admin

from workcalendar.models import ClosedDay


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ["date", "reason", "created_by", "created_at"]
    date_hierarchy = "date"
    search_fields = ["reason"]
    readonly_fields = ["created_by", "created_at"]
