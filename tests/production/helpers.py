"""A small production floor for the tests: three departments, a crown routed through them with a
design step, and cases received through the lifecycle (so their steps come from the signal)."""

from cases.models import Status
from cases.services import transition_case
from production.models import Department, RoutingStep, Stage
from tests.factories import CaseFactory, CaseItemFactory, ManagerFactory, ProductFactory


def floor(*, technician=None, approval=False, capacities=(10, 10, 10)):
    # update_or_create: the every-page walk builds this floor on top of the demo's own departments.
    models, design, milling = (
        Department.objects.update_or_create(name=name, defaults={"daily_capacity": capacity, "position": position})[0]
        for position, (name, capacity) in enumerate(
            zip(("Models", "CAD design", "Milling"), capacities, strict=True), start=1
        )
    )
    if technician is not None:
        for department in (models, design, milling):
            department.technicians.add(technician)
    product = ProductFactory(name="Zirconia crown", category="crown_bridge")
    RoutingStep.objects.create(product=product, position=1, department=models, name="Models")
    RoutingStep.objects.create(
        product=product, position=2, department=design, name="CAD design", stage=Stage.DESIGN, needs_approval=approval
    )
    RoutingStep.objects.create(product=product, position=3, department=milling, name="Milling")
    return {"models": models, "design": design, "milling": milling, "product": product}


def received_case(product, *, practice=None, dentist=None, teeth=(11,), quantity=1, actor=None, **fields):
    kwargs = {"status": Status.SUBMITTED, **fields}
    if dentist is not None:
        kwargs["dentist"] = dentist
    elif practice is not None:
        from tests.factories import DentistFactory

        kwargs["dentist"] = DentistFactory(practice=practice)
    case = CaseFactory(**kwargs)
    CaseItemFactory(case=case, product=product, teeth=list(teeth), quantity=quantity)
    return transition_case(case=case, to=Status.RECEIVED, actor=actor or ManagerFactory())
