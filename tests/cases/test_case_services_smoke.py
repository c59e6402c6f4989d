"""A first pass over the case services; the full lifecycle table lives in test_lifecycle.py."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases.models import Product, Status
from cases.services import ItemInput, TransitionNotAllowed, create_case, transition_case
from tests.factories import DentistFactory, ManagerFactory

pytestmark = pytest.mark.django_db


def test_a_dentist_creates_and_submits_a_case_that_the_lab_receives():
    dentist = DentistFactory()
    crown = Product.objects.create(code="ZC", name="Zirconia crown", price=Decimal("120.00"), turnaround_days=5)
    case = create_case(
        actor=dentist,
        practice=dentist.practice,
        dentist=dentist,
        patient_name="J.D. #1042",
        items=[ItemInput(product=crown, teeth=["21", 11], shade="a2")],
        submit=True,
    )
    assert case.status == Status.SUBMITTED
    assert case.number.endswith("-00001")
    item = case.items.get()
    assert (item.teeth, item.shade, item.unit_price) == ([11, 21], "A2", Decimal("120.00"))
    case = transition_case(case=case, to=Status.RECEIVED, actor=ManagerFactory())
    assert case.due_date is not None and case.received_at is not None
    assert list(case.events.values_list("kind", flat=True)) == ["status", "status", "created"]
    with pytest.raises(TransitionNotAllowed):
        transition_case(case=case, to=Status.DELIVERED, actor=ManagerFactory())


def test_invalid_teeth_are_refused_with_a_clear_message():
    dentist = DentistFactory()
    crown = Product.objects.create(code="ZC", name="Zirconia crown", price=Decimal("120.00"))
    with pytest.raises(ValidationError) as exc:
        create_case(
            actor=dentist,
            practice=dentist.practice,
            dentist=dentist,
            patient_name="X",
            items=[ItemInput(product=crown, teeth=[19])],
        )
    assert "19 is not a valid FDI tooth number" in str(exc.value)
