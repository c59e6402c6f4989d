from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.decorators import login_required

from accounts.audit import AuditEvent
from accounts.forms import AdminUserAddForm, AdminUserEditForm
from accounts.models import Practice, User

# One sign-in page for everyone (lockout, audit, remember-me): Django admin sends visitors there.
admin.site.login = login_required(admin.site.login)


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "account_number", "phone", "email", "active"]
    list_filter = ["active"]
    search_fields = ["name", "account_number", "email"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = AdminUserEditForm
    add_form = AdminUserAddForm
    ordering = ["email"]
    list_display = ["email", "name", "role", "practice", "is_active", "last_login"]
    list_filter = ["role", "is_active", "practice"]
    search_fields = ["email", "name"]
    list_select_related = ["practice"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "role", "practice"]}),
        ("Access", {"fields": ["is_active", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "name", "role", "practice", "usable_password", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: the audit log points at them.
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Admins read the audit log; nobody edits it."""

    list_display = [
        "created_at",
        "actor_email",
        "action",
        "outcome",
        "object_type",
        "object_id",
        "case_id",
        "ip_address",
    ]
    list_filter = ["action", "outcome"]
    search_fields = ["actor_email", "object_id", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
