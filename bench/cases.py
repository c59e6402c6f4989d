"""Server time of the dashboard, the case list and /api/cases/ over 100,000 cases (issue 4).

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dentallab_bench .venv/bin/python bench/cases.py \
        [--cases 100000] [--requests 60] [--refill]

Fills the database (which must be a throwaway one: its name has to contain "bench") with the
demo accounts, the demo price list, 40 practices and N cases with ~1.6 items each, using
PostgreSQL COPY (seconds, not minutes); then measures each URL in-process with Django's test
Client (the whole Django stack: middleware, session auth, views, templates, serializers, SQL
over TCP to PostgreSQL; no HTTP server or network in between) and prints the median and p95 in
ms, with the median CPU time of the Django process beside them (the machine may be shared: the
difference is time spent in PostgreSQL or waiting for a CPU). A database that already holds N
cases is reused unless --refill is given.
"""

import argparse
import datetime
import importlib
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dentallab.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 60)
os.environ.setdefault("SITE_URL", "http://127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("DJANGO_CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("DJANGO_STATIC_MANIFEST", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from sequences.models import Sequence  # noqa: E402

from accounts.demo import seed_accounts  # noqa: E402
from accounts.models import Practice, Role, User  # noqa: E402
from cases import selectors  # noqa: E402
from cases.demo import seed_products  # noqa: E402
from cases.models import Case, Status  # noqa: E402
from dentallab.sequences import sequence_name  # noqa: E402

STATUS_WEIGHTS = {
    Status.DELIVERED: 80,
    Status.CANCELLED: 3,
    Status.SHIPPED: 3,
    Status.DRAFT: 1,
    Status.SUBMITTED: 2,
    Status.RECEIVED: 2,
    Status.IN_DESIGN: 2,
    Status.AWAITING_APPROVAL: 1,
    Status.IN_PRODUCTION: 3,
    Status.QUALITY_CHECK: 2,
    Status.ON_HOLD: 1,
}
SURNAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
]  # fmt: skip
CASE_COLUMNS = (
    "number", "practice_id", "dentist_id", "patient_name", "status", "held_from_status", "priority", "received_at",
    "due_date", "shipped_at", "delivered_at", "pan_number", "shade", "instructions", "assigned_technician_id",
    "tracking_number", "remake_reason", "remake_responsibility", "created_by_id", "created_at", "updated_at",
    "ship_by",  # the due date: bench practices have no transit days
)  # fmt: skip
ITEM_COLUMNS = ("case_id", "product_id", "teeth", "shade", "material", "quantity", "unit_price")


def fill(count: int, seed: int = 4) -> None:
    rng = random.Random(seed)
    users = seed_accounts()
    products = list(seed_products().values())
    practices = list(Practice.objects.all())
    for index in range(len(practices), 40):
        practices.append(Practice.objects.create(name=f"Bench Dental {index:02d}", account_number=f"BENCH-{index:03d}"))
    dentists = list(User.objects.filter(role=Role.DENTIST))
    for practice in practices:
        if not any(d.practice_id == practice.pk for d in dentists):
            dentists.append(
                User.objects.create_user(
                    email=f"dr{practice.pk}@bench.test",
                    name=f"Dr. Bench {practice.pk}",
                    role=Role.DENTIST,
                    practice=practice,
                )
            )
    techs = [u for u in users.values() if u.role == Role.TECHNICIAN]
    techs += [
        User.objects.get_or_create(
            email=f"tech{n}@bench.test", defaults={"name": f"Tech {n}", "role": Role.TECHNICIAN}
        )[0]
        for n in range(4)
    ]
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    now = timezone.now()
    # Continue the numbering of cases already there (seed_demo makes some): numbers are unique.
    per_year = {int(row.name.rsplit("-", 1)[1]): row.last for row in Sequence.objects.filter(name__startswith="case-")}
    teeth = [q * 10 + p for q in (1, 2, 3, 4) for p in range(1, 9)]
    started = time.perf_counter()
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        max_id_before = cursor.fetchone()[0]
        rows = []
        for _ in range(count):
            age = int(rng.triangular(0, 900, 0))  # more recent cases than old ones
            created = now - datetime.timedelta(days=age, minutes=rng.randrange(1440))
            year = created.year
            per_year[year] = per_year.get(year, 0) + 1
            status = (
                rng.choices(statuses, weights)[0]
                if age < 45
                else (Status.CANCELLED if rng.random() < 0.03 else Status.DELIVERED)
            )
            dentist = rng.choice(dentists)
            received = (
                created + datetime.timedelta(hours=rng.randrange(2, 30))
                if status not in ("draft", "submitted")
                else None
            )
            due = (created + datetime.timedelta(days=rng.randrange(4, 16))).date() if status != "draft" else None
            shipped = (
                created + datetime.timedelta(days=rng.randrange(3, 12)) if status in ("shipped", "delivered") else None
            )
            rows.append((
                f"{year}-{per_year[year]:05d}",
                dentist.practice_id, dentist.pk,
                f"{rng.choice(SURNAMES)} {chr(65 + rng.randrange(26))}. #{rng.randrange(1000, 99999)}",
                status, "received" if status == "on_hold" else "",
                "rush" if rng.random() < 0.08 else "normal",
                received, due, shipped, shipped + datetime.timedelta(days=2) if status == "delivered" else None,
                f"{rng.randrange(1, 400):03d}" if received else "", "A2", "",
                rng.choice(techs).pk if received else None,
                "", "", "", None, created, created,
                due,
            ))  # fmt: skip
        with cursor.copy(f"COPY cases_case ({', '.join(CASE_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute("SELECT id FROM cases_case WHERE id > %s ORDER BY id", [max_id_before])
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.copy(f"COPY cases_caseitem ({', '.join(ITEM_COLUMNS)}) FROM STDIN") as copy:
            for case_id in ids:
                for _ in range(1 if rng.random() < 0.6 else rng.randrange(2, 4)):
                    product = rng.choice(products)
                    chosen = sorted(rng.sample(teeth, rng.randrange(1, 4)))
                    copy.write_row(
                        (
                            case_id,
                            product.pk,
                            str(chosen).replace(" ", ""),
                            "A2",
                            product.default_material,
                            1,
                            product.price,
                        )
                    )
        # The search text of the item lines' products, as cases.services keeps it (issue 15).
        cursor.execute("SET statement_timeout = 0")
        cursor.execute(importlib.import_module("cases.migrations.0005_case_product_search").FILL_SQL)
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_caseitem")
    for year, last in per_year.items():
        Sequence.objects.update_or_create(name=sequence_name("", year), defaults={"last": last})
    print(f"filled {count} cases and their items in {time.perf_counter() - started:.1f} s")


def _timed(call, requests: int) -> tuple[float, float, float]:
    """Median and p95 of wall time, and median CPU time of this process (Django's own work,
    without PostgreSQL's), in ms. The CPU figure shows what other load on the machine adds."""
    for _ in range(5):
        call()
    walls, cpus = [], []
    for _ in range(requests):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    walls.sort()
    return statistics.median(walls), walls[max(int(len(walls) * 0.95) - 1, 0)], statistics.median(cpus)


def measure(client: Client, url: str, requests: int) -> tuple[float, float, float]:
    def call():
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}: {response.content[:300]!r}")

    return _timed(call, requests)


def web_list_url() -> str | None:
    for name in ("cases:list", "case_list", "cases-list", "case-list"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--refill", action="store_true", help="Delete the cases and fill again.")
    args = parser.parse_args()
    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql" or "bench" not in name:
        sys.exit("Run against a throwaway PostgreSQL database whose name contains 'bench' (DATABASE_URL).")
    call_command("migrate", verbosity=0)
    if args.refill:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE cases_caseitem, cases_timelineevent, cases_case, sequences_sequence CASCADE")
    have = Case.objects.count()
    if have < args.cases:
        fill(args.cases - have)
    print(f"{Case.objects.count()} cases, PostgreSQL {connection.cursor().connection.info.server_version}")

    manager = User.objects.get(email="manager@demo.dentallab.test")
    dentist = User.objects.get(email="dr.smith@brightsmile.test")
    practice = Practice.objects.filter(account_number="RFD-1002").first()
    sample = Case.objects.order_by("-id").values_list("number", flat=True).first()
    results = []
    for user in (manager, dentist):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        who = user.get_role_display().lower()
        urls = [("dashboard (home)", reverse("home"))]
        web = web_list_url()
        if web:
            urls += [
                ("case list page", web),
                ("case list page, filtered", f"{web}?status=in_production&status=quality_check&ordering=due_date"),
                ("case list page, late", f"{web}?late=true"),
                ("case list page, searched", f"{web}?search=smith"),
                ("case list page, searched (product)", f"{web}?search=zirconia"),
                ("case list page, by status (lifecycle)", f"{web}?ordering=status"),
                ("case list page, by due date", f"{web}?ordering=due_date"),
            ]
        urls += [
            ("/api/cases/", "/api/cases/"),
            ("/api/cases/ filtered", "/api/cases/?status=in_production,quality_check&priority=rush&ordering=due_date"),
            ("/api/cases/ late", "/api/cases/?late=true&ordering=due_date"),
            ("/api/cases/ practice", f"/api/cases/?practice={practice.pk}&ordering=-due_date"),
            ("/api/cases/ searched (name)", "/api/cases/?search=smith"),
            ("/api/cases/ searched (number)", f"/api/cases/?search={sample[-7:]}"),
            ("/api/cases/ searched (product)", "/api/cases/?search=zirconia"),
            ("/api/cases/ ordered by practice", "/api/cases/?ordering=practice"),
            ("/api/cases/ page_size=100", "/api/cases/?page_size=100"),
        ]
        for label, url in urls:
            if user is dentist and "practice" in label:
                continue
            results.append((who, label, url, *measure(client, url, args.requests)))
        dashboard = _timed(lambda user=user: selectors.dashboard(user), args.requests)
        results.append((who, "selectors.dashboard()", "-", *dashboard))
        searched = _timed(lambda user=user: list(selectors.case_list(user, {"search": "smith"})[:25]), args.requests)
        results.append((who, "selectors.case_list() searched, 1 page", "-", *searched))
    load = os.getloadavg()
    print(f"\nin-process Django test Client, {args.requests} requests each after 5 warm-up; times in ms")
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'as':<11} {'what':<38} {'median':>7} {'p95':>7} {'cpu':>6}  url")
    for who, label, url, median, p95, cpu in results:
        flag = "" if median < 50 else "  <-- median over 50 ms"
        print(f"{who:<11} {label:<38} {median:7.1f} {p95:7.1f} {cpu:6.1f}  {url}{flag}")


if __name__ == "__main__":
    main()
