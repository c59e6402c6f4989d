"""The Friday recap at scale: 500 dentists and 100,000 cases (DESIGN §14 target: under 30 s).

Fills an EMPTY database (migrated) with practices, dentists and cases by bulk insert, then times
building and rendering every dentist's recap (`notifications.recap.weekly_recap_emails`) and,
separately, queueing them (outbox rows + one task each). Prints the figures for docs/performance.md.

Usage (a database of its own: it adds 500 dentists):
  createdb dl_recap_bench
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/dl_recap_bench DJANGO_DEBUG=1 python manage.py migrate
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/dl_recap_bench DJANGO_DEBUG=1 python bench/recap.py
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dentallab.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Practice, Role, User  # noqa: E402
from cases.models import Case, Status  # noqa: E402
from dentallab.mail import queue_emails  # noqa: E402
from notifications.recap import weekly_recap_emails  # noqa: E402

STATUS_WEIGHTS = {
    Status.DELIVERED: 70, Status.SHIPPED: 4, Status.CANCELLED: 3, Status.DRAFT: 2, Status.SUBMITTED: 4,
    Status.RECEIVED: 4, Status.IN_DESIGN: 3, Status.AWAITING_APPROVAL: 2, Status.IN_PRODUCTION: 4,
    Status.QUALITY_CHECK: 2, Status.ON_HOLD: 2,
}  # fmt: skip


def fill(dentist_count: int, case_count: int, rng: random.Random) -> list[User]:
    practices = Practice.objects.bulk_create(
        Practice(name=f"Recap Practice {i}", account_number=f"RB-{i:05d}", address=f"{i} Bench Street")
        for i in range(dentist_count // 2)
    )
    dentists = User.objects.bulk_create(
        User(
            email=f"dr{i}@recap.bench", name=f"Dr. Bench {i}", role=Role.DENTIST, practice=practices[i % len(practices)]
        )
        for i in range(dentist_count)
    )
    now = timezone.now()
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    batch = []
    for index in range(case_count):
        dentist = dentists[index % len(dentists)]
        status = rng.choices(statuses, weights)[0]
        shipped = None
        if status in (Status.SHIPPED, Status.DELIVERED):
            shipped = now - datetime.timedelta(days=rng.randint(0, 700), hours=rng.randint(0, 23))
        batch.append(
            Case(
                number=f"RB-{index:07d}",
                practice_id=dentist.practice_id,
                dentist=dentist,
                patient_name=f"Chart {index}",
                status=status,
                due_date=(now + datetime.timedelta(days=rng.randint(-10, 20))).date(),
                shipped_at=shipped,
            )
        )
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    return dentists


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dentists", type=int, default=500)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="Time the recap on the data a previous run left.")
    args = parser.parse_args()
    if Case.objects.exists() and not args.reuse:
        sys.exit("The database already has cases: run this on an empty, migrated database (or pass --reuse).")
    if not args.reuse:
        rng = random.Random(12)
        started = time.perf_counter()
        with transaction.atomic():
            fill(args.dentists, args.cases, rng)
        print(f"filled {args.dentists} dentists, {args.cases} cases in {time.perf_counter() - started:.1f} s")
    print(f"database: {User.objects.filter(role=Role.DENTIST).count()} dentists, {Case.objects.count()} cases")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    friday = timezone.now()
    queries_before = len(connection.queries)
    started = time.perf_counter()
    emails = weekly_recap_emails(friday)
    built = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        queue_emails(emails)
        transaction.set_rollback(args.reuse)  # a re-run leaves the outbox as it found it
    queued = time.perf_counter() - started
    rows = sum(email["text"].count("\n- ") for email in emails)
    queries = f"; queries: {len(connection.queries) - queries_before}" if django.conf.settings.DEBUG else ""
    print(
        f"recap: {len(emails)} e-mails ({rows} case lines) built and rendered in {built:.2f} s; "
        f"queued (outbox + tasks) in {queued:.2f} s; total {built + queued:.2f} s (target < 30 s){queries}"
    )


if __name__ == "__main__":
    main()
