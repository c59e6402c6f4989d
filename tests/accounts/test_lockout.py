"""Brute-force protection: 5 failures for one account within 15 minutes lock it for 15 minutes,
on the sign-in page and the token endpoint alike; success resets the count; managers unlock."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from freezegun import freeze_time

from accounts import lockout
from accounts.audit import AuditAction, AuditEvent
from tests.factories import TEST_PASSWORD, ManagerFactory, TechnicianFactory

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "Too many failed sign-in attempts. This account is locked for 15 minutes."


def sign_in(client, email, password, **extra):
    return client.post("/login/", {"username": email, "password": password}, **extra)


def token(client, email, password, **extra):
    return client.post(
        "/api/auth/token/", {"email": email, "password": password}, content_type="application/json", **extra
    )


def fail(client, email, times, via=sign_in):
    return [via(client, email, "wrong password").status_code for _ in range(times)]


@pytest.fixture
def tech():
    return TechnicianFactory(email="tech@lab.test")


def test_four_failures_still_allow_the_right_password(client, tech):
    assert fail(client, "tech@lab.test", 4) == [200, 200, 200, 200]
    assert sign_in(client, "tech@lab.test", TEST_PASSWORD).status_code == 302


def test_the_fifth_failure_locks_the_account_with_a_message_on_the_form(client, tech):
    fail(client, "tech@lab.test", 4)
    response = sign_in(client, "tech@lab.test", "wrong password")
    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert b"Sign in to DentalLab" in response.content  # the page, not a bare error


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, tech):
    fail(client, "tech@lab.test", 5)
    response = sign_in(client, "tech@lab.test", TEST_PASSWORD)
    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_token_endpoint_answers_429_with_a_message_once_locked(client, tech):
    assert fail(client, "tech@lab.test", 4, via=token) == [401, 401, 401, 401]
    fifth = token(client, "tech@lab.test", "wrong password")
    assert fifth.status_code == 429
    sixth = token(client, "tech@lab.test", TEST_PASSWORD)
    assert sixth.status_code == 429
    assert sixth.json()["code"] == "locked_out"
    assert sixth.json()["detail"].startswith(LOCKED_MESSAGE)
    assert sixth["Retry-After"] == "900"
    assert "access" not in sixth.json()


def test_failures_count_per_account_across_the_page_and_the_api_and_any_letter_case(client, tech):
    fail(client, "TECH@lab.test", 2)
    fail(client, "tech@LAB.test", 2, via=token)
    assert sign_in(client, "Tech@Lab.Test", "wrong password").status_code == 429
    assert token(client, "tech@lab.test", TEST_PASSWORD).status_code == 429


def test_changing_ip_address_or_browser_does_not_reset_the_count(client, tech):
    for n in range(5):
        sign_in(client, "tech@lab.test", "wrong", REMOTE_ADDR=f"198.51.100.{n}", HTTP_USER_AGENT=f"agent {n}")
    assert sign_in(client, "tech@lab.test", TEST_PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 429


def test_other_accounts_are_not_affected(client, tech):
    TechnicianFactory(email="other@lab.test")
    fail(client, "tech@lab.test", 5)
    assert sign_in(client, "other@lab.test", TEST_PASSWORD).status_code == 302


def test_the_lock_ends_after_fifteen_minutes_and_attempts_meanwhile_do_not_extend_it(client, tech):
    with freeze_time("2026-03-02 09:00:00") as clock:
        fail(client, "tech@lab.test", 5)
        clock.tick(timedelta(minutes=10))
        assert sign_in(client, "tech@lab.test", TEST_PASSWORD).status_code == 429
        clock.tick(timedelta(minutes=5, seconds=1))
        assert sign_in(client, "tech@lab.test", TEST_PASSWORD).status_code == 302


def test_failures_older_than_fifteen_minutes_are_forgotten(client, tech):
    with freeze_time("2026-03-02 09:00:00") as clock:
        fail(client, "tech@lab.test", 4)
        clock.tick(timedelta(minutes=16))
        fail(client, "tech@lab.test", 1)
        assert sign_in(client, "tech@lab.test", TEST_PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, tech):
    fail(client, "tech@lab.test", 4)
    assert sign_in(client, "tech@lab.test", TEST_PASSWORD).status_code == 302
    client.post("/logout/")
    assert fail(client, "tech@lab.test", 4) == [200, 200, 200, 200]
    assert sign_in(client, "tech@lab.test", TEST_PASSWORD).status_code == 302


def test_a_successful_token_request_resets_the_count(client, tech):
    fail(client, "tech@lab.test", 4, via=token)
    assert token(client, "tech@lab.test", TEST_PASSWORD).status_code == 200
    assert not AccessAttempt.objects.filter(username="tech@lab.test").exists()


def test_the_user_list_shows_the_lock_and_a_manager_unlocks_it(client, tech):
    fail(client, "tech@lab.test", 5)
    manager = ManagerFactory()
    client.force_login(manager)
    page = client.get("/users/").content.decode()
    assert "Locked" in page and f"/users/{tech.pk}/unlock/" in page
    response = client.post(f"/users/{tech.pk}/unlock/", {"next": "list"})
    assert response.status_code == 302 and response["Location"] == "/users/"
    assert not lockout.is_locked_out("tech@lab.test")
    client.post("/logout/")
    assert sign_in(client, "tech@lab.test", TEST_PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.USER_UNLOCKED)
    assert (event.actor, event.object_id) == (manager, str(tech.pk))


def test_lockouts_are_audited(client, tech):
    fail(client, "tech@lab.test", 5, via=lambda c, e, p: sign_in(c, e, p, REMOTE_ADDR="203.0.113.77"))
    locked = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).get()
    assert (locked.actor, locked.ip_address, locked.outcome) == (tech, "203.0.113.77", "denied")
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, actor=tech).count() == 5


def test_the_lock_follows_the_client_address_behind_trusted_proxies(client, tech, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    sign_in(client, "tech@lab.test", "wrong", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.23")
    assert AccessAttempt.objects.get().ip_address == "198.51.100.23"


def test_lockout_state_lives_in_the_database_not_in_process_memory():
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert "LocMem" not in settings.CACHES["default"]["BACKEND"]
