import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.audit import AuditAction, AuditEvent
from tests.factories import TEST_PASSWORD, TechnicianFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long password"


@pytest.fixture
def tech(client):
    user = TechnicianFactory()
    client.force_login(user)
    return user


def change(client, old=TEST_PASSWORD, new1=NEW_PASSWORD, new2=NEW_PASSWORD):
    return client.post(
        "/password/change/", {"old_password": old, "new_password1": new1, "new_password2": new2}, follow=True
    )


def test_it_shows_the_form(client, tech):
    response = client.get("/password/change/")
    assert response.status_code == 200
    assert b'name="old_password"' in response.content and b"Change password" in response.content


def test_a_wrong_current_password_is_reported_next_to_its_field(client, tech):
    response = change(client, old="nope")
    assert "old_password" in response.context["form"].errors
    assert b"invalid-feedback" in response.content


def test_weak_passwords_are_refused_by_the_validators(client, tech):
    response = change(client, new1="12345678", new2="12345678")
    errors = response.context["form"].errors["new_password2"]
    assert any("too short" in error for error in errors) and any("entirely numeric" in error for error in errors)


def test_a_good_change_keeps_the_session_revokes_api_tokens_and_is_audited(client, tech):
    refresh = RefreshToken.for_user(tech)
    response = change(client)
    assert response.redirect_chain[-1][0] == "/"
    assert b"Your password has been changed." in response.content
    tech.refresh_from_db()
    assert tech.check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200  # still signed in here
    assert BlacklistedToken.objects.filter(token__jti=refresh["jti"]).exists()
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, actor=tech).exists()
