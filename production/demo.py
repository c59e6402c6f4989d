"""Demo production floor (DESIGN §10, §12): seven departments, a realistic routing for every demo
product, the demo technician in every department, and the QC checklist of every category.
Idempotent.

`seed_setup` runs before the demo cases, so the cases received while they are seeded get their
steps from the routing (the lifecycle signal); `seed_floor` after them: it brings each open case's
steps to where its status says the work is, adds the QC checklist (after the demo cases have been
shipped, so they are not held back by it) and ticks it on the cases that already left the lab."""

import datetime

from django.utils import timezone

from accounts.models import Role, User
from cases.demo import seed_products
from cases.models import Case, ProductCategory, Status
from production.models import CaseStep, Department, QCCheck, QCItem, RoutingStep, Stage, StepStatus
from production.services import plan_case

C = ProductCategory

# name, daily capacity (units), column
DEPARTMENTS = [
    ("Models", 40),
    ("CAD design", 25),
    ("Milling & printing", 30),
    ("Ceramics", 15),
    ("Removables", 8),
    ("Finishing", 40),
    ("Quality control", 50),
]

D = "design"
P = "production"
MODELS = ("Models", "Models and dies", P, False)
QC = ("Quality control", "Quality control", P, False)
FINISH = ("Finishing", "Finishing and polish", P, False)


def _design(name="CAD design", approval=False):
    return ("CAD design", name, D, approval)


CERAMIC_CROWN = [
    MODELS,
    _design(),
    ("Milling & printing", "Milling", P, False),
    ("Ceramics", "Stain and glaze", P, False),
    FINISH,
    QC,
]
LAYERED = [
    MODELS,
    _design(),
    ("Milling & printing", "Milling", P, False),
    ("Ceramics", "Layering", P, False),
    FINISH,
    QC,
]
PFM = [
    MODELS,
    _design("Framework design"),
    ("Milling & printing", "Framework casting", P, False),
    ("Ceramics", "Porcelain build-up", P, False),
    FINISH,
    QC,
]
GOLD = [MODELS, _design("Wax-up design"), ("Milling & printing", "Casting", P, False), FINISH, QC]
BRIDGE = [
    MODELS,
    _design(approval=True),
    ("Milling & printing", "Milling", P, False),
    ("Ceramics", "Stain and glaze", P, False),
    FINISH,
    QC,
]
PFM_BRIDGE = [
    MODELS,
    _design("Framework design", approval=True),
    ("Milling & printing", "Framework casting", P, False),
    ("Ceramics", "Porcelain build-up", P, False),
    FINISH,
    QC,
]
VENEER = [
    MODELS,
    _design("Smile design", approval=True),
    ("Milling & printing", "Pressing", P, False),
    ("Ceramics", "Layering", P, False),
    FINISH,
    QC,
]
MILLED = [MODELS, _design(), ("Milling & printing", "Milling", P, False), FINISH, QC]
IMPLANT_CROWN = [
    MODELS,
    _design("Implant crown design"),
    ("Milling & printing", "Milling", P, False),
    ("Ceramics", "Stain and glaze", P, False),
    ("Finishing", "Bonding to Ti-base", P, False),
    QC,
]
ABUTMENT = [MODELS, _design("Abutment design"), ("Milling & printing", "Milling", P, False), FINISH, QC]
BAR = [MODELS, _design("Bar design", approval=True), ("Milling & printing", "Milling", P, False), FINISH, QC]
DENTURE = [MODELS, ("Removables", "Bite rims and set-up", D, True), ("Removables", "Processing", P, False), FINISH, QC]
CAST_PARTIAL = [
    MODELS,
    _design("Framework design"),
    ("Milling & printing", "Framework printing and casting", P, False),
    ("Removables", "Set-up and processing", P, False),
    FINISH,
    QC,
]
FLEXIBLE = [MODELS, ("Removables", "Set-up", D, False), ("Removables", "Injection", P, False), FINISH, QC]
RELINE = [MODELS, ("Removables", "Processing", P, False), FINISH, QC]
GUARD = [MODELS, _design("Splint design"), ("Milling & printing", "Printing", P, False), FINISH, QC]
ALIGNERS = [
    MODELS,
    _design("Aligner set-up", approval=True),
    ("Milling & printing", "Model printing", P, False),
    ("Removables", "Thermoforming", P, False),
    FINISH,
    QC,
]
THERMOFORMED = [MODELS, ("Removables", "Thermoforming", P, False), FINISH, QC]
HAWLEY = [MODELS, ("Removables", "Wire bending and acrylic", P, False), FINISH, QC]
STUDY = [MODELS, QC]
WAXUP = [MODELS, ("CAD design", "Diagnostic wax-up", D, False), QC]
GUIDE = [MODELS, _design("Guide planning", approval=True), ("Milling & printing", "Printing", P, False), FINISH, QC]

ROUTINGS = {
    "CB-ZR-FC": CERAMIC_CROWN,
    "CB-ZR-LY": LAYERED,
    "CB-EM-CR": CERAMIC_CROWN,
    "CB-PFM-NP": PFM,
    "CB-PFM-HN": PFM,
    "CB-FGC": GOLD,
    "CB-ZR-BR": BRIDGE,
    "CB-PFM-BR": PFM_BRIDGE,
    "CB-MB-BR": BRIDGE,
    "CB-EM-VN": VENEER,
    "CB-FP-VN": VENEER,
    "CB-EM-IO": CERAMIC_CROWN,
    "CB-CP-IO": MILLED,
    "CB-TMP": MILLED,
    "IM-ZR-SR": IMPLANT_CROWN,
    "IM-EM-CR": IMPLANT_CROWN,
    "IM-AB-TI": ABUTMENT,
    "IM-AB-ZR": ABUTMENT,
    "IM-BAR": BAR,
    "RM-FD-AC": DENTURE,
    "RM-FD-OV": DENTURE,
    "RM-PD-CC": CAST_PARTIAL,
    "RM-PD-FX": FLEXIBLE,
    "RM-RL": RELINE,
    "RM-RP": RELINE,
    "OR-NG-HD": GUARD,
    "OR-NG-DL": GUARD,
    "OR-CA": ALIGNERS,
    "OR-RT-ES": THERMOFORMED,
    "OR-RT-HW": HAWLEY,
    "OT-SM": STUDY,
    "OT-WAX": WAXUP,
    "OT-SG": GUIDE,
    "OT-BT": THERMOFORMED,
    "OT-MG": THERMOFORMED,
}

