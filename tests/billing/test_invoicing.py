import datetime
from decimal import Decimal

import pytest

from billing import services
from billing.models import Invoice, InvoiceStatus
from cases.models import Status
from cases.services import transition_case
from tests.billing.helpers import shipped_case
from tests.factories import CaseFactory, CaseItemFactory, ManagerFactory, PracticeFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_shipping_a_case_issues_its_invoice_with_lines_and_totals(settings):
    settings.TAX_RATE_PERCENT = Decimal("10.00")
    settings.RUSH_SURCHARGE_PERCENT = Decimal("20.00")
    practice = PracticeFactory(discount_percent=Decimal("5.00"), payment_terms_days=15)
    case = shipped_case(practice, prices=(Decimal("100.00"), Decimal("33.33")), quantity=3, priority="rush")
    invoice = Invoice.objects.get(case=case)
    year = invoice.issued_on.year
    assert invoice.number.startswith(f"INV-{year}-")
    assert [line.amount for line in invoice.lines.all()] == [Decimal("300.00"), Decimal("99.99")]
    assert invoice.subtotal == Decimal("399.99")
    assert invoice.surcharge == Decimal("80.00")  # 79.998 half-up
    assert invoice.discount == Decimal("24.00")  # 5% of 479.99 = 23.9995
    assert invoice.tax == Decimal("45.60")  # 10% of 455.99 = 45.599
    assert invoice.total == Decimal("501.59")
    assert invoice.due_on == invoice.issued_on + datetime.timedelta(days=15)
    assert invoice.status == InvoiceStatus.OPEN
    assert invoice.currency == "USD"


def test_tax_exempt_practices_pay_no_tax(settings):
    settings.TAX_RATE_PERCENT = Decimal("10.00")
    case = shipped_case(PracticeFactory(tax_exempt=True))
    assert case.invoice.tax == Decimal("0.00")
    assert case.invoice.total == Decimal("100.00")


def test_a_case_shipped_twice_is_invoiced_once():
    manager = ManagerFactory()
    case = shipped_case(PracticeFactory(), actor=manager)
    case.status = Status.QUALITY_CHECK  # a rework path back to quality check, then shipped again
    case.save()
    transition_case(case=case, to=Status.SHIPPED, actor=manager)
    assert Invoice.objects.filter(case=case).count() == 1


def test_cancelled_cases_are_never_invoiced():
    case = CaseFactory(status=Status.CANCELLED)
    assert services.invoice_case(case=case) is None
    assert not Invoice.objects.exists()


def test_a_failing_invoice_rolls_the_shipment_back(monkeypatch):
    case = CaseFactory(status=Status.QUALITY_CHECK)
    CaseItemFactory(case=case)

    def boom(**kwargs):
        raise RuntimeError("no invoice")

    monkeypatch.setattr(services, "invoice_case", boom)
    with pytest.raises(RuntimeError):
        transition_case(case=case, to=Status.SHIPPED, actor=ManagerFactory())
    case.refresh_from_db()
    assert case.status == Status.QUALITY_CHECK


def test_numbers_run_on_without_gaps():
    practice = PracticeFactory()
    numbers = [shipped_case(practice).invoice.number for _ in range(3)]
    tails = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert tails == list(range(tails[0], tails[0] + 3))


def test_price_changes_never_change_an_issued_invoice():
    case = shipped_case(PracticeFactory())
    product = case.items.first().product
    services.update_product(product=product, actor=ManagerFactory(), changes={"price": "999.00"})
    case.invoice.refresh_from_db()
    assert case.invoice.total == Decimal("100.00")


def test_a_practice_price_is_copied_when_an_item_is_added():
    from cases.services import ItemInput, create_case
    from tests.factories import DentistFactory

    practice = PracticeFactory()
    product = ProductFactory(price=Decimal("200.00"))
    manager = ManagerFactory()
    services.set_practice_price(practice=practice, product=product, price="150.00", actor=manager)
    dentist = DentistFactory(practice=practice)
    case = create_case(
        actor=dentist,
        practice=practice,
        dentist=dentist,
        patient_name="AB",
        items=[ItemInput(product=product, teeth=[11])],
    )
    assert case.items.get().unit_price == Decimal("150.00")
