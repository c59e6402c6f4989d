"""What templates may ask about the signed-in user: flags from the policy, never role strings."""

from accounts import policy


def permissions(request):
    user = getattr(request, "user", None)
    return {
        "can_manage_lab": policy.can_manage_lab(user),
        "can_see_prices": policy.can_see_prices(user),
        "can_view_audit_log": policy.can_view_audit_log(user),
        "can_use_django_admin": policy.can_use_django_admin(user),
        "is_lab_staff": policy.is_lab_staff(user),
        "is_dentist": policy.is_dentist(user),
        "is_technician": policy.is_technician(user),
    }
