from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.decorators import login_required

from accounts import services
from accounts.audit import AuditAction, AuditEvent, record
from accounts.forms import AdminUserAddForm, AdminUserEditForm
from accounts.models import Practice, User

# One sign-in page for everyone (lockout, audit, remember-me): Django admin sends visitors there.
admin.site.login = login_required(admin.site.login)


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "account_number", "phone", "email", "active"]
    list_filter = ["active"]
    search_fields = ["name", "account_number", "email"]

    def save_model(self, request, obj, form, change):
        services.save_practice(practice=obj, actor=request.user, request=request)


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
        # Django admin rights follow the role (User.save): no is_superuser, groups or permissions here.
        ("Access", {"fields": ["is_active"]}),
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

    def save_model(self, request, obj, form, change):
        if change:
            changed = {name: (form.initial.get(name), form.cleaned_data.get(name)) for name in form.changed_data}
            services.update_user(actor=request.user, user=obj, changed=changed, request=request)
            return
        super().save_model(request, obj, form, change)
        if not change:
            record(AuditAction.USER_INVITED, request=request, obj=obj, detail={"via": "django_admin", "role": obj.role})

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            services.password_changed(user=User.objects.get(pk=id), request=request, via="django_admin")
        return response


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
