"""Fallback filler: N cases (default 100,000) spread over practices, dentists, statuses and two
years, with one item and a "created" timeline event each, by bulk insert (about a minute).

bench/load.py uses the cases-api filler (bench/cases.py) when it exists and this one otherwise.
Usage: DJANGO_SETTINGS_MODULE=dentallab.settings DATABASE_URL=... python bench/fill.py --cases 100000
"""

import argparse
import datetime
import os
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dentallab.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from sequences.models import Sequence  # noqa: E402

from accounts.models import Practice, Role, User  # noqa: E402
from cases.models import Case, CaseItem, EventKind, Product, Status, TimelineEvent  # noqa: E402
from dentallab.sequences import sequence_name  # noqa: E402

STATUS_WEIGHTS = {
    Status.DELIVERED: 70, Status.SHIPPED: 4, Status.CANCELLED: 3, Status.DRAFT: 2, Status.SUBMITTED: 4,
    Status.RECEIVED: 4, Status.IN_DESIGN: 3, Status.AWAITING_APPROVAL: 2, Status.IN_PRODUCTION: 4,
    Status.QUALITY_CHECK: 2, Status.ON_HOLD: 2,
}  # fmt: skip
BATCH = 5000


def ensure_dentists(rng) -> list[User]:
    for index in range(20):
        practice, _ = Practice.objects.get_or_create(
            account_number=f"BENCH-{index:03d}", defaults={"name": f"Bench Practice {index:02d}"}
        )
        for seat in range(3):
            email = f"dr{seat}.bench{index:03d}@bench.test"
            if not User.objects.filter(email=email).exists():
                User.objects.create_user(
                    email=email, password=None, name=f"Dr Bench {index}-{seat}", role=Role.DENTIST, practice=practice
                )
    return list(User.objects.filter(role=Role.DENTIST, practice__isnull=False, is_active=True))


def ensure_products() -> list[Product]:
    for code, name, price, days in [
        ("B-ZC", "Zirconia crown", "120.00", 5),
        ("B-EMAX", "e.max crown", "140.00", 6),
        ("B-IMPL", "Implant crown", "260.00", 8),
        ("B-NG", "Night guard", "90.00", 4),
    ]:
        Product.objects.get_or_create(
            code=code, defaults={"name": name, "price": Decimal(price), "turnaround_days": days}
        )
    return list(Product.objects.filter(active=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(42)
    existing = Case.objects.count()
    missing = args.cases - existing
    if missing <= 0:
        print(f"{existing} cases already; nothing to add")
        return
    dentists = ensure_dentists(rng)
    products = ensure_products()
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    now = timezone.now()
    today = timezone.localdate()
    sequences = {int(row.name.rsplit("-", 1)[1]): row.last for row in Sequence.objects.filter(name__startswith="case-")}
    added = 0
    while added < missing:
        size = min(BATCH, missing - added)
        cases = []
        for _ in range(size):
            created = now - datetime.timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
            year = created.year
            sequences[year] = sequences.get(year, 0) + 1
            dentist = rng.choice(dentists)
            status = rng.choices(statuses, weights)[0]
            received = (
                created + datetime.timedelta(hours=rng.randint(2, 48)) if status not in ("draft", "submitted") else None
            )
            cases.append(
                Case(
                    number=f"{year}-{sequences[year]:05d}",
                    practice_id=dentist.practice_id,
                    dentist=dentist,
                    patient_name=f"Chart {rng.randint(1000, 99999)}",
                    status=status,
                    held_from_status=Status.IN_PRODUCTION if status == Status.ON_HOLD else "",
                    priority="rush" if rng.random() < 0.1 else "normal",
                    received_at=received,
                    due_date=(due := (created + datetime.timedelta(days=rng.randint(3, 14))).date()),
                    ship_by=due,  # no transit days in the bench practices
                    shipped_at=received + datetime.timedelta(days=5)
                    if received and status in ("shipped", "delivered")
                    else None,
                    pan_number=f"P{rng.randint(1, 999)}",
                    shade=rng.choice(["A1", "A2", "A3", "B1", "2M2", ""]),
                    instructions="",
                )
            )
        with transaction.atomic():
            created_cases = Case.objects.bulk_create(cases)
            # created_at is auto_now_add: spread it over the two years after the insert.
            Case.objects.bulk_update(
                [
                    Case(pk=case.pk, created_at=(case.received_at or now) - datetime.timedelta(hours=3))
                    for case in created_cases
                ],
                ["created_at"],
                batch_size=1000,
            )
            CaseItem.objects.bulk_create(
                CaseItem(case=case, product=(product := rng.choice(products)), teeth=[rng.choice([11, 21, 36, 46])],
                         quantity=1, unit_price=product.price, material=product.default_material)
                for case in created_cases
            )  # fmt: skip
            TimelineEvent.objects.bulk_create(
                TimelineEvent(
                    case=case,
                    kind=EventKind.CREATED,
                    to_status=Status.DRAFT,
                    created_at=(case.received_at or now) - datetime.timedelta(hours=3),
                )
                for case in created_cases
            )
            for year, value in sequences.items():
                Sequence.objects.update_or_create(name=sequence_name("", year), defaults={"last": value})
        added += size
        print(f"  {existing + added:>7} cases", flush=True)
    print(f"done: {Case.objects.count()} cases (today {today})")


if __name__ == "__main__":
    main()
