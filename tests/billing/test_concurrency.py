"""Concurrency against PostgreSQL: 8 shipments at once get distinct, gap-free invoice numbers; two
managers paying the same invoice at once never over-allocate (the practice row lock)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from billing import services
from billing.models import Invoice, Payment
from billing.services import AllocationInput
from cases.models import Status
from cases.services import transition_case
from tests.billing.helpers import shipped_case
from tests.cases.test_case_concurrency import run_in_threads
from tests.factories import CaseFactory, CaseItemFactory, DentistFactory, ManagerFactory, PracticeFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and connections"),
]


def test_eight_concurrent_shipments_get_numbers_that_never_repeat_or_skip():
    manager = ManagerFactory()
    practices = [PracticeFactory() for _ in range(2)]
    cases = []
    for index in range(8):
        practice = practices[index % 2]
        case = CaseFactory(status=Status.QUALITY_CHECK, practice=practice, dentist=DentistFactory(practice=practice))
        CaseItemFactory(case=case, unit_price=Decimal("10.00"))
        cases.append(case)
    results = run_in_threads(8, lambda i: transition_case(case=cases[i], to=Status.SHIPPED, actor=manager).pk)
    assert all(isinstance(r, int) for r in results), results
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    tails = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert len(set(numbers)) == 8
    assert tails == list(range(tails[0], tails[0] + 8))


def test_two_managers_paying_the_same_invoice_at_once_never_over_allocate():
    practice = PracticeFactory()
    invoice = shipped_case(practice).invoice
    managers = [ManagerFactory(), ManagerFactory()]
    today = datetime.date.today()

    def pay(index):
        return services.record_payment(
            practice=practice,
            amount="80",
            received_on=today,
            method="transfer",
            allocations=[AllocationInput(invoice=invoice.pk, amount="80")],
            actor=managers[index],
        )

    results = run_in_threads(2, pay)
    succeeded = [r for r in results if isinstance(r, Payment)]
    assert len(succeeded) == 1, results
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("80.00") and invoice.balance == Decimal("20.00")


def test_two_unallocated_payments_at_once_split_the_invoice_without_overpaying_it():
    practice = PracticeFactory()
    invoice = shipped_case(practice).invoice
    manager = ManagerFactory()
    today = datetime.date.today()
    run_in_threads(
        2,
        lambda i: services.record_payment(
            practice=practice, amount="80", received_on=today, method="cash", actor=manager
        ),
    )
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("100.00")
    assert services.practice_credit(practice.pk) == Decimal("60.00")
