"""Server time of a month's statement (2,000 invoices and 500 payments in the month) and of the
invoice list over ~100,000 invoices (issue 13).

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dentallab_bench .venv/bin/python bench/billing.py \
        [--cases 100000] [--requests 30]

The database must be a throwaway one (its name contains "bench"). It fills cases with
bench/cases.py's filler when there are fewer than --cases, gives every shipped or delivered case
an invoice (COPY), and builds one practice with 2,000 invoices and 500 payments in the current
month (through the ORM, like the services write them). Then it measures, in-process with Django's
test Client (the whole stack but the network): compute_statement() alone, GET
/api/practices/{id}/statement/, GET /api/invoices/ (first page, filtered by practice and status),
with the query counts, and prints median / p95 wall time and median CPU time in ms.
"""

import argparse
import datetime
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.cases import _timed, fill, measure  # noqa: E402  (sets up Django)

# isort: split
from accounts.models import Practice, Role, User  # noqa: E402
from billing.models import Invoice, InvoiceLine, Payment  # noqa: E402
from billing.statements import compute_statement  # noqa: E402
from cases.models import Case, Status  # noqa: E402

STATEMENT_PRACTICE = "Bench Statement Practice"


def invoice_everything(rng) -> None:
    """An invoice (and one line) for every shipped or delivered case without one."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.id, c.practice_id, c.shipped_at FROM cases_case c
            LEFT JOIN billing_invoice i ON i.case_id = c.id
            WHERE c.status IN ('shipped', 'delivered') AND i.id IS NULL AND c.shipped_at IS NOT NULL
            """
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT coalesce(max(id), 0) FROM billing_invoice")
        before = cursor.fetchone()[0]
        raw = connection.connection
        with (
            raw.cursor() as pg,
            pg.copy(
                "COPY billing_invoice (number, case_id, practice_id, issued_on, due_on, currency, subtotal,"
                " rush_percent, surcharge, discount_percent, discount, tax_percent, tax, total, amount_credited,"
                " amount_paid, status, created_at) FROM STDIN"
            ) as copy,
        ):
            for index, (case_id, practice_id, shipped) in enumerate(rows, start=1):
                total = Decimal(rng.randrange(80, 1800))
                issued = shipped.date()
                paid = total if issued < datetime.date.today() - datetime.timedelta(days=60) else Decimal(0)
                copy.write_row(
                    (
                        f"INV-B-{before + index:07d}", case_id, practice_id, issued,
                        issued + datetime.timedelta(days=30), "USD", total, 0, 0, 0, 0, 0, 0, total, 0, paid,
                        "paid" if paid else "open", timezone.now(),
                    )
                )  # fmt: skip
        cursor.execute(
            "INSERT INTO billing_invoiceline (invoice_id, position, description, teeth, quantity, unit_price, amount)"
            " SELECT id, 1, 'Bench crown', '[11]', 1, total, total FROM billing_invoice WHERE id > %s",
            [before],
        )
        cursor.execute("ANALYZE billing_invoice")
        cursor.execute("ANALYZE billing_invoiceline")
    print(f"invoiced {len(rows)} cases in {time.perf_counter() - started:.1f} s")


def statement_practice(rng) -> Practice:
    practice, created = Practice.objects.get_or_create(name=STATEMENT_PRACTICE, defaults={"account_number": "BENCH-ST"})
    if not created and Invoice.objects.filter(practice=practice).count() >= 2000:
        return practice
    dentist = User.objects.create_user(
        email=f"dr.statement{rng.randrange(10**6)}@bench.test",
        name="Dr. Statement",
        role=Role.DENTIST,
        practice=practice,
    )
    today = timezone.localdate()
    month = today.replace(day=1)
    now = timezone.now()
    cases = Case.objects.bulk_create(
        Case(
            number=f"BST-{n:06d}-{rng.randrange(10**6)}",
            practice=practice,
            dentist=dentist,
            patient_name=f"S{n}",
            status=Status.DELIVERED,
            shipped_at=now,
        )
        for n in range(2000)
    )
    invoices = Invoice.objects.bulk_create(
        Invoice(
            number=f"INV-S-{case.pk:07d}",
            case=case,
            practice=practice,
            issued_on=month + datetime.timedelta(days=n % max(today.day, 1)),
            due_on=month + datetime.timedelta(days=30 + n % max(today.day, 1)),
            currency="USD",
            subtotal=Decimal("125.00"),
            total=Decimal("125.00"),
        )
        for n, case in enumerate(cases)
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=i,
            position=1,
            description="Crown",
            teeth=[11],
            quantity=1,
            unit_price=Decimal("125.00"),
            amount=Decimal("125.00"),
        )
        for i in invoices
    )
    Payment.objects.bulk_create(
        Payment(
            practice=practice,
            received_on=month + datetime.timedelta(days=n % max(today.day, 1)),
            amount=Decimal("100.00"),
            method="transfer",
            reference=f"TR-{n}",
        )
        for n in range(500)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE billing_invoice")
        cursor.execute("ANALYZE billing_payment")
    return practice


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("Refusing: the database name must contain 'bench' (this fills it with data).")
    rng = random.Random(13)
    existing = Case.objects.count()
    if existing < args.cases:
        fill(args.cases - existing)
    invoice_everything(rng)
    practice = statement_practice(rng)
    manager = User.objects.filter(role=Role.MANAGER).first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(manager)
    month = timezone.localdate().replace(day=1)
    print(f"invoices: {Invoice.objects.count()}, statement practice: {practice.pk}")

    with CaptureQueriesContext(connection) as queries:
        statement = compute_statement(practice, month)
    print(
        f"statement of {len(statement.invoices)} invoices and {len(statement.payments)} payments: "
        f"{len(queries)} queries"
    )
    median, p95, cpu = _timed(lambda: compute_statement(practice, month), args.requests)
    print(f"compute_statement()                 median {median:6.1f} ms  p95 {p95:6.1f} ms  cpu {cpu:6.1f} ms")
    for label, url in (
        ("GET statement JSON", f"/api/practices/{practice.pk}/statement/?month={month:%Y-%m}"),
        ("GET /api/invoices/", "/api/invoices/"),
        ("GET /api/invoices/?practice&status", f"/api/invoices/?practice={practice.pk}&status=open"),
        ("GET /billing/", "/billing/"),
    ):
        queries = []

        def counting(execute, *args, seen=queries):
            seen.append(1)
            return execute(*args)

        with connection.execute_wrapper(counting):
            client.get(url)
        median, p95, cpu = measure(client, url, args.requests)
        print(f"{label:<35} median {median:6.1f} ms  p95 {p95:6.1f} ms  cpu {cpu:6.1f} ms  {len(queries)} queries")


if __name__ == "__main__":
    main()
