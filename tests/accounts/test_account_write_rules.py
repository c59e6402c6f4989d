"""Account writes check the policy in the service, so the pages, Django admin and any command
agree (issue 10): before, only the views checked."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import services
from accounts.audit import AuditAction, AuditEvent
from accounts.models import Role, User
from tests.factories import AdminFactory, ManagerFactory, PracticeFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


def test_a_technician_cannot_invite_anyone_through_the_service():
    with pytest.raises(PermissionDenied):
        services.invite_user(actor=TechnicianFactory(), email="x@lab.test", name="X", role=Role.TECHNICIAN)
    assert not User.objects.filter(email="x@lab.test").exists()


def test_a_manager_cannot_create_an_admin_through_the_service():
    with pytest.raises(PermissionDenied):
        services.invite_user(actor=ManagerFactory(), email="boss@lab.test", name="Boss", role=Role.ADMIN)
    assert not User.objects.filter(email="boss@lab.test").exists()


def test_a_manager_cannot_edit_or_deactivate_an_admin_through_the_service():
    manager, admin = ManagerFactory(), AdminFactory()
    with pytest.raises(PermissionDenied):
        services.update_user(actor=manager, user=admin, changed={"name": ("A", "B")})
    with pytest.raises(PermissionDenied):
        services.deactivate_user(actor=manager, user=admin)
    admin.refresh_from_db()
    assert admin.is_active


def test_nobody_changes_their_own_role_or_deactivates_themselves():
    manager = ManagerFactory()
    with pytest.raises(PermissionDenied):
        services.update_user(actor=manager, user=manager, changed={"role": (Role.MANAGER, Role.TECHNICIAN)})
    with pytest.raises(PermissionDenied):
        services.deactivate_user(actor=manager, user=manager)


def test_a_technician_cannot_save_a_practice():
    practice = PracticeFactory.build()
    with pytest.raises(PermissionDenied):
        services.save_practice(practice=practice, actor=TechnicianFactory())
    assert practice.pk is None


@pytest.mark.parametrize("via", ["", "reset", "invitation", "django_admin"])
def test_every_new_password_ends_api_sessions_and_is_audited_once(via):
    user = TechnicianFactory()
    refresh = RefreshToken.for_user(user)
    services.password_changed(user=user, via=via)
    assert BlacklistedToken.objects.filter(token__jti=refresh["jti"]).exists()
    action = AuditAction.PASSWORD_RESET if via in ("reset", "invitation") else AuditAction.PASSWORD_CHANGED
    assert AuditEvent.objects.filter(action=action, object_id=str(user.pk)).count() == 1
