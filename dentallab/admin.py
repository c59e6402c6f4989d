"""Outgoing e-mails in Django admin: what is pending, retrying or failed, and why; admins can send
a failed one again. Read-only otherwise (the outbox is a record of what was sent). The task rows
themselves are under "Tasks Database Backend › Task results" (django-tasks-db's admin)."""

from django.contrib import admin, messages

from dentallab.mail import retry_email
from dentallab.models import EmailStatus, OutgoingEmail, OutgoingEmailAttachment


class AttachmentInline(admin.TabularInline):
    model = OutgoingEmailAttachment
    fields = ["filename", "mimetype"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipients", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject"]
    ordering = ["-created_at", "-id"]
    readonly_fields = [
        "to",
        "subject",
        "kind",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "from_email",
        "reply_to",
        "text",
        "html",
    ]
    fields = readonly_fields
    inlines = [AttachmentInline]
    actions = ["send_again"]

    @admin.display(description="to")
    def recipients(self, obj):
        return ", ".join(obj.to)

    @admin.action(description="Send the selected e-mails again now")
    def send_again(self, request, queryset):
        queued = sum(retry_email(email) for email in queryset.exclude(status=EmailStatus.SENT))
        self.message_user(request, f"{queued} e-mail(s) queued to send again.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a record: viewed, never edited (the action above still runs)

    def has_delete_permission(self, request, obj=None):
        return False
