"""Managers and admins edit accounts: roles, practices, deactivation (never deletion)."""

import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.audit import AuditAction, AuditEvent
from accounts.models import Role, User
from tests.factories import TEST_PASSWORD, AdminFactory, DentistFactory, ManagerFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = ManagerFactory()
    client.force_login(user)
    return user


def edit(client, user, **changes):
    data = {
        "name": user.name,
        "email": user.email,
        "role": user.role,
        "practice": user.practice_id or "",
        **changes,
    }
    return client.post(f"/users/{user.pk}/", data)


def test_the_list_shows_everyone_with_role_practice_and_status(client, manager):
    dentist = DentistFactory(name="Dr. Listed", practice__name="Listed Dental")
    TechnicianFactory(name="Gone Tech", is_active=False)
    page = client.get("/users/").content.decode()
    assert "Dr. Listed" in page and "Listed Dental" in page and dentist.email in page
    assert "Deactivated" in page


def test_the_list_filters_by_role_practice_status_and_search(client, manager):
    dentist = DentistFactory(name="Dr. Filter")
    TechnicianFactory(name="Tech Filter")
    TechnicianFactory(name="Old Tech", is_active=False)

    def names(query):
        return [row["user"].name for row in client.get(f"/users/?{query}").context["rows"]]

    assert names("role=dentist") == ["Dr. Filter"]
    assert names(f"practice={dentist.practice_id}") == ["Dr. Filter"]
    assert names("q=filter") == ["Dr. Filter", "Tech Filter"]
    assert names("status=inactive") == ["Old Tech"]


def test_the_list_needs_a_bounded_number_of_queries(client, manager, django_assert_max_num_queries):
    DentistFactory.create_batch(10)
    with django_assert_max_num_queries(8):
        client.get("/users/")


def test_changing_a_role_is_audited_with_from_and_to(client, manager):
    tech = TechnicianFactory()
    response = edit(client, tech, role=Role.MANAGER)
    assert response.status_code == 302
    tech.refresh_from_db()
    assert tech.role == Role.MANAGER
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert (event.actor, event.object_id, event.detail) == (
        manager,
        str(tech.pk),
        {"from": "technician", "to": "manager"},
    )


def test_turning_a_dentist_into_lab_staff_clears_the_practice(client, manager):
    dentist = DentistFactory()
    edit(client, dentist, role=Role.TECHNICIAN)
    dentist.refresh_from_db()
    assert (dentist.role, dentist.practice) == (Role.TECHNICIAN, None)


def test_a_name_change_is_audited_as_a_change(client, manager):
    tech = TechnicianFactory(name="Old Name")
    edit(client, tech, name="New Name")
    assert AuditEvent.objects.get(action=AuditAction.USER_CHANGED).detail == {"fields": ["name"]}
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).exists()


def test_nobody_changes_their_own_role(client, manager):
    edit(client, manager, role=Role.TECHNICIAN)
    manager.refresh_from_db()
    assert manager.role == Role.MANAGER
    assert b"You cannot change your own role." in client.get(f"/users/{manager.pk}/").content


def test_a_manager_cannot_promote_anyone_to_admin(client, manager):
    tech = TechnicianFactory()
    response = edit(client, tech, role=Role.ADMIN)
    assert "role" in response.context["form"].errors
    tech.refresh_from_db()
    assert tech.role == Role.TECHNICIAN


def test_an_admin_can_demote_an_admin_who_loses_django_admin(client):
    client.force_login(AdminFactory())
    other = AdminFactory()
    edit(client, other, role=Role.MANAGER)
    other.refresh_from_db()
    assert (other.role, other.is_staff, other.is_superuser) == (Role.MANAGER, False, False)


def test_deactivating_ends_sign_in_sessions_and_api_tokens(client, manager):
    tech = TechnicianFactory(email="leaving@lab.test")
    refresh = RefreshToken.for_user(tech)
    response = client.post(f"/users/{tech.pk}/deactivate/")
    assert response.status_code == 302
    tech.refresh_from_db()
    assert not tech.is_active and User.objects.filter(pk=tech.pk).exists()
    assert BlacklistedToken.objects.filter(token__jti=refresh["jti"]).exists()
    assert AuditEvent.objects.filter(action=AuditAction.USER_DEACTIVATED, object_id=str(tech.pk)).exists()
    client.logout()
    assert client.post("/login/", {"username": "leaving@lab.test", "password": TEST_PASSWORD}).status_code == 200


def test_a_deactivated_users_open_session_stops_working(client):
    tech = TechnicianFactory()
    client.force_login(tech)
    tech.is_active = False
    tech.save()
    assert client.get("/").status_code == 302


def test_reactivating_lets_them_sign_in_again(client, manager):
    tech = TechnicianFactory(email="back@lab.test", is_active=False)
    client.post(f"/users/{tech.pk}/reactivate/")
    client.logout()
    assert client.post("/login/", {"username": "back@lab.test", "password": TEST_PASSWORD}).status_code == 302


def test_nobody_deactivates_themselves(client, manager):
    assert client.post(f"/users/{manager.pk}/deactivate/").status_code == 403
    manager.refresh_from_db()
    assert manager.is_active


def test_users_are_never_deleted_in_django_admin(client):
    client.force_login(AdminFactory())
    tech = TechnicianFactory()
    assert client.get(f"/admin/accounts/user/{tech.pk}/delete/").status_code == 403
