"""Admins read the audit log: in the app and in Django admin; the database refuses edits."""

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.audit import AuditAction, AuditEvent, AuditOutcome, record
from tests.factories import TEST_PASSWORD, AdminFactory, ManagerFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


def test_a_sign_in_is_recorded_with_who_when_and_ip(client):
    user = TechnicianFactory(email="tech@lab.test")
    client.post("/login/", {"username": "tech@lab.test", "password": TEST_PASSWORD}, REMOTE_ADDR="203.0.113.4")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert (event.actor, event.ip_address, event.outcome) == (user, "203.0.113.4", AuditOutcome.SUCCESS)
    assert event.created_at is not None


def test_a_failed_sign_in_is_recorded_against_the_account(client):
    user = TechnicianFactory(email="tech@lab.test")
    client.post("/login/", {"username": "TECH@lab.test", "password": "nope"})
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (event.actor, event.actor_email, event.outcome) == (user, "tech@lab.test", AuditOutcome.FAILURE)


def test_signing_out_is_recorded(client):
    user = TechnicianFactory()
    client.force_login(user)
    client.post("/logout/")
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=user).exists()


def test_admins_see_the_log_and_can_filter_it(client):
    client.force_login(AdminFactory())
    record(AuditAction.LOGIN_FAILED, actor_email="someone@x.test", outcome=AuditOutcome.FAILURE)
    record(AuditAction.PRACTICE_CHANGED, actor_email="other@x.test")
    page = client.get("/audit/?action=auth.login_failed")
    assert page.status_code == 200
    assert [event.actor_email for event in page.context["page"]] == ["someone@x.test"]
    assert b"Failed sign-in" in page.content


def test_managers_do_not_see_the_log(client):
    client.force_login(ManagerFactory())
    assert client.get("/audit/").status_code == 403


@pytest.mark.postgres  # the trigger is PostgreSQL's
def test_the_database_refuses_to_change_or_delete_audit_rows():
    event = record(AuditAction.LOGIN_FAILED, actor_email="who@x.test", outcome=AuditOutcome.FAILURE)
    for sql in (
        "UPDATE accounts_auditevent SET outcome = 'success' WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).outcome == AuditOutcome.FAILURE


def test_only_admins_reach_django_admin(client):
    client.force_login(ManagerFactory())
    assert client.get("/admin/").status_code == 302
    client.force_login(AdminFactory())
    assert client.get("/admin/accounts/auditevent/").status_code == 200


def test_django_admin_sends_visitors_to_the_app_sign_in_page(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get(response["Location"])["Location"].startswith("/login/?next=")


def test_the_log_needs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    admin = AdminFactory()
    client.force_login(admin)
    for _ in range(20):
        record(AuditAction.CASE_VIEWED, actor=admin, case_id=1)
    with django_assert_max_num_queries(6):
        client.get("/audit/")


def test_role_changes_and_deactivations_in_django_admin_are_audited(client):
    admin = AdminFactory()
    client.force_login(admin)
    tech = TechnicianFactory(name="Tess Tech")
    response = client.post(
        f"/admin/accounts/user/{tech.pk}/change/",
        {
            "email": tech.email,
            "name": "Tess Tech",
            "role": "manager",
            "practice": "",
            "is_active": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    role_change = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert (role_change.actor, role_change.detail) == (admin, {"from": "technician", "to": "manager"})
    assert AuditEvent.objects.filter(action=AuditAction.USER_DEACTIVATED, object_id=str(tech.pk)).exists()


def test_a_password_set_in_django_admin_is_audited(client):
    admin = AdminFactory()
    client.force_login(admin)
    tech = TechnicianFactory()
    response = client.post(
        f"/admin/accounts/user/{tech.pk}/password/",
        {"password1": "a fresh long password", "password2": "a fresh long password", "usable_password": "true"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert (event.actor, event.object_id) == (admin, str(tech.pk))
