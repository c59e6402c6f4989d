"""A remake is a new case moved through the lifecycle like any other (issue 10, defect 2)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.models import Case, EventKind, Status, TimelineEvent
from cases.services import create_remake
from tests.factories import CaseFactory, CaseItemFactory, DentistFactory, ManagerFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered():
    case = CaseFactory(status=Status.DELIVERED, shade="A2", instructions="Light contacts")
    CaseItemFactory(case=case, teeth=[11, 12], unit_price=Decimal("179.00"), quantity=2)
    return case


def _status_moves(case):
    return list(
        TimelineEvent.objects.filter(case=case, kind=EventKind.STATUS)
        .order_by("created_at", "id")
        .values_list("from_status", "to_status")
    )


def test_a_managers_remake_is_created_as_a_draft_then_submitted_and_received(delivered):
    manager = ManagerFactory()
    remake = create_remake(original=delivered, actor=manager, reason="Open margin on 11", responsibility="lab")
    assert remake.status == Status.RECEIVED
    assert _status_moves(remake) == [(Status.DRAFT, Status.SUBMITTED), (Status.SUBMITTED, Status.RECEIVED)]
    assert TimelineEvent.objects.filter(case=remake, kind=EventKind.CREATED, to_status=Status.DRAFT).exists()
    assert remake.received_at is not None and remake.due_date is not None
    assert remake.remake_of == delivered and remake.remake_responsibility == "lab"
    item = remake.items.get()
    assert (item.teeth, item.quantity, item.unit_price) == ([11, 12], 2, Decimal("179.00"))


def test_a_dentists_remake_is_submitted_for_the_lab_to_receive(delivered):
    remake = create_remake(original=delivered, actor=delivered.dentist, reason="Shade too dark")
    assert remake.status == Status.SUBMITTED
    assert _status_moves(remake) == [(Status.DRAFT, Status.SUBMITTED)]
    assert remake.due_date is None and remake.remake_responsibility == ""


def test_the_remake_keeps_a_product_the_price_list_no_longer_offers(delivered):
    item = delivered.items.get()
    item.product.active = False
    item.product.save()
    remake = create_remake(original=delivered, actor=ManagerFactory(), reason="Fit", responsibility="shared")
    assert remake.items.get().product == item.product


def test_technicians_and_other_practices_may_not_remake(delivered):
    with pytest.raises(PermissionDenied):
        create_remake(original=delivered, actor=TechnicianFactory(), reason="Fit", responsibility="lab")
    with pytest.raises(PermissionDenied):
        create_remake(original=delivered, actor=DentistFactory(), reason="Fit")
    assert not Case.objects.filter(remake_of=delivered).exists()


def test_the_lab_must_say_whose_responsibility_a_remake_is(delivered):
    with pytest.raises(ValidationError) as error:
        create_remake(original=delivered, actor=ManagerFactory(), reason="Fit")
    assert "remake_responsibility" in error.value.message_dict
    with pytest.raises(ValidationError):
        create_remake(original=delivered, actor=ManagerFactory(), reason="Fit", responsibility="nobody")
    assert not Case.objects.filter(remake_of=delivered).exists()


def test_the_remake_form_asks_the_lab_for_responsibility(client, delivered):
    client.force_login(ManagerFactory())
    response = client.post(
        reverse("cases:remake", args=[delivered.pk]), {"reason": "Open margin", "responsibility": "practice"}
    )
    remake = Case.objects.get(remake_of=delivered)
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[remake.pk])
    assert remake.remake_responsibility == "practice"
