import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import CreditNote, Payment, PriceChange
from cases.models import PracticePrice
from tests.billing.helpers import shipped_case
from tests.factories import DentistFactory, ManagerFactory, PracticeFactory, ProductFactory, TechnicianFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def world():
    practice, other = PracticeFactory(name="Bright Smile"), PracticeFactory(name="=cmd|' /C calc'!A0")
    dentist = DentistFactory(practice=practice)
    return {
        "practice": practice,
        "other": other,
        "dentist": dentist,
        "manager": ManagerFactory(),
        "invoice": shipped_case(dentist=dentist).invoice,
        "other_invoice": shipped_case(other).invoice,
    }


def test_a_dentist_sees_their_invoices_and_balance_only(client, world):
    client.force_login(world["dentist"])
    html = client.get(reverse("billing:home")).content.decode()
    assert world["invoice"].number in html and world["other_invoice"].number not in html
    assert "100.00 USD" in html  # the balance card


def test_the_billing_list_queries_stay_constant(client, world, django_assert_max_num_queries):
    for _ in range(6):
        shipped_case(world["practice"])
    client.force_login(world["manager"])
    with django_assert_max_num_queries(16):
        assert client.get(reverse("billing:home")).status_code == 200


def test_technicians_see_no_money_on_billing_pages(client, world):
    client.force_login(TechnicianFactory())
    for url in (
        reverse("billing:home"),
        reverse("billing:invoice", args=[world["invoice"].pk]),
        reverse("billing:prices"),
    ):
        assert client.get(url).status_code == 403


def test_a_manager_credits_an_invoice_and_errors_show_on_the_field(client, world):
    client.force_login(world["manager"])
    url = reverse("billing:invoice_credit", args=[world["invoice"].pk])
    response = client.post(url, {"amount": "500", "reason": "Too much"})
    assert response.status_code == 400
    assert "can still be credited" in response.content.decode() and not CreditNote.objects.exists()
    response = client.post(url, {"amount": "25", "reason": "Shade"})
    assert response.status_code == 302
    assert CreditNote.objects.get().amount == Decimal("25.00")


def test_a_manager_records_a_payment_from_the_page(client, world):
    client.force_login(world["manager"])
    url = reverse("billing:payment_create")
    bad = client.post(url, {"practice": world["practice"].pk, "amount": "-4", "received_on": TODAY, "method": "cash"})
    assert bad.status_code == 400 and "more than zero" in bad.content.decode()
    ok = client.post(
        url,
        {"practice": world["practice"].pk, "amount": "150", "received_on": TODAY, "method": "check", "reference": "9"},
    )
    assert ok.status_code == 302
    payment = Payment.objects.get()
    assert payment.unallocated == Decimal("50.00")


def test_the_statement_page_and_its_errors(client, world):
    client.force_login(world["dentist"])
    ok = client.get(reverse("billing:statement"), {"month": f"{TODAY:%Y-%m}"})
    assert ok.status_code == 200 and "100.00" in ok.content.decode()
    bad = client.get(reverse("billing:statement"), {"month": "2026-13"})
    assert bad.status_code == 400 and "YYYY-MM" in bad.content.decode()
    other = client.get(reverse("billing:statement"), {"practice": world["other"].pk, "month": f"{TODAY:%Y-%m}"})
    assert other.status_code == 404


def test_managers_edit_the_price_list_with_history(client, world):
    client.force_login(world["manager"])
    product = ProductFactory(price=Decimal("100.00"))
    response = client.post(
        reverse("billing:product_edit", args=[product.pk]),
        {"name": product.name, "category": "crown_bridge", "unit": "tooth", "price": "110.00", "turnaround_days": 6},
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.price == Decimal("110.00") and not product.active
    bad = client.post(
        reverse("billing:product_edit", args=[product.pk]),
        {"name": product.name, "category": "crown_bridge", "unit": "tooth", "price": "-1", "turnaround_days": 6},
    )
    assert bad.status_code == 400
    response = client.post(
        reverse("billing:practice_terms", args=[world["practice"].pk]),
        {"discount_percent": "7.5", "payment_terms_days": "45", f"price_{product.pk}": "95.00"},
    )
    assert response.status_code == 302
    assert PracticePrice.objects.get(practice=world["practice"], product=product).price == Decimal("95.00")
    html = client.get(reverse("billing:prices")).content.decode()
    assert "100.00 → 110.00" in html and "7.50" in html
    assert PriceChange.objects.filter(changed_by=world["manager"]).count() >= 4


def _csv(client, **params):
    response = client.get(reverse("billing:export"), {"start": f"{TODAY}", "end": f"{TODAY}", **params})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_the_accounting_export_in_quickbooks_and_xero_layouts(client, world):
    client.force_login(world["manager"])
    rows = _csv(client, layout="quickbooks", kind="invoices")
    assert rows[0][:4] == ["InvoiceNo", "Customer", "InvoiceDate", "DueDate"] and "ItemAmount" in rows[0]
    amounts = [Decimal(r[rows[0].index("ItemAmount")]) for r in rows[1:] if r[0] == world["invoice"].number]
    assert sum(amounts) == world["invoice"].total
    customers = {r[1] for r in rows[1:]}
    assert "'=cmd|' /C calc'!A0" in customers  # formula injection neutralised
    rows = _csv(client, layout="xero", kind="invoices")
    assert rows[0][:3] == ["*ContactName", "EmailAddress", "*InvoiceNumber"]
    assert all("." in r[rows[0].index("*UnitAmount")] for r in rows[1:])
    assert _csv(client, layout="xero", kind="payments")[0] == ["*Date", "*Amount", "Payee", "Description", "Reference"]
    assert _csv(client, layout="quickbooks", kind="credit_notes")[0][0] == "CreditMemoNo"
    bad = client.get(reverse("billing:export"), {"layout": "sage", "kind": "invoices", "start": "x", "end": "y"})
    assert bad.status_code == 400


def test_the_invoice_appears_on_the_case_page_for_those_who_see_money(client, world):
    case_url = reverse("cases:detail", args=[world["invoice"].case_id])
    client.force_login(world["dentist"])
    assert world["invoice"].number in client.get(case_url).content.decode()
    client.force_login(TechnicianFactory())
    assert world["invoice"].number not in client.get(case_url).content.decode()
