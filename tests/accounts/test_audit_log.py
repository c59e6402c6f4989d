import pytest
from django.test import RequestFactory

from accounts.audit import AuditAction, AuditEvent, AuditOutcome, client_ip, record
from tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


def test_it_records_actor_ip_and_user_agent_from_the_request():
    user = TechnicianFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Mozilla/5.0 test")
    request.user = user
    event = record(AuditAction.CASE_VIEWED, request=request, case_id=42)
    event.refresh_from_db()
    assert (event.actor, event.actor_email, event.ip_address, event.user_agent, event.case_id) == (
        user,
        user.email,
        "203.0.113.9",
        "Mozilla/5.0 test",
        42,
    )
    assert event.outcome == AuditOutcome.SUCCESS


def test_events_can_be_neither_changed_nor_deleted():
    event = record(AuditAction.LOGIN_FAILED, actor_email="who@x.test", outcome=AuditOutcome.FAILURE)
    event.outcome = AuditOutcome.SUCCESS
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(outcome=AuditOutcome.SUCCESS)
    assert AuditEvent.objects.get().outcome == AuditOutcome.FAILURE


def test_forwarded_addresses_are_trusted_only_behind_configured_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.2")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "198.51.100.7"
