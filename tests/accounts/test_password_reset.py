import re

import pytest
from django.core import mail

from accounts import lockout
from accounts.audit import AuditAction, AuditEvent
from tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long password"


def reset_link(message) -> str:
    return re.search(r"https?://\S+(/password/reset/\S+/)", message.body).group(1)


def test_it_sends_a_link_on_the_public_site_address(client, settings, run_tasks):
    settings.SITE_URL = "https://lab.example.com"
    TechnicianFactory(email="tech@lab.test", name="Taylor Tech")
    response = client.post("/password/reset/", {"email": "Tech@Lab.test"})
    assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
    assert mail.outbox == []  # queued, not sent in the request
    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tech@lab.test"] and message.subject == "Reset your DentalLab password"
    assert "https://lab.example.com/password/reset/" in message.body and "testserver" not in message.body
    assert "Hello Taylor Tech" in message.body


def test_an_unknown_address_looks_the_same_and_sends_nothing(client, run_tasks):
    response = client.post("/password/reset/", {"email": "nobody@lab.test"})
    assert response.status_code == 302 and response["Location"] == "/password/reset/sent/"
    run_tasks()
    assert mail.outbox == []


def test_the_link_sets_a_new_password_once_and_is_audited(client, run_tasks):
    user = TechnicianFactory(email="tech@lab.test")
    client.post("/password/reset/", {"email": "tech@lab.test"})
    run_tasks()
    link = reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert b"Your password is set" in done.content
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET, actor=user).exists()
    assert b"This link no longer works" in client.get(link, follow=True).content


def test_mismatched_passwords_are_reported_next_to_the_field(client, run_tasks):
    TechnicianFactory(email="tech@lab.test")
    client.post("/password/reset/", {"email": "tech@lab.test"})
    run_tasks()
    form_url = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "something else entirely"})
    assert response.context["form"].errors["new_password2"] == ["The two password fields didn’t match."]


def test_resetting_the_password_lifts_a_lockout(client, run_tasks):
    TechnicianFactory(email="tech@lab.test")
    for _ in range(5):
        client.post("/login/", {"username": "tech@lab.test", "password": "wrong"})
    assert lockout.is_locked_out("tech@lab.test")
    client.post("/password/reset/", {"email": "tech@lab.test"})
    run_tasks()
    form_url = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not lockout.is_locked_out("tech@lab.test")
    assert client.post("/login/", {"username": "tech@lab.test", "password": NEW_PASSWORD}).status_code == 302


def test_the_sign_in_page_links_to_the_reset(client, run_tasks):
    assert b'href="/password/reset/"' in client.get("/login/").content
