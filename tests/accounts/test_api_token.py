"""JWT sign-in for integrations (DESIGN §8): obtain, refresh with rotation, blacklist, expiry."""

from datetime import timedelta

import pytest
from django.conf import settings
from freezegun import freeze_time

from accounts.audit import AuditAction, AuditEvent
from tests.factories import TEST_PASSWORD, DentistFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


def post(client, url, data, **extra):
    return client.post(url, data, content_type="application/json", **extra)


def obtain(client, email, password=TEST_PASSWORD):
    return post(client, "/api/auth/token/", {"email": email, "password": password})


def me(client, access):
    return client.get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {access}")


def test_it_returns_a_token_pair_for_the_right_email_and_password(client):
    user = DentistFactory(email="dr.api@practice.test")
    response = obtain(client, "Dr.API@Practice.test")
    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    assert me(client, response.json()["access"]).json()["email"] == user.email


def test_a_wrong_password_is_a_401_with_a_message(client):
    TechnicianFactory(email="tech@lab.test")
    response = obtain(client, "tech@lab.test", "wrong")
    assert response.status_code == 401
    assert response.json() == {
        "message": "That email and password do not match an active account.",
        "detail": "That email and password do not match an active account.",
        "code": "no_active_account",
        "errors": {},
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_missing_fields_are_reported_per_field(client):
    response = post(client, "/api/auth/token/", {"email": "tech@lab.test"})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {"password": ["This field is required."]}
    assert body["detail"] == "password: This field is required."
    assert body["code"] == "invalid"


def test_inactive_users_cannot_obtain_tokens(client):
    TechnicianFactory(email="gone@lab.test", is_active=False)
    assert obtain(client, "gone@lab.test").status_code == 401


def test_refresh_rotates_the_pair_and_the_used_refresh_token_stops_working(client):
    TechnicianFactory(email="tech@lab.test")
    first = obtain(client, "tech@lab.test").json()
    refreshed = post(client, "/api/auth/token/refresh/", {"refresh": first["refresh"]})
    assert refreshed.status_code == 200
    pair = refreshed.json()
    assert set(pair) == {"access", "refresh"} and pair["refresh"] != first["refresh"]
    assert me(client, pair["access"]).status_code == 200

    reused = post(client, "/api/auth/token/refresh/", {"refresh": first["refresh"]})
    assert reused.status_code == 401
    assert reused.json()["code"] == "token_not_valid"
    assert post(client, "/api/auth/token/refresh/", {"refresh": pair["refresh"]}).status_code == 200


def test_inactive_users_cannot_refresh(client):
    user = TechnicianFactory(email="tech@lab.test")
    refresh = obtain(client, "tech@lab.test").json()["refresh"]
    user.is_active = False
    user.save()
    response = post(client, "/api/auth/token/refresh/", {"refresh": refresh})
    assert response.status_code == 401


def test_an_inactive_users_access_token_is_refused(client):
    user = TechnicianFactory(email="tech@lab.test")
    access = obtain(client, "tech@lab.test").json()["access"]
    user.is_active = False
    user.save()
    assert me(client, access).status_code == 401


def test_logout_blacklists_the_refresh_token(client):
    TechnicianFactory(email="tech@lab.test")
    refresh = obtain(client, "tech@lab.test").json()["refresh"]
    response = post(client, "/api/auth/logout/", {"refresh": refresh})
    assert response.status_code == 200
    assert response.json() == {"detail": "Signed out."}
    assert post(client, "/api/auth/token/refresh/", {"refresh": refresh}).status_code == 401
    assert post(client, "/api/auth/logout/", {"refresh": refresh}).status_code == 401


def test_logout_refuses_garbage_with_a_message(client):
    response = post(client, "/api/auth/logout/", {"refresh": "garbage"})
    assert response.status_code == 401
    assert response.json()["detail"]


def test_access_tokens_last_about_fifteen_minutes(client):
    TechnicianFactory(email="tech@lab.test")
    with freeze_time("2026-03-02 09:00:00") as clock:
        access = obtain(client, "tech@lab.test").json()["access"]
        clock.tick(timedelta(minutes=14))
        assert me(client, access).status_code == 200
        clock.tick(timedelta(minutes=2))
        expired = me(client, access)
    assert expired.status_code == 401
    assert expired.json()["code"] == "token_not_valid"


def test_refresh_tokens_last_thirty_days(client):
    TechnicianFactory(email="tech@lab.test")
    with freeze_time("2026-03-02 09:00:00") as clock:
        refresh = obtain(client, "tech@lab.test").json()["refresh"]
        clock.tick(timedelta(days=29, hours=23))
        still_good = post(client, "/api/auth/token/refresh/", {"refresh": refresh})
        assert still_good.status_code == 200
        clock.tick(timedelta(days=30, minutes=1))
        assert post(client, "/api/auth/token/refresh/", {"refresh": still_good.json()["refresh"]}).status_code == 401


def test_token_lifetimes_are_configured_as_designed():
    assert settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] == timedelta(minutes=15)
    assert settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"] == timedelta(days=30)


def test_issuing_a_token_is_audited_with_the_ip(client):
    user = TechnicianFactory(email="tech@lab.test")
    client.post(
        "/api/auth/token/",
        {"email": "tech@lab.test", "password": TEST_PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="203.0.113.5",
    )
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_ISSUED)
    assert (event.actor, event.ip_address) == (user, "203.0.113.5")


def test_a_failed_token_request_is_audited_with_the_email_as_typed(client):
    obtain(client, "Nobody@Lab.test", "x")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor is None and event.actor_email == "nobody@lab.test"
    assert event.outcome == "failure"
