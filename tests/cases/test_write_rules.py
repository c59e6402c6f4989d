"""Every rule that guards a write lives in the service, so the page and the API agree (issue 10).

Each test here failed before the rule moved into cases.services / cases.policy: the API's PATCH
changed a delivered case that the edit page refused.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.audit import AuditAction, AuditEvent
from cases.exceptions import CaseNotEditable
from cases.models import Case, EventKind, Status, TimelineEvent
from cases.services import ItemInput, add_note, replace_items, update_case
from tests.factories import CaseFactory, CaseItemFactory, DentistFactory, ManagerFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [Status.SHIPPED, Status.DELIVERED, Status.CANCELLED])
@pytest.mark.parametrize("role_factory", [ManagerFactory, TechnicianFactory])
def test_the_api_refuses_to_edit_a_finished_case_as_the_page_does(client, status, role_factory):
    case = CaseFactory(status=status, instructions="As agreed")
    client.force_login(role_factory())
    response = client.patch(
        f"/api/cases/{case.pk}/", {"instructions": "Changed later"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "case_not_editable"
    assert "remake" in response.json()["message"]
    page = client.post(reverse("cases:edit", args=[case.pk]), {"instructions": "Changed later"})
    assert page.status_code == 403
    case.refresh_from_db()
    assert case.instructions == "As agreed"
    assert not TimelineEvent.objects.filter(case=case, kind=EventKind.EDIT).exists()


def test_the_services_refuse_finished_cases_whoever_calls_them():
    case = CaseFactory(status=Status.DELIVERED)
    item = CaseItemFactory(case=case)
    manager = ManagerFactory()
    with pytest.raises(CaseNotEditable):
        update_case(case=case, actor=manager, changes={"instructions": "x"})
    with pytest.raises(CaseNotEditable):
        replace_items(case=case, actor=manager, items=[ItemInput(product=item.product, teeth=[21])])


def test_a_dentist_cannot_edit_after_receipt_through_the_api_either(client):
    case = CaseFactory(status=Status.RECEIVED)
    client.force_login(case.dentist)
    response = client.patch(f"/api/cases/{case.pk}/", {"shade": "A3"}, content_type="application/json")
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.shade == ""


def test_an_internal_note_from_a_dentist_is_refused_by_page_api_and_service_alike(client):
    case = CaseFactory(status=Status.RECEIVED)
    client.force_login(case.dentist)
    api = client.post(
        f"/api/cases/{case.pk}/notes/", {"body": "secret", "internal": True}, content_type="application/json"
    )
    assert api.status_code == 403
    with pytest.raises(PermissionDenied):
        add_note(case=case, actor=case.dentist, body="secret", internal=True)
    assert not TimelineEvent.objects.filter(case=case, kind=EventKind.NOTE).exists()


def test_a_dentist_cannot_assign_a_technician_through_the_page(client):
    case = CaseFactory(status=Status.RECEIVED)
    technician = TechnicianFactory()
    client.force_login(case.dentist)
    response = client.post(reverse("cases:assign", args=[case.pk]), {"technician": technician.pk})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.assigned_technician is None


def test_the_ticket_is_a_read_of_patient_data_and_is_audited(client):
    case = CaseFactory(status=Status.RECEIVED)
    manager = ManagerFactory()
    client.force_login(manager)
    assert client.get(reverse("cases:ticket", args=[case.pk])).status_code == 200
    viewed = AuditEvent.objects.get(action=AuditAction.CASE_VIEWED, case_id=case.pk)
    assert viewed.actor == manager and viewed.detail == {"via": "ticket"}


def test_another_practices_dentist_gets_404_not_403_for_a_finished_case():
    case = CaseFactory(status=Status.DELIVERED)
    stranger = DentistFactory()
    assert not Case.objects.visible_to(stranger).filter(pk=case.pk).exists()
