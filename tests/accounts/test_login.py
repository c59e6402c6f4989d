import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD, DentistFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


def test_it_shows_the_sign_in_form(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert b'name="username"' in response.content and b'type="email"' in response.content
    assert b"Sign in to DentalLab" in response.content


def test_pages_redirect_anonymous_users_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_it_signs_in_with_email_in_any_case_and_lands_on_the_dashboard(client):
    user = DentistFactory(email="dr.who@practice.test", name="Dr. Who")
    response = client.post("/login/", {"username": "Dr.Who@Practice.test", "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert response.context["user"] == user
    assert b"Dr. Who" in response.content
    assert user.practice.name.encode() in response.content


def test_a_wrong_password_is_refused_with_a_clear_message(client):
    TechnicianFactory(email="tech@lab.test")
    response = client.post("/login/", {"username": "tech@lab.test", "password": "nope"})
    assert response.status_code == 200
    assert "That email and password do not match an active account." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_invalid_email_is_reported_next_to_the_field(client):
    response = client.post("/login/", {"username": "not-an-email", "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["Enter a valid email address."]
    assert b'class="invalid-feedback d-block"' in response.content


def test_inactive_users_cannot_sign_in(client):
    TechnicianFactory(email="gone@lab.test", is_active=False)
    response = client.post("/login/", {"username": "gone@lab.test", "password": TEST_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_without_remember_me_the_session_ends_with_the_browser(client):
    TechnicianFactory(email="tech@lab.test")
    client.post("/login/", {"username": "tech@lab.test", "password": TEST_PASSWORD})
    assert client.session.get_expire_at_browser_close()


def test_with_remember_me_the_session_lasts_thirty_days(client):
    TechnicianFactory(email="tech@lab.test")
    client.post("/login/", {"username": "tech@lab.test", "password": TEST_PASSWORD, "remember_me": "on"})
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 30 * 24 * 3600


def test_sign_out_is_a_post(client):
    client.force_login(TechnicianFactory())
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_login_page_refuses_to_be_framed(client):
    assert client.get("/login/")["X-Frame-Options"] == "DENY"
