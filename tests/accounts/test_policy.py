"""The access rules themselves (accounts/policy.py), role by role."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import policy
from accounts.models import Practice, Role, User
from tests.factories import AdminFactory, DentistFactory, ManagerFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "admin": AdminFactory(),
        "manager": ManagerFactory(),
        "technician": TechnicianFactory(),
        "dentist": DentistFactory(),
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize(
    ("check", "allowed"),
    [
        (policy.is_lab_staff, {"admin", "manager", "technician"}),
        (policy.can_manage_lab, {"admin", "manager"}),
        (policy.can_see_prices, {"admin", "manager", "dentist"}),
        (policy.can_use_django_admin, {"admin"}),
        (policy.can_view_audit_log, {"admin"}),
    ],
)
def test_each_role_has_exactly_its_rights(people, check, allowed):
    assert {role for role, person in people.items() if check(person)} == allowed


def test_deactivated_people_have_no_rights(people):
    manager = people["manager"]
    manager.is_active = False
    assert not policy.can_manage_lab(manager) and not policy.is_lab_staff(manager)


def test_only_admins_give_the_admin_role(people):
    assert Role.ADMIN in policy.assignable_roles(people["admin"])
    assert policy.assignable_roles(people["manager"]) == [Role.MANAGER, Role.TECHNICIAN, Role.DENTIST]
    assert policy.assignable_roles(people["technician"]) == []


def test_managers_manage_everyone_but_admins(people):
    manager = people["manager"]
    assert policy.can_edit_user(manager, people["technician"])
    assert policy.can_edit_user(manager, people["dentist"])
    assert not policy.can_edit_user(manager, people["admin"])
    assert policy.can_edit_user(people["admin"], people["admin"])


def test_nobody_deactivates_or_re_roles_themselves(people):
    admin = people["admin"]
    assert not policy.can_deactivate_user(admin, admin)
    assert not policy.can_change_role_of(admin, admin)
    assert policy.can_deactivate_user(admin, people["manager"])


def test_role_decides_django_admin_flags():
    user = TechnicianFactory(is_superuser=True)
    assert not user.is_superuser and not user.is_staff
    user.role = Role.ADMIN
    user.save()
    assert user.is_superuser and user.is_staff


def test_dentists_see_only_their_own_practice_and_staff_see_all(people):
    dentist = people["dentist"]
    DentistFactory()  # another practice
    assert list(Practice.objects.visible_to(dentist)) == [dentist.practice]
    assert Practice.objects.visible_to(people["technician"]).count() == 2
    assert not Practice.objects.visible_to(people["anonymous"]).exists()


def test_an_inactive_dentist_sees_no_practice_at_all(people):
    dentist = people["dentist"]
    dentist.is_active = False
    assert not Practice.objects.visible_to(dentist).exists()


def test_a_dentist_sees_only_the_dentists_of_their_own_practice(people):
    dentist = people["dentist"]
    colleague = DentistFactory(practice=dentist.practice)
    stranger = DentistFactory()
    visible = set(User.objects.visible_to(dentist))
    assert visible == {dentist, colleague}
    assert stranger in set(User.objects.visible_to(people["manager"]))
