import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing import services
from billing.exceptions import BillingInputError
from billing.statements import BUCKETS, aging, compute_statement, parse_month
from cases.models import Status
from tests.factories import (
    CaseFactory,
    CaseItemFactory,
    DentistFactory,
    ManagerFactory,
    PracticeFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db
START = datetime.date(2025, 1, 1)
TODAY = datetime.date(2025, 12, 31)
MONTHS = [datetime.date(2025, m, 1) for m in range(1, 8)]


def _invoice(practice, dentist, day, price):
    case = CaseFactory(status=Status.SHIPPED, practice=practice, dentist=dentist)
    CaseItemFactory(case=case, product=ProductFactory(price=price), unit_price=price)
    return services.invoice_case(case=case, today=day)


def test_month_must_be_well_formed_and_not_in_the_future():
    today = datetime.date(2026, 5, 20)
    assert parse_month("2026-05", today=today) == datetime.date(2026, 5, 1)
    assert parse_month("", today=today) == datetime.date(2026, 5, 1)
    for bad in ("2026-13", "2026/05", "May", "2026-5", "2026-06"):
        with pytest.raises(BillingInputError) as exc:
            parse_month(bad, today=today)
        assert exc.value.field == "month"


def test_a_statement_lists_the_month_and_ages_what_is_open():
    manager = ManagerFactory()
    practice = PracticeFactory(payment_terms_days=30)
    dentist = DentistFactory(practice=practice)
    old = _invoice(practice, dentist, datetime.date(2025, 1, 5), Decimal("100.00"))  # due 02-04
    _invoice(practice, dentist, datetime.date(2025, 3, 10), Decimal("50.00"))  # due 04-09
    services.record_payment(
        practice=practice,
        amount="30",
        received_on=datetime.date(2025, 3, 15),
        method="check",
        actor=manager,
        today=datetime.date(2025, 3, 15),
    )
    services.issue_credit_note(
        invoice=old, amount="10", reason="Shade", actor=manager, today=datetime.date(2025, 3, 20)
    )
    march = compute_statement(practice, datetime.date(2025, 3, 1), today=TODAY)
    assert march.opening_balance == Decimal("100.00")
    assert [r["total"] for r in march.invoices] == [Decimal("50.00")]
    assert march.closing_balance == Decimal("110.00")  # 100 + 50 - 10 - 30
    # as of 03-31: the January invoice (due 02-04) is 55 days late with 60 open; March's is current
    assert march.aging["31_60"] == Decimal("60.00")
    assert march.aging["current"] == Decimal("50.00")
    assert sum(march.aging.values()) == march.closing_balance
    data = march.as_json()
    assert set(data) == {
        "practice",
        "month",
        "opening_balance",
        "invoices",
        "credit_notes",
        "payments",
        "closing_balance",
        "aging",
    }
    assert set(data["aging"]) == set(BUCKETS)


def test_a_statement_takes_a_constant_number_of_queries(django_assert_max_num_queries):
    practice = PracticeFactory()
    dentist = DentistFactory(practice=practice)
    for day in range(1, 11):
        _invoice(practice, dentist, datetime.date(2025, 2, day), Decimal("10.00"))
    with django_assert_max_num_queries(8):
        compute_statement(practice, datetime.date(2025, 2, 1), today=TODAY)


operation = st.one_of(
    st.tuples(st.just("invoice"), st.integers(0, 200), st.decimals("0.01", "900", places=2)),
    st.tuples(st.just("payment"), st.integers(0, 200), st.decimals("0.01", "900", places=2)),
    st.tuples(st.just("credit"), st.integers(0, 200), st.integers(1, 100)),
    st.tuples(st.just("reverse"), st.integers(0, 200), st.integers(0, 10)),
)


class _Rollback(Exception):
    pass


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(operation, min_size=1, max_size=14))
def test_statements_reconcile_every_month_over_random_histories(history):
    """opening + invoices − credits − payments = closing, each month's opening is the last
    month's closing, and the aging buckets less the practice's credit equal the final closing."""
    try:
        with transaction.atomic():
            manager = ManagerFactory()
            practice = PracticeFactory(payment_terms_days=30)
            dentist = DentistFactory(practice=practice)
            invoices, payments = [], []
            for kind, offset, value in sorted(history, key=lambda op: op[1]):
                day = START + datetime.timedelta(days=offset)
                if kind == "invoice":
                    invoices.append(_invoice(practice, dentist, day, value))
                elif kind == "payment":
                    payments.append(
                        services.record_payment(
                            practice=practice, amount=value, received_on=day, method="check", actor=manager, today=day
                        )
                    )
                elif kind == "credit" and invoices:
                    invoice = invoices[value % len(invoices)]
                    invoice.refresh_from_db()
                    amount = (invoice.creditable * value / 100).quantize(Decimal("0.01"))
                    if amount > 0:
                        services.issue_credit_note(invoice=invoice, amount=amount, reason="r", actor=manager, today=day)
                elif kind == "reverse" and payments:
                    payment = payments[value % len(payments)]
                    payment.refresh_from_db()
                    if not payment.is_reversed:
                        services.reverse_payment(payment=payment, reason="bounced", actor=manager, today=day)
            previous = Decimal("0.00")
            for month in MONTHS:
                statement = compute_statement(practice, month, today=TODAY)
                assert statement.opening_balance == previous
                assert (
                    statement.opening_balance + statement.invoiced - statement.credited - statement.paid
                    == statement.closing_balance
                )
                assert all(value >= 0 for value in statement.aging.values())
                previous = statement.closing_balance
            assert sum(statement.aging.values()) - services.practice_credit(practice.pk) == previous
            # today's aging from the stored amounts equals the one read back from the dated rows
            assert aging(practice, TODAY, today=TODAY) == aging(practice, TODAY, today=TODAY + datetime.timedelta(1))
            raise _Rollback
    except _Rollback:
        pass
