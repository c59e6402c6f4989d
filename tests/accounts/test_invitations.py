"""Managers invite users; the invitee sets a password from the emailed link."""

import re

import pytest
from django.core import mail

from accounts.audit import AuditAction, AuditEvent
from accounts.models import Role, User
from tests.factories import AdminFactory, ManagerFactory, PracticeFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough password"


@pytest.fixture
def manager(client):
    user = ManagerFactory(name="Morgan Manager")
    client.force_login(user)
    return user


def invite(client, **data):
    return client.post("/users/invite/", data)


def invite_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/welcome/\S+/)", message.body).group(1)


def test_a_manager_invites_a_dentist_who_gets_an_email_with_a_link(
    client, manager, django_capture_on_commit_callbacks, run_tasks
):
    practice = PracticeFactory(name="Bright Smile Dental")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, name="Dr. Ada", email="Ada@Bright.test", role="dentist", practice=practice.pk)
    assert response.status_code == 302 and response["Location"] == "/users/"
    user = User.objects.get(email="ada@bright.test")
    assert (user.role, user.practice, user.has_usable_password(), user.is_active) == (
        Role.DENTIST,
        practice,
        False,
        True,
    )
    run_tasks()
    message = mail.outbox[0]
    assert message.to == ["ada@bright.test"]
    assert message.subject == "Morgan Manager invited you to DentalLab"
    assert "Dentist, Bright Smile Dental" in message.body
    assert AuditEvent.objects.filter(action=AuditAction.USER_INVITED, actor=manager, object_id=str(user.pk)).exists()


def test_the_link_lets_the_invitee_choose_a_password_once(
    client, manager, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, name="Tom Tech", email="tom@lab.test", role="technician")
    client.logout()
    run_tasks()
    path = invite_path(mail.outbox[0])
    form_page = client.get(path, follow=True)
    assert b"Welcome to DentalLab" in form_page.content and b"tom@lab.test" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True
    )
    assert done.redirect_chain[-1][0] == "/login/"
    assert b"Your password is set" in done.content
    assert client.post("/login/", {"username": "tom@lab.test", "password": PASSWORD}).status_code == 302
    client.logout()
    assert b"This invitation no longer works" in client.get(path, follow=True).content


def test_a_dentist_needs_a_practice(client, manager):
    response = invite(client, name="Dr. No", email="no@x.test", role="dentist")
    assert response.status_code == 200
    assert response.context["form"].errors == {"practice": ["Choose the dentist's practice."]}
    assert b"Choose the dentist&#x27;s practice." in response.content


def test_lab_staff_never_get_a_practice(client, manager):
    invite(client, name="Tina Tech", email="tina@lab.test", role="technician", practice=PracticeFactory().pk)
    assert User.objects.get(email="tina@lab.test").practice is None


def test_an_email_already_in_use_is_refused_whatever_its_case(client, manager):
    response = invite(client, name="Twin", email=manager.email.upper(), role="technician")
    assert response.context["form"].errors == {"email": ["An account with this email already exists."]}


def test_a_manager_cannot_invite_an_admin(client, manager):
    response = invite(client, name="Sneaky", email="sneaky@lab.test", role="admin")
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(email="sneaky@lab.test").exists()
    assert b'value="admin"' not in client.get("/users/invite/").content


def test_an_admin_can_invite_an_admin_who_gets_django_admin(client, django_capture_on_commit_callbacks, run_tasks):
    client.force_login(AdminFactory())
    invite(client, name="Second Admin", email="admin2@lab.test", role="admin")
    user = User.objects.get(email="admin2@lab.test")
    assert user.is_staff and user.is_superuser


def test_a_new_invitation_replaces_the_old_link(client, manager, django_capture_on_commit_callbacks, run_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, name="Tom Tech", email="tom@lab.test", role="technician")
    user = User.objects.get(email="tom@lab.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/users/{user.pk}/resend-invite/")
    assert response.status_code == 302
    run_tasks()
    old, new = invite_path(mail.outbox[0]), invite_path(mail.outbox[1])
    client.logout()
    assert b"This invitation no longer works" in client.get(old, follow=True).content
    assert b"Welcome to DentalLab" in client.get(new, follow=True).content


def test_the_invite_form_can_be_prefilled_from_a_practice_page(client, manager):
    practice = PracticeFactory()
    form = client.get(f"/users/invite/?role=dentist&practice={practice.pk}").context["form"]
    assert form.initial == {"role": "dentist", "practice": str(practice.pk)}
