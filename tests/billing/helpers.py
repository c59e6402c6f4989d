"""Shared builders for billing tests: cases shipped through the lifecycle (so the invoice is
issued the way production issues it)."""

from decimal import Decimal

from cases.models import Status
from cases.services import transition_case
from tests.factories import CaseFactory, CaseItemFactory, ManagerFactory, ProductFactory


def shipped_case(
    practice=None, *, prices=(Decimal("100.00"),), quantity=1, priority="normal", actor=None, dentist=None
):
    kwargs = {"status": Status.QUALITY_CHECK, "priority": priority}
    if dentist is not None:
        kwargs["dentist"] = dentist
        kwargs["practice"] = dentist.practice
    elif practice is not None:
        from tests.factories import DentistFactory

        kwargs["dentist"] = DentistFactory(practice=practice)
        kwargs["practice"] = practice
    case = CaseFactory(**kwargs)
    for price in prices:
        CaseItemFactory(case=case, product=ProductFactory(price=price), unit_price=price, quantity=quantity, teeth=[11])
    return transition_case(case=case, to=Status.SHIPPED, actor=actor or ManagerFactory())
