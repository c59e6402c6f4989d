import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from billing import services
from billing.models import CreditKind, CreditNote, InvoiceStatus, Payment, PaymentAllocation
from billing.services import AllocationInput
from cases.services import create_remake
from dentallab.exceptions import AppError, Conflict, NotFound
from tests.billing.helpers import shipped_case
from tests.factories import DentistFactory, ManagerFactory, PracticeFactory, TechnicianFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def manager():
    return ManagerFactory()


def test_a_partial_credit_note_lowers_the_balance(manager):
    invoice = shipped_case(PracticeFactory()).invoice
    note = services.issue_credit_note(invoice=invoice, amount="30.00", reason="Shade off", actor=manager)
    invoice.refresh_from_db()
    assert note.number.startswith(f"CN-{note.issued_on.year}-")
    assert invoice.balance == Decimal("70.00")
    assert invoice.status == InvoiceStatus.OPEN


@pytest.mark.parametrize("amount", ["0", "-5", "100.01", "abc", "1.005"])
def test_bad_credit_amounts_are_refused_and_nothing_is_saved(manager, amount):
    invoice = shipped_case(PracticeFactory()).invoice
    with pytest.raises(AppError) as exc:
        services.issue_credit_note(invoice=invoice, amount=amount, reason="x", actor=manager)
    assert exc.value.field == "amount"
    assert not CreditNote.objects.exists()


def test_only_managers_issue_credits():
    invoice = shipped_case(PracticeFactory()).invoice
    for user in (TechnicianFactory(), DentistFactory(practice=invoice.practice)):
        with pytest.raises(PermissionDenied):
            services.issue_credit_note(invoice=invoice, amount="1", reason="x", actor=user)


def test_voiding_is_a_full_credit_note(manager):
    invoice = shipped_case(PracticeFactory()).invoice
    note = services.void_invoice(invoice=invoice, reason="Entered twice", actor=manager)
    invoice.refresh_from_db()
    assert note.kind == CreditKind.VOID and note.amount == Decimal("100.00")
    assert invoice.status == InvoiceStatus.VOID and invoice.balance == 0
    with pytest.raises(Conflict):
        services.void_invoice(invoice=invoice, reason="again", actor=manager)


def test_a_lab_remake_credits_the_original_in_full(manager):
    original = shipped_case(PracticeFactory())
    services.record_payment(practice=original.practice, amount="40", received_on=TODAY, method="card", actor=manager)
    create_remake(original=original, actor=manager, reason="Margin open", responsibility="lab")
    invoice = original.invoice
    invoice.refresh_from_db()
    note = CreditNote.objects.get(invoice=invoice)
    assert note.kind == CreditKind.REMAKE and note.amount == Decimal("100.00")
    assert invoice.status == InvoiceStatus.VOID
    # the 40 paid on it came back as practice credit
    assert services.practice_credit(invoice.practice_id) == Decimal("40.00")


def test_a_practice_remake_is_not_credited(manager):
    original = shipped_case(PracticeFactory())
    create_remake(original=original, actor=manager, reason="New impression", responsibility="practice")
    assert not CreditNote.objects.exists()


def test_payments_go_to_the_oldest_open_invoices_and_overpayment_is_credit(manager):
    practice = PracticeFactory()
    first, second = shipped_case(practice).invoice, shipped_case(practice).invoice
    payment = services.record_payment(
        practice=practice, amount="250.00", received_on=TODAY, method="check", reference="CHQ 1", actor=manager
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == InvoiceStatus.PAID and second.status == InvoiceStatus.PAID
    assert payment.unallocated == Decimal("50.00")
    # the credit is used first by the next invoice
    third = shipped_case(practice).invoice
    assert third.amount_paid == Decimal("50.00") and third.status == InvoiceStatus.PARTIALLY_PAID
    payment.refresh_from_db()
    assert payment.unallocated == 0


def test_explicit_allocations_are_honoured(manager):
    practice = PracticeFactory()
    first, second = shipped_case(practice).invoice, shipped_case(practice).invoice
    services.record_payment(
        practice=practice,
        amount="60",
        received_on=TODAY,
        method="transfer",
        allocations=[AllocationInput(invoice=second.pk, amount="60")],
        actor=manager,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.amount_paid == 0 and second.amount_paid == Decimal("60.00")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-10"}, "amount"),
        ({"received_on": TODAY + datetime.timedelta(days=1)}, "received_on"),
        ({"method": "bitcoin"}, "method"),
        ({"allocations": "too_much"}, "allocations"),
        ({"allocations": "other_practice"}, "allocations"),
    ],
)
def test_bad_payments_are_refused_and_nothing_is_saved(manager, kwargs, field):
    practice = PracticeFactory()
    invoice = shipped_case(practice).invoice
    if kwargs.get("allocations") == "too_much":
        kwargs["allocations"] = [AllocationInput(invoice=invoice.pk, amount="100.01")]
    elif kwargs.get("allocations") == "other_practice":
        kwargs["allocations"] = [AllocationInput(invoice=shipped_case(PracticeFactory()).invoice.pk, amount="1")]
    data = {"practice": practice, "amount": "150", "received_on": TODAY, "method": "cash", "actor": manager, **kwargs}
    with pytest.raises((AppError, NotFound)) as exc:
        services.record_payment(**data)
    assert exc.value.field == field
    assert not Payment.objects.exists() and not PaymentAllocation.objects.exists()


def test_a_reversed_payment_reopens_its_invoices_and_stays_recorded(manager):
    practice = PracticeFactory()
    invoice = shipped_case(practice).invoice
    payment = services.record_payment(practice=practice, amount="100", received_on=TODAY, method="check", actor=manager)
    services.reverse_payment(payment=payment, reason="Bounced", actor=manager)
    invoice.refresh_from_db()
    payment.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN and invoice.balance == Decimal("100.00")
    assert payment.reversed_on == TODAY and payment.reversal_reason == "Bounced"
    assert PaymentAllocation.objects.filter(payment=payment).count() == 2
    with pytest.raises(Conflict):
        services.reverse_payment(payment=payment, reason="again", actor=manager)


def test_price_list_changes_are_recorded_with_who_and_old_and_new(manager):
    from billing.models import PriceChange
    from tests.factories import ProductFactory

    product = ProductFactory(price=Decimal("100.00"))
    services.update_product(product=product, actor=manager, changes={"price": "120.00", "turnaround_days": 7})
    changes = {c.field: c for c in PriceChange.objects.all()}
    assert changes["price"].old_value == "100.00" and changes["price"].new_value == "120.00"
    assert changes["price"].changed_by == manager
    assert changes["turnaround_days"].new_value == "7"
