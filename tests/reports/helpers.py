"""A hand-worked period for the scorecard (DESIGN §17): Monday 2 to Sunday 29 November 2026.

Practice A
 1. received Mon 2 Nov, shipped Fri 6 Nov, ship-by 6 Nov: on time; (2, 6] = Tue-Fri = 4 working days
 2. received Thu 5 Nov, shipped Tue 10 Nov, ship-by 9 Nov: late;  (5, 10] = Fri, Mon, Tue = 3
 3. received Mon 9 Nov, shipped Mon 16 Nov, no ship-by, due 17 Nov: on time; (9, 16] = 5; remade
Practice B
 4. received Fri 20 Nov, shipped Mon 23 Nov, ship-by 23 Nov: on time; (20, 23] = Mon = 1
 5. shipped 1 Dec (after the period)      6. in production (never shipped)
Cases 1 and 2 are the technician's; 3 and 4 unassigned. Items: 1 = X, X, Y; 2 = X; 3 = Y; 4 = Z (implant).

Totals: 4 shipped, 3 on time (0.75), 1 remake (0.25), median of 1, 3, 4, 5 = 3.5.
"""

import datetime

from cases.models import Status
from tests.factories import (
    CaseFactory,
    CaseItemFactory,
    DentistFactory,
    PracticeFactory,
    ProductFactory,
    TechnicianFactory,
)

PERIOD = {"from": "2026-11-02", "to": "2026-11-29"}


def noon(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T12:00:00+00:00")


def d(day: str) -> datetime.date:
    return datetime.date.fromisoformat(day)


def build_period():
    a, b = PracticeFactory(name="Alpha Dental"), PracticeFactory(name="Beta Dental")
    dentist_a, dentist_b = DentistFactory(practice=a), DentistFactory(practice=b)
    tech = TechnicianFactory(name="Tess Tech")
    x = ProductFactory(code="X1", name="Crown")
    y = ProductFactory(code="Y1", name="Bridge")
    z = ProductFactory(code="Z1", name="Implant crown", category="implant")

    def shipped(dentist, received, shipped_on, ship_by=None, due=None, technician=None, status=Status.SHIPPED):
        return CaseFactory(
            dentist=dentist,
            status=status,
            received_at=noon(received),
            shipped_at=noon(shipped_on) if shipped_on else None,
            ship_by=d(ship_by) if ship_by else None,
            due_date=d(due) if due else None,
            assigned_technician=technician,
        )

    c1 = shipped(dentist_a, "2026-11-02", "2026-11-06", ship_by="2026-11-06", due="2026-11-06", technician=tech)
    c2 = shipped(dentist_a, "2026-11-05", "2026-11-10", ship_by="2026-11-09", due="2026-11-09", technician=tech)
    c3 = shipped(dentist_a, "2026-11-09", "2026-11-16", due="2026-11-17", status=Status.DELIVERED)
    c4 = shipped(dentist_b, "2026-11-20", "2026-11-23", ship_by="2026-11-23")
    c5 = shipped(dentist_b, "2026-11-25", "2026-12-01", ship_by="2026-12-01")
    c6 = shipped(dentist_a, "2026-11-20", None, status=Status.IN_PRODUCTION)
    for case, product in ((c1, x), (c1, x), (c1, y), (c2, x), (c3, y), (c4, z), (c5, x), (c6, x)):
        CaseItemFactory(case=case, product=product)
    CaseFactory(
        dentist=dentist_a, status=Status.RECEIVED, received_at=noon("2026-11-20"),
        remake_of=c3, remake_reason="Open margin", remake_responsibility="lab",
    )  # fmt: skip
    return {
        "a": a, "b": b, "dentist_a": dentist_a, "dentist_b": dentist_b, "tech": tech, "x": x, "y": y, "z": z,
        "cases": [c1, c2, c3, c4, c5, c6],
    }  # fmt: skip


def build_busy_weeks(count: int = 160, seed: int = 16):
    """A lab's last 12 weeks in the small: four practices, three technicians, cases received and
    shipped every week, some late, some remade for one of a few reasons, and open work in every
    status (for the screenshots and the page's query budget)."""
    import random

    from django.utils import timezone

    rng = random.Random(seed)
    names = ("Bright Smile Dental", "Riverside Family Dentistry", "Harbour View Orthodontics", "Oak Street Dental")
    practices = [PracticeFactory(name=name) for name in names]
    dentists = [DentistFactory(practice=p) for p in practices]
    techs = [TechnicianFactory(name=n) for n in ("Ana Technician", "Ben Ceramist", "Cleo Designer")]
    products = [
        ProductFactory(code="RC1", name="Zirconia crown"),
        ProductFactory(code="RI1", name="Implant crown", category="implant"),
        ProductFactory(code="RR1", name="Night guard", category="removable"),
    ]
    today = timezone.localdate()
    reasons = [("Open margin", "lab"), ("Shade mismatch", "shared"), ("Impression distorted", "practice")]
    shipped = []
    for _ in range(count):
        received = today - datetime.timedelta(days=rng.randrange(3, 84))
        took = rng.choice([3, 4, 5, 5, 6, 7, 8, 10])
        shipped_on = received + datetime.timedelta(days=took)
        if shipped_on > today:
            shipped_on = None
        dentist = rng.choice(dentists)
        case = CaseFactory(
            dentist=dentist,
            status=Status.DELIVERED if shipped_on else rng.choice(
                [Status.RECEIVED, Status.IN_DESIGN, Status.IN_PRODUCTION, Status.QUALITY_CHECK]),
            received_at=datetime.datetime.combine(received, datetime.time(9), tzinfo=datetime.UTC),
            shipped_at=(
                datetime.datetime.combine(shipped_on, datetime.time(15), tzinfo=datetime.UTC) if shipped_on else None
            ),
            ship_by=received + datetime.timedelta(days=rng.choice([5, 6, 7, 8])),
            due_date=received + datetime.timedelta(days=9),
            assigned_technician=rng.choice(techs),
        )  # fmt: skip
        CaseItemFactory(case=case, product=rng.choice(products))
        if shipped_on:
            shipped.append(case)
    for case in rng.sample(shipped, max(len(shipped) // 12, 1)):
        reason, responsibility = rng.choice(reasons)
        CaseFactory(
            dentist=case.dentist, status=Status.RECEIVED, received_at=case.shipped_at, remake_of=case,
            remake_reason=reason, remake_responsibility=responsibility,
        )  # fmt: skip
    for status in (Status.SUBMITTED, Status.AWAITING_APPROVAL, Status.ON_HOLD):
        CaseFactory(dentist=rng.choice(dentists), status=status)
    return {"practices": practices, "dentists": dentists, "techs": techs}