COMMON_QC = ["Margins", "Contacts", "Occlusion", "Shade", "Surface and polish", "Cleaning and disinfection"]
QC_ITEMS = {
    C.CROWN_BRIDGE: COMMON_QC,
    C.IMPLANT: [*COMMON_QC[:5], "Screw channel and torque", "Cleaning and disinfection"],
    C.REMOVABLE: ["Fit on the model", "Occlusion", "Borders and polish", "Clasps and retention",
                  "Cleaning and disinfection"],
    C.ORTHODONTIC: ["Fit on the model", "Edges trimmed and smooth", "Cleaning and disinfection"],
    C.OTHER: ["Matches the prescription", "Cleaning and disinfection"],
}  # fmt: skip


def seed_setup(users: dict | None = None) -> dict[str, int]:
    """Departments, routings and the technicians' departments (before the demo cases)."""
    departments = {}
    for position, (name, capacity) in enumerate(DEPARTMENTS):
        department, _ = Department.objects.get_or_create(
            name=name, defaults={"daily_capacity": capacity, "position": position}
        )
        departments[name] = department
    technicians = list(User.objects.filter(role=Role.TECHNICIAN, is_active=True))
    demo_tech = [t for t in technicians if t.email == "tech@demo.dentallab.test"] or technicians[:1]
    for department in departments.values():
        department.technicians.add(*demo_tech)
    products = seed_products()
    routed = 0
    for code, steps in ROUTINGS.items():
        product = products.get(code)
        if product is None or RoutingStep.objects.filter(product=product).exists():
            continue
        RoutingStep.objects.bulk_create(
            RoutingStep(
                product=product,
                position=index + 1,
                department=departments[department],
                name=name,
                stage=stage,
                needs_approval=approval,
            )
            for index, (department, name, stage, approval) in enumerate(steps)
        )
        routed += 1
    return {"departments": len(departments), "routings": routed}


def _bring_to_status(case: Case, tech: User | None) -> None:
    """Mark a demo case's steps done / in progress as far as its status says the work has got."""
    status = case.held_from_status if case.status == Status.ON_HOLD else case.status
    steps = list(CaseStep.objects.filter(case=case).order_by("item_id", "position"))
    if (
        not steps
        or status == Status.RECEIVED
        or any(s.status != StepStatus.PENDING and s.status != StepStatus.READY for s in steps)
    ):
        return
    now = timezone.now()
    chains = {}
    for step in steps:
        chains.setdefault(step.item_id, []).append(step)
    for chain in chains.values():
        design = [i for i, s in enumerate(chain) if s.stage == Stage.DESIGN]
        last_design = design[-1] if design else -1
        if status in (Status.QUALITY_CHECK, Status.SHIPPED, Status.DELIVERED):
            done, current = len(chain), None
        elif status == Status.IN_DESIGN:
            done, current = (design[0], design[0]) if design else (0, 0)
        elif status == Status.AWAITING_APPROVAL:
            done, current = last_design + 1, None
        else:  # in production
            done = min(last_design + 2, len(chain) - 1)
            current = done
        for index, step in enumerate(chain):
            if index < done:
                step.status, step.technician = StepStatus.DONE, tech
                step.started_at = now - datetime.timedelta(hours=len(chain) - index + 2)
                step.finished_at = now - datetime.timedelta(hours=len(chain) - index + 1)
                step.planned_date = None
            elif index == current and case.status != Status.ON_HOLD:
                step.status, step.technician, step.started_at = StepStatus.IN_PROGRESS, tech, now
            elif index == done:
                step.status = StepStatus.READY
            else:
                step.status = StepStatus.PENDING
    CaseStep.objects.bulk_update(steps, ["status", "technician", "started_at", "finished_at", "planned_date"])


def seed_floor(users: dict | None = None) -> dict[str, int]:
    """After the demo cases: steps where the work is, the QC checklist, ticks on shipped cases."""
    tech = User.objects.filter(email="tech@demo.dentallab.test").first()
    for case in Case.objects.exclude(status__in=[Status.DRAFT, Status.SUBMITTED, Status.CANCELLED]).order_by("id"):
        _bring_to_status(case, tech)
        if case.status != Status.ON_HOLD:
            plan_case(case)  # the demo cases' due dates were set after they were received
    created = 0
    for category, labels in QC_ITEMS.items():
        for position, label in enumerate(labels):
            _, new = QCItem.objects.get_or_create(
                category=category, label=label, defaults={"position": position + 1, "active": True}
            )
            created += new
    for case in Case.objects.filter(status__in=[Status.SHIPPED, Status.DELIVERED]):
        categories = set(case.items.values_list("product__category", flat=True))
        items = QCItem.objects.filter(category__in=categories, active=True)
        QCCheck.objects.bulk_create(
            [QCCheck(case=case, item=item, checked_by=tech) for item in items], ignore_conflicts=True
        )
    return {"qc_items": created}
