"""A small lab with cases in several statuses, for the tests of the case pages (cases-web)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from accounts.models import Practice, User
from cases.models import Case, Product, Status
from cases.services import ItemInput, create_case, transition_case
from tests.factories import (
    AdminFactory,
    CaseFactory,
    CaseItemFactory,
    DentistFactory,
    ManagerFactory,
    ProductFactory,
    TechnicianFactory,
)


@dataclass
class Lab:
    admin: User
    manager: User
    technician: User
    dentist: User  # of `practice`
    other_dentist: User  # of `other_practice`
    practice: Practice
    other_practice: Practice
    crown: Product
    bridge: Product
    case: Case  # a submitted case of `practice`, two items
    other_case: Case  # a case of `other_practice`

    def users(self):
        return {
            "admin": self.admin,
            "manager": self.manager,
            "technician": self.technician,
            "dentist": self.dentist,
            "other_dentist": self.other_dentist,
        }


def make_lab() -> Lab:
    dentist = DentistFactory(name="Dr. Ada Smith")
    other_dentist = DentistFactory(name="Dr. Ben Jones")
    crown = ProductFactory(code="ZC", name="Zirconia crown", price=Decimal("120.00"), turnaround_days=5)
    bridge = ProductFactory(code="EB", name="E.max bridge unit", price=Decimal("150.00"), turnaround_days=7)
    case = create_case(
        actor=dentist,
        practice=dentist.practice,
        dentist=dentist,
        patient_name="JD-1042",
        items=[
            ItemInput(product=crown, teeth=[11, 21], shade="A2", quantity=2),
            ItemInput(product=bridge, teeth=[36], shade="A3"),
        ],
        submit=True,
        pan_number="P-7",
        shade="A2",
        instructions="Light contacts please.",
    )
    other_case = CaseFactory(dentist=other_dentist, patient_name="Other-77")
    CaseItemFactory(case=other_case, product=crown)
    return Lab(
        admin=AdminFactory(name="Alex Admin"),
        manager=ManagerFactory(name="Morgan Manager"),
        technician=TechnicianFactory(name="Taylor Tech"),
        dentist=dentist,
        other_dentist=other_dentist,
        practice=dentist.practice,
        other_practice=other_dentist.practice,
        crown=crown,
        bridge=bridge,
        case=case,
        other_case=other_case,
    )


def make_many_cases(lab: Lab, count: int) -> list[Case]:
    """`count` cases of the lab's practice in assorted statuses, with one item each."""
    today = timezone.localdate()
    statuses = list(Status.values)
    cases = []
    for index in range(count):
        case = CaseFactory(
            dentist=lab.dentist,
            status=statuses[index % len(statuses)],
            priority="rush" if index % 4 == 0 else "normal",
            due_date=today + datetime.timedelta(days=(index % 9) - 3),
            assigned_technician=lab.technician if index % 2 else None,
            pan_number=f"PAN{index:03d}",
        )
        CaseItemFactory(case=case, product=lab.crown, teeth=[11 + (index % 7)])
        cases.append(case)
    return cases


def move(case: Case, actor: User, *statuses: str) -> Case:
    for status in statuses:
        case = transition_case(case=case, to=status, actor=actor, note="Why" if status == Status.ON_HOLD else "")
    return case
