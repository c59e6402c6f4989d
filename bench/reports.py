"""The scorecard over 100,000 cases (issue 16, DESIGN §17): ≤ 200 ms server time, 12 weeks,
grouped by practice, by aggregation in PostgreSQL.

Worst case on purpose: all N cases (default 100,000) are shipped inside the 12 weeks, across 20
practices and 5 technicians, one item each, 2 % of them remade, so the query aggregates every one.
Fills its own rows (marked RPT-) once, then times `reports.selectors.scorecard` in-process and the
whole API request through Django's test client (authentication, parsing, JSON), median of 15.

Usage: DJANGO_DEBUG=1 DATABASE_URL=postgres://…/dl_bench python bench/reports.py [--cases 100000]
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dentallab.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Practice, Role, User  # noqa: E402
from cases.models import Case, CaseItem, Product, Status  # noqa: E402
from reports import selectors  # noqa: E402

BATCH = 5000


def fill(n: int, rng: random.Random) -> None:
    if Case.objects.filter(number__startswith="RPT-").count() >= n:
        return
    Case.objects.filter(remake_of__number__startswith="RPT-").delete()
    CaseItem.objects.filter(case__number__startswith="RPT-").delete()
    Case.objects.filter(number__startswith="RPT-").delete()
    dentists = []
    for index in range(20):
        practice, _ = Practice.objects.get_or_create(
            account_number=f"RPT-{index:03d}", defaults={"name": f"Report Practice {index:02d}"}
        )
        dentist, _ = User.objects.get_or_create(
            email=f"dr.rpt{index:03d}@bench.test",
            defaults={"name": f"Dr Report {index}", "role": Role.DENTIST, "practice": practice},
        )
        dentists.append(dentist)
    techs = [
        User.objects.get_or_create(
            email=f"tech.rpt{i}@bench.test", defaults={"name": f"Tech {i}", "role": Role.TECHNICIAN}
        )[0]
        for i in range(5)
    ]
    product, _ = Product.objects.get_or_create(code="RPT-ZC", defaults={"name": "Zirconia crown", "price": "120.00"})
    today = timezone.localdate()
    start = today - datetime.timedelta(weeks=12) + datetime.timedelta(days=1)
    created = 0
    while created < n:
        rows = []
        for i in range(created, min(created + BATCH, n)):
            shipped = start + datetime.timedelta(days=rng.randrange(84))
            received = shipped - datetime.timedelta(days=rng.randrange(1, 15))
            due = received + datetime.timedelta(days=rng.randrange(5, 12))
            dentist = rng.choice(dentists)
            rows.append(
                Case(
                    number=f"RPT-{i:07d}",
                    practice_id=dentist.practice_id,
                    dentist=dentist,
                    patient_name=f"P{i}",
                    status=Status.DELIVERED,
                    received_at=datetime.datetime.combine(received, datetime.time(9), tzinfo=datetime.UTC),
                    shipped_at=datetime.datetime.combine(shipped, datetime.time(15), tzinfo=datetime.UTC),
                    due_date=due,
                    ship_by=due,
                    assigned_technician=rng.choice(techs),
                )  # fmt: skip
            )
        with transaction.atomic():
            Case.objects.bulk_create(rows)
            CaseItem.objects.bulk_create(
                [
                    CaseItem(case=case, product=product, teeth=[11], quantity=1, unit_price=product.price)
                    for case in rows
                ]
            )
            remade = [case for case in rows if rng.random() < 0.02]
            Case.objects.bulk_create(
                [
                    Case(
                        number=f"RPT-R{case.number[4:]}",
                        practice_id=case.practice_id,
                        dentist_id=case.dentist_id,
                        patient_name=case.patient_name,
                        status=Status.RECEIVED,
                        remake_of=case,
                        remake_reason=rng.choice(["Open margin", "Shade", "Fit"]),
                        remake_responsibility="lab",
                    )  # fmt: skip
                    for case in remade
                ]
            )
        created += len(rows)
        print(f"  {created} cases", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case; ANALYZE cases_caseitem;")


def timed(fn, runs=15) -> float:
    fn()  # warm up (plans, caches)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    fill(args.cases, random.Random(16))
    manager = User.objects.filter(role=Role.MANAGER).first() or User.objects.create_user(
        email="manager.rpt@bench.test", password=None, name="Manager", role=Role.MANAGER
    )
    filters = selectors.parse_filters(manager, {})
    shipped = selectors.shipped_cases(manager, filters).count()
    print(f"cases in the database: {Case.objects.count()}, shipped in the 12 weeks: {shipped}")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared: see the baseline)")
    start, end = selectors._bounds(filters)

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_case WHERE shipped_at >= %s AND shipped_at < %s", [start, end])
            cursor.fetchall()

    print(f"baseline: a bare count(*) of the same rows: median {timed(baseline):.1f} ms")
    for group_by in ("practice", "week", "technician", "product", None):
        ms = timed(lambda g=group_by: selectors.scorecard(manager, filters, g))
        print(f"scorecard group_by={group_by}: median {ms:.1f} ms (in-process, selectors.scorecard)")
    client = Client()
    client.force_login(manager)
    ms = timed(lambda: client.get("/api/reports/scorecard/?group_by=practice", HTTP_HOST="localhost"))
    print(f"GET /api/reports/scorecard/?group_by=practice: median {ms:.1f} ms (whole request, test client)")
    ms = timed(lambda: client.get("/reports/", HTTP_HOST="localhost"), runs=5)
    print(f"GET /reports/ (every chart): median {ms:.1f} ms")


if __name__ == "__main__":
    main()
