import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from accounts.audit import AuditEvent
from billing import services
from billing.models import CreditNote, Payment
from tests.billing.helpers import shipped_case
from tests.factories import DentistFactory, ManagerFactory, PracticeFactory, TechnicianFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def world():
    practice, other = PracticeFactory(name="Bright Smile"), PracticeFactory(name="Riverside")
    dentist = DentistFactory(practice=practice)
    case = shipped_case(dentist=dentist, prices=(Decimal("120.50"), Decimal("80.00")))
    other_case = shipped_case(other)
    return {
        "practice": practice,
        "other": other,
        "dentist": dentist,
        "manager": ManagerFactory(),
        "invoice": case.invoice,
        "other_invoice": other_case.invoice,
    }


def test_the_invoice_list_has_the_designed_shape(api, world):
    response = api(world["manager"]).get("/api/invoices/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 2
    invoice = next(r for r in body["results"] if r["id"] == world["invoice"].pk)
    assert set(invoice) == {
        "id", "number", "case", "practice", "issued_on", "due_on", "status", "currency", "subtotal", "surcharge",
        "discount", "tax", "total", "balance", "lines",
    }  # fmt: skip
    assert invoice["case"] == {"id": world["invoice"].case_id, "number": world["invoice"].case.number}
    assert invoice["practice"] == {"id": world["practice"].pk, "name": "Bright Smile"}
    assert invoice["total"] == "200.50" and invoice["balance"] == "200.50" and invoice["status"] == "open"
    assert set(invoice["lines"][0]) == {"description", "teeth", "quantity", "unit_price", "amount"}
    assert Decimal(invoice["subtotal"]) == sum(Decimal(line["amount"]) for line in invoice["lines"])


def test_invoice_filters(api, world):
    client = api(world["manager"])
    assert client.get(f"/api/invoices/?practice={world['other'].pk}").json()["count"] == 1
    assert client.get("/api/invoices/?status=paid").json()["count"] == 0
    assert (
        client.get(f"/api/invoices/?issued_after={TODAY:%Y-%m-%d}&issued_before={TODAY:%Y-%m-%d}").json()["count"] == 2
    )
    bad = client.get("/api/invoices/?issued_after=yesterday")
    assert bad.status_code == 400 and "issued_after" in bad.json()["errors"]
    assert client.get("/api/invoices/?status=lost").status_code == 400


def test_invoice_list_queries_stay_constant(api, world, django_assert_max_num_queries):
    for _ in range(5):
        shipped_case(world["practice"])
    with django_assert_max_num_queries(6):
        assert api(world["manager"]).get("/api/invoices/").status_code == 200


def test_dentists_see_their_practice_only_and_technicians_no_money(api, world):
    dentist = api(world["dentist"])
    assert dentist.get("/api/invoices/").json()["count"] == 1
    assert dentist.get(f"/api/invoices/{world['invoice'].pk}/").status_code == 200
    assert dentist.get(f"/api/invoices/{world['other_invoice'].pk}/").status_code == 404
    assert dentist.get(f"/api/invoices/{world['other_invoice'].pk}/pdf/").status_code == 404
    assert dentist.get(f"/api/practices/{world['other'].pk}/statement/").status_code == 404
    tech = api(TechnicianFactory())
    for url in (
        "/api/invoices/",
        f"/api/invoices/{world['invoice'].pk}/",
        f"/api/invoices/{world['invoice'].pk}/pdf/",
        "/api/credit-notes/",
        "/api/payments/",
        f"/api/practices/{world['practice'].pk}/statement/",
    ):
        assert tech.get(url).status_code == 403, url


def test_writes_are_managers_only(api, world):
    body = {"invoice": world["invoice"].pk, "amount": "10.00", "reason": "Shade"}
    assert api(world["dentist"]).post("/api/credit-notes/", body, format="json").status_code == 403
    assert api(TechnicianFactory()).post("/api/credit-notes/", body, format="json").status_code == 403
    payment = {"practice": world["practice"].pk, "amount": "10", "received_on": f"{TODAY}", "method": "cash"}
    assert api(world["dentist"]).post("/api/payments/", payment, format="json").status_code == 403
    assert not CreditNote.objects.exists() and not Payment.objects.exists()


def test_a_manager_issues_a_credit_note_and_refusals_name_the_field(api, world):
    client = api(world["manager"])
    response = client.post(
        "/api/credit-notes/", {"invoice": world["invoice"].pk, "amount": "20.50", "reason": "Shade"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == "20.50" and response.json()["number"].startswith("CN-")
    too_much = client.post(
        "/api/credit-notes/", {"invoice": world["invoice"].pk, "amount": "180.01", "reason": "x"}, format="json"
    )
    assert too_much.status_code == 400 and "amount" in too_much.json()["errors"]
    assert client.get(f"/api/invoices/{world['invoice'].pk}/").json()["balance"] == "180.00"


def test_payments_allocate_and_bad_input_is_refused(api, world):
    client = api(world["manager"])
    base = {"practice": world["practice"].pk, "received_on": f"{TODAY}", "method": "check", "reference": "CHQ 7"}
    for amount in ("0", "-5", "abc"):
        response = client.post("/api/payments/", {**base, "amount": amount}, format="json")
        assert response.status_code == 400 and "amount" in response.json()["errors"], amount
    future = client.post(
        "/api/payments/", {**base, "amount": "5", "received_on": f"{TODAY + datetime.timedelta(days=2)}"}, format="json"
    )
    assert future.status_code == 400 and "received_on" in future.json()["errors"]
    other = client.post(
        "/api/payments/",
        {**base, "amount": "5", "allocations": [{"invoice": world["other_invoice"].pk, "amount": "5"}]},
        format="json",
    )
    assert other.status_code == 404 and "allocations" in other.json()["errors"]
    assert not Payment.objects.exists()
    ok = client.post("/api/payments/", {**base, "amount": "250.50"}, format="json")
    assert ok.status_code == 201
    assert ok.json()["unallocated"] == "50.00"
    assert ok.json()["allocations"] == [
        {"invoice": world["invoice"].pk, "invoice_number": world["invoice"].number, "amount": "200.50"}
    ]
    reverse = client.post(f"/api/payments/{ok.json()['id']}/reverse/", {"reason": "Bounced"}, format="json")
    assert reverse.status_code == 200 and reverse.json()["reversed_on"] == f"{TODAY}"
    again = client.post(f"/api/payments/{ok.json()['id']}/reverse/", {"reason": "Bounced"}, format="json")
    assert again.status_code == 409


def test_the_statement_json_reconciles_and_the_pdf_says_the_same(api, world):
    manager = world["manager"]
    services.record_payment(practice=world["practice"], amount="50", received_on=TODAY, method="card", actor=manager)
    services.issue_credit_note(invoice=world["invoice"], amount="0.50", reason="Rounding", actor=manager)
    url = f"/api/practices/{world['practice'].pk}/statement/?month={TODAY:%Y-%m}"
    body = api(world["dentist"]).get(url).json()
    assert set(body) == {
        "practice", "month", "opening_balance", "invoices", "credit_notes", "payments", "closing_balance", "aging"
    }  # fmt: skip
    assert set(body["aging"]) == {"current", "1_30", "31_60", "61_90", "over_90"}
    closing = (
        Decimal(body["opening_balance"])
        + sum(Decimal(r["total"]) for r in body["invoices"])
        - sum(Decimal(r["amount"]) for r in body["credit_notes"])
        - sum(Decimal(r["amount"]) for r in body["payments"])
    )
    assert f"{closing:.2f}" == body["closing_balance"] == "150.00"
    assert set(body["invoices"][0]) == {"id", "number", "issued_on", "total"}
    assert set(body["payments"][0]) == {"id", "received_on", "reference", "amount"}
    response = api(world["dentist"]).get(url + "&format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Closing balance" in text and "150.00" in text and "Page 1 of" in text
    assert AuditEvent.objects.filter(detail__document="statement").count() == 1


def test_statement_month_errors(api, world):
    url = f"/api/practices/{world['practice'].pk}/statement/"
    client = api(world["manager"])
    for month in ("2026-13", "May", "2999-01"):
        response = client.get(url + f"?month={month}")
        assert response.status_code == 400 and "month" in response.json()["errors"], month
    response = client.get(url + "?month=bad&format=pdf")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")


def test_the_invoice_pdf_has_the_letterhead_and_the_json_totals(api, world):
    from accounts.models import LabProfile

    LabProfile.objects.update_or_create(pk=1, defaults={"legal_name": "Acme Dental Lab", "tax_id": "GB123"})
    client = api(world["dentist"])
    invoice = client.get(f"/api/invoices/{world['invoice'].pk}/").json()
    response = client.get(f"/api/invoices/{world['invoice'].pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Acme Dental Lab" in text and "GB123" in text
    assert invoice["number"] in text and f"{invoice['total']} USD" in text and "Page 1 of 1" in text
    for line in invoice["lines"]:
        assert line["amount"] in text
    assert AuditEvent.objects.filter(detail__document="invoice", actor=world["dentist"]).exists()


def test_the_credit_note_pdf(api, world):
    note = services.issue_credit_note(
        invoice=world["invoice"], amount="12.34", reason="Chipped", actor=world["manager"]
    )
    response = api(world["dentist"]).get(f"/api/credit-notes/{note.pk}/pdf/")
    text = pdf_text(response.content)
    assert note.number in text and "12.34" in text and "Chipped" in text


def test_the_schema_lists_the_billing_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in (
        "/api/invoices/",
        "/api/invoices/{id}/",
        "/api/invoices/{id}/pdf/",
        "/api/credit-notes/",
        "/api/payments/",
        "/api/practices/{id}/statement/",
    ):
        assert path in schema["paths"], path


def test_credit_note_and_payment_lists_query_counts_stay_constant(api, world, django_assert_max_num_queries):
    manager = world["manager"]
    for _ in range(4):
        invoice = shipped_case(world["practice"]).invoice
        services.issue_credit_note(invoice=invoice, amount="1", reason="r", actor=manager)
        services.record_payment(
            practice=world["practice"], amount="30", received_on=TODAY, method="cash", actor=manager
        )
    client = api(manager)
    with django_assert_max_num_queries(5):
        assert client.get("/api/credit-notes/").json()["count"] == 4
    with django_assert_max_num_queries(6):
        assert client.get("/api/payments/").json()["count"] == 4
