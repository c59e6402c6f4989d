"""Revenue and receivables by practice on the lab's reports page (billing/report_sections.py,
added through settings.REPORT_SECTIONS): hand-worked figures, the CSV, constant queries, managers only."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing import services
from billing.models import Invoice
from billing.report_sections import revenue_and_receivables
from dentallab.exceptions import Forbidden
from tests.billing.helpers import shipped_case
from tests.factories import DentistFactory, ManagerFactory, PracticeFactory, TechnicianFactory

pytestmark = pytest.mark.django_db
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}
D = datetime.date


def invoice(practice, amount, issued_on):
    found = shipped_case(practice, prices=(Decimal(amount),)).invoice
    Invoice.objects.filter(pk=found.pk).update(issued_on=issued_on, due_on=issued_on + datetime.timedelta(days=30))
    found.refresh_from_db()
    return found


def pay(manager, practice, amount, day):
    return services.record_payment(
        practice=practice, amount=amount, received_on=day, method="check", actor=manager, today=day
    )


@pytest.fixture
def ledgers():
    manager = ManagerFactory()
    alpha = PracticeFactory(name="Alpha dental")
    beta = PracticeFactory(name="Beta smiles")
    invoice(alpha, "100.00", D(2026, 10, 15))  # before the period: only in the open balance
    in_period = invoice(alpha, "200.00", D(2026, 11, 10))
    services.issue_credit_note(invoice=in_period, amount="30.00", reason="Shade", actor=manager, today=D(2026, 11, 12))
    pay(manager, alpha, "50.00", D(2026, 10, 20))
    pay(manager, alpha, "80.00", D(2026, 11, 20))
    bounced = pay(manager, alpha, "40.00", D(2026, 11, 5))
    services.reverse_payment(payment=bounced, reason="Bounced", actor=manager, today=D(2026, 11, 25))
    invoice(beta, "100.00", D(2026, 11, 3))
    invoice(beta, "120.00", D(2026, 12, 1))  # after the period: nowhere
    return manager


def test_the_csv_holds_each_practices_revenue_and_open_balance(client, ledgers):
    client.force_login(ledgers)
    response = client.get("/reports/revenue.csv", NOVEMBER)
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").splitlines() == [
        "Practice,Invoiced (USD),Credits (USD),Payments (USD),Open balance (USD)",
        "Alpha dental,200.00,30.00,80.00,140.00",
        "Beta smiles,100.00,0.00,0.00,100.00",
        "Total,300.00,30.00,80.00,240.00",
    ]


def test_the_page_shows_the_table_and_its_chart(client, ledgers):
    client.force_login(ledgers)
    html = client.get("/reports/", NOVEMBER).content.decode()
    assert 'id="revenue"' in html and "Revenue and receivables by practice" in html
    assert 'id="chart-revenue-title"' in html and "/reports/revenue.csv" in html


def test_the_practice_filter_applies(client, ledgers):
    client.force_login(ledgers)
    beta = Invoice.objects.get(issued_on=D(2026, 11, 3)).practice_id
    text = client.get("/reports/revenue.csv", {**NOVEMBER, "practice": beta}).content.decode("utf-8-sig")
    assert text.splitlines()[1:] == ["Beta smiles,100.00,0.00,0.00,100.00", "Total,100.00,0.00,0.00,100.00"]


def test_the_queries_do_not_grow_with_the_practices(client, ledgers):
    client.force_login(ledgers)
    with CaptureQueriesContext(connection) as few:
        client.get("/reports/revenue.csv", NOVEMBER)
    for n in range(4):
        invoice(PracticeFactory(name=f"Gamma {n}"), "10.00", D(2026, 11, 4))
    with CaptureQueriesContext(connection) as many:
        text = client.get("/reports/revenue.csv", NOVEMBER).content.decode("utf-8-sig")
    assert len(text.splitlines()) == 8
    assert len(many) == len(few) <= 8


@pytest.mark.parametrize("factory", [TechnicianFactory, DentistFactory])
def test_technicians_and_dentists_are_refused(client, db, factory):
    user = factory()
    client.force_login(user)
    assert client.get("/reports/revenue.csv", NOVEMBER).status_code == 403
    with pytest.raises(Forbidden):
        revenue_and_receivables(user, None, {})
