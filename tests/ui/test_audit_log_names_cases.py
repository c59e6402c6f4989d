"""The audit log names cases by number, links them, and says what changed (issue 15)."""

import pytest
from django.urls import reverse

from accounts.audit import AuditAction, AuditEvent
from cases.services import transition_case
from tests.case_pages import make_lab

pytestmark = pytest.mark.django_db


def test_a_move_is_named_by_case_number_with_a_link_and_from_to(client, django_assert_max_num_queries):
    lab = make_lab()
    transition_case(case=lab.case, to="received", actor=lab.technician)
    client.force_login(lab.admin)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("audit_log")).content.decode()
    link = f'<a href="{reverse("cases:detail", args=[lab.case.pk])}">Case {lab.case.number}</a>'
    assert link in html
    assert "from submitted to received" in html
    assert "cases.case #" not in html


def test_an_edit_says_which_fields_changed(client):
    lab = make_lab()
    event = AuditEvent.objects.create(
        action=AuditAction.CASE_CHANGED,
        case_id=lab.case.pk,
        object_type="cases.case",
        detail={"fields": ["pan_number", "shade"]},
    )
    assert event.pk
    client.force_login(lab.admin)
    html = client.get(reverse("audit_log")).content.decode()
    assert "changed pan number, shade" in html
