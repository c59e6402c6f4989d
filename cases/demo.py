"""Demo price list and cases (DESIGN §10): every status for both demo practices, with timelines,
shared and internal notes, rush and late cases and a remake. Idempotent: products are updated in
place by code, and a case is created only if its practice has no case for that patient yet.

Cases are made through cases.services (so every timeline event and audit record is real), then
their dates are moved into the past so the timeline reads like a lab's week.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from accounts.models import Practice, Role, User
from cases import services
from cases.models import Case, CaseItem, Priority, Product, ProductCategory, RemakeResponsibility, Status, TimelineEvent
from cases.units import default_unit
from workcalendar.calendar import add_working_days, lab_today, subtract_working_days

C = ProductCategory

# code, name, category, default material, price, turnaround (working days)
PRICE_LIST = [
    ("CB-ZR-FC", "Full-contour zirconia crown", C.CROWN_BRIDGE, "Monolithic zirconia", "129.00", 5),
    ("CB-ZR-LY", "Layered zirconia crown", C.CROWN_BRIDGE, "Zirconia, feldspathic porcelain", "169.00", 6),
    ("CB-EM-CR", "IPS e.max crown", C.CROWN_BRIDGE, "Lithium disilicate", "159.00", 5),
    ("CB-PFM-NP", "PFM crown, non-precious", C.CROWN_BRIDGE, "Ni-Cr alloy, porcelain", "109.00", 6),
    ("CB-PFM-HN", "PFM crown, high noble", C.CROWN_BRIDGE, "Au-Pt alloy, porcelain", "289.00", 7),
    ("CB-FGC", "Full cast gold crown", C.CROWN_BRIDGE, "High noble gold", "259.00", 6),
    ("CB-ZR-BR", "Zirconia bridge (per unit)", C.CROWN_BRIDGE, "Monolithic zirconia", "139.00", 7),
    ("CB-PFM-BR", "PFM bridge (per unit)", C.CROWN_BRIDGE, "Ni-Cr alloy, porcelain", "119.00", 7),
    ("CB-MB-BR", "Maryland bridge (per unit)", C.CROWN_BRIDGE, "Zirconia", "189.00", 7),
    ("CB-EM-VN", "IPS e.max veneer", C.CROWN_BRIDGE, "Lithium disilicate", "149.00", 6),
    ("CB-FP-VN", "Feldspathic veneer", C.CROWN_BRIDGE, "Feldspathic porcelain", "179.00", 7),
    ("CB-EM-IO", "e.max inlay / onlay", C.CROWN_BRIDGE, "Lithium disilicate", "139.00", 5),
    ("CB-CP-IO", "Composite inlay / onlay", C.CROWN_BRIDGE, "Nano-hybrid composite", "89.00", 4),
    ("CB-TMP", "Provisional crown", C.CROWN_BRIDGE, "Milled PMMA", "39.00", 2),
    (
        "IM-ZR-SR",
        "Screw-retained zirconia implant crown (Ti-base)",
        C.IMPLANT,
        "Zirconia on titanium base",
        "329.00",
        8,
    ),
    ("IM-EM-CR", "Cement-retained e.max implant crown", C.IMPLANT, "Lithium disilicate", "279.00", 8),
    ("IM-AB-TI", "Custom titanium abutment", C.IMPLANT, "Titanium grade 5", "249.00", 7),
    ("IM-AB-ZR", "Custom zirconia abutment (Ti-base)", C.IMPLANT, "Zirconia on titanium base", "289.00", 7),
    ("IM-BAR", "Milled implant bar (per implant)", C.IMPLANT, "Titanium grade 5", "349.00", 12),
    ("RM-FD-AC", "Full denture, acrylic (per arch)", C.REMOVABLE, "Heat-cured acrylic, acrylic teeth", "449.00", 10),
    ("RM-FD-OV", "Implant-retained overdenture (per arch)", C.REMOVABLE, "Acrylic, locator housings", "899.00", 12),
    ("RM-PD-CC", "Cast partial denture", C.REMOVABLE, "Co-Cr framework, acrylic", "529.00", 10),
    ("RM-PD-FX", "Flexible partial denture", C.REMOVABLE, "Nylon thermoplastic", "399.00", 8),
    ("RM-RL", "Denture reline", C.REMOVABLE, "Heat-cured acrylic", "119.00", 3),
    ("RM-RP", "Denture repair", C.REMOVABLE, "Acrylic", "69.00", 2),
    ("OR-NG-HD", "Night guard, hard", C.ORTHODONTIC, "Hard acrylic", "119.00", 4),
    ("OR-NG-DL", "Night guard, dual laminate", C.ORTHODONTIC, "Dual-laminate PETG", "139.00", 4),
    ("OR-CA", "Clear aligners (per arch, up to 14 stages)", C.ORTHODONTIC, "PETG", "649.00", 10),
    ("OR-RT-ES", "Essix retainer", C.ORTHODONTIC, "PETG", "79.00", 3),
    ("OR-RT-HW", "Hawley retainer", C.ORTHODONTIC, "Acrylic, SS wire", "99.00", 5),
    ("OT-SM", "Study models (pair)", C.OTHER, "Dental stone", "39.00", 2),
    ("OT-WAX", "Diagnostic wax-up (per tooth)", C.OTHER, "Wax", "35.00", 3),
    ("OT-SG", "Implant surgical guide", C.OTHER, "Printed resin, steel sleeves", "229.00", 5),
    ("OT-BT", "Bleaching trays (pair)", C.OTHER, "Soft EVA", "69.00", 3),
    ("OT-MG", "Sports mouthguard", C.OTHER, "Pressure-formed EVA", "89.00", 4),
]

UPPER = [18, 17, 16, 15, 14, 13, 12, 11, 21, 22, 23, 24, 25, 26, 27, 28]
LOWER = [48, 47, 46, 45, 44, 43, 42, 41, 31, 32, 33, 34, 35, 36, 37, 38]

S = Status
# The moves that take a fresh draft to each status (cancelled and on_hold have their own paths).
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: [S.SUBMITTED],
    S.RECEIVED: [S.SUBMITTED, S.RECEIVED],
    S.IN_DESIGN: [S.SUBMITTED, S.RECEIVED, S.IN_DESIGN],
    S.AWAITING_APPROVAL: [S.SUBMITTED, S.RECEIVED, S.IN_DESIGN, S.AWAITING_APPROVAL],
    S.IN_PRODUCTION: [S.SUBMITTED, S.RECEIVED, S.IN_DESIGN, S.AWAITING_APPROVAL, S.IN_PRODUCTION],
    S.QUALITY_CHECK: [S.SUBMITTED, S.RECEIVED, S.IN_PRODUCTION, S.QUALITY_CHECK],
    S.SHIPPED: [S.SUBMITTED, S.RECEIVED, S.IN_DESIGN, S.IN_PRODUCTION, S.QUALITY_CHECK, S.SHIPPED],
    S.DELIVERED: [S.SUBMITTED, S.RECEIVED, S.IN_PRODUCTION, S.QUALITY_CHECK, S.SHIPPED, S.DELIVERED],
    S.ON_HOLD: [S.SUBMITTED, S.RECEIVED, S.IN_DESIGN, S.ON_HOLD],
    S.CANCELLED: [S.SUBMITTED, S.CANCELLED],
}
DENTIST_STEPS = {S.SUBMITTED, S.DELIVERED}
REASONS = {
    S.ON_HOLD: "Waiting for a new bite registration from the practice.",
    S.CANCELLED: "Patient postponed treatment.",
    (S.AWAITING_APPROVAL, S.IN_DESIGN): "Please close the contact on the distal a little more.",
    (S.QUALITY_CHECK, S.IN_PRODUCTION): "Porcelain chipped at the incisal edge; re-layer.",
}


@dataclass
class DemoCase:
    practice: str  # account number
    patient: str  # a chart reference, not a name: demo data keeps PHI minimal too
    status: str
    items: list  # (product code, teeth, shade)
    age: int  # days since the case was created
    due: int | None = None  # due date, days from today (None: the services' suggestion)
    priority: str = Priority.NORMAL
    shade: str = ""
    instructions: str = ""
    notes: list = field(default_factory=list)  # (author role, body, internal)
    by_lab: bool = False  # entered by the lab (e.g. a phoned-in case) rather than the dentist


BSD, RFD = "BSD-1001", "RFD-1002"

CASES = [
    # Bright Smile Dental
    DemoCase(BSD, "Chart 10231", S.DRAFT, [("CB-EM-CR", [11], "A1")], 1, shade="A1",
             instructions="Lifelike translucency at the incisal third."),
    DemoCase(BSD, "Chart 10244", S.SUBMITTED, [("CB-ZR-FC", [36], "A3")], 1, due=6,
             notes=[("dentist", "Tight interproximal contact with 37, please check.", False)]),
    DemoCase(BSD, "Chart 10198", S.RECEIVED, [("IM-ZR-SR", [46], "A2"), ("IM-AB-TI", [46], "")], 2, due=7),
    DemoCase(BSD, "Chart 10175", S.IN_DESIGN, [("CB-ZR-BR", [14, 15, 16], "A3")], 4, due=2, priority=Priority.RUSH,
             notes=[("lab", "Pontic at 15: ovate, as discussed by phone.", False)]),
    DemoCase(BSD, "Chart 10162", S.AWAITING_APPROVAL, [("CB-EM-VN", [12, 11, 21, 22], "Other: BL2 bleach")], 6, due=4,
             shade="Other: BL2 bleach", instructions="Smile design attached; keep 11/21 slightly longer.",
             notes=[("lab", "Design ready for approval: see the mock-up.", False)]),
    DemoCase(BSD, "Chart 10140", S.IN_PRODUCTION, [("CB-PFM-NP", [26], "A3.5")], 9, due=-2,
             notes=[("lab", "Margin on the scan is unclear mesially; trimmed the die to the best line.", True)]),
    DemoCase(BSD, "Chart 10133", S.IN_PRODUCTION, [("RM-PD-CC", [34, 35, 36], "")], 8, due=0, priority=Priority.RUSH),
    DemoCase(BSD, "Chart 10121", S.QUALITY_CHECK, [("CB-EM-IO", [25], "A2")], 7, due=1),
    DemoCase(BSD, "Chart 10102", S.SHIPPED, [("OR-NG-DL", UPPER, "")], 10, due=-1),
    DemoCase(BSD, "Chart 10088", S.DELIVERED, [("CB-ZR-LY", [21], "2M2")], 21, due=-12,
             notes=[("dentist", "Seated today, great fit. Thank you!", False)]),
    DemoCase(BSD, "Chart 10071", S.ON_HOLD, [("RM-FD-AC", UPPER, "A2")], 12, due=3,
             notes=[("lab", "Called the practice about the bite; they will rescan on Thursday.", True)]),
    DemoCase(BSD, "Chart 10065", S.CANCELLED, [("OT-BT", UPPER, "")], 15),
    DemoCase(BSD, "Chart 10059", S.DELIVERED, [("OR-CA", UPPER, ""), ("OR-CA", LOWER, "")], 30, due=-16),
    DemoCase(BSD, "Chart 10250", S.IN_DESIGN, [("OT-SG", [36], "")], 3, due=-1, by_lab=True),
    # Riverside Family Dentistry
    DemoCase(RFD, "RF-5521", S.DRAFT, [("OR-NG-HD", LOWER, "")], 0),
    DemoCase(RFD, "RF-5517", S.SUBMITTED, [("CB-FGC", [47], "")], 0, priority=Priority.RUSH, due=2,
             instructions="Patient travelling next week: rush please."),
    DemoCase(RFD, "RF-5503", S.RECEIVED, [("RM-PD-FX", [44, 45, 46], "")], 2, due=5),
    DemoCase(RFD, "RF-5490", S.IN_DESIGN, [("IM-EM-CR", [11], "B1"), ("IM-AB-ZR", [11], "")], 5, due=3, shade="B1"),
    DemoCase(RFD, "RF-5486", S.AWAITING_APPROVAL, [("CB-ZR-BR", [44, 45, 46, 47], "A3")], 6, due=-1,
             notes=[("dentist", "Reviewing the design with the patient tomorrow.", False)]),
    DemoCase(RFD, "RF-5472", S.IN_PRODUCTION, [("CB-ZR-FC", [16], "A2"), ("CB-ZR-FC", [26], "A2")], 6, due=2,
             notes=[("lab", "Mill queue: slot 3 on the 5-axis.", True)]),
    DemoCase(RFD, "RF-5466", S.QUALITY_CHECK, [("OR-RT-ES", UPPER, "")], 4, due=-3,
             notes=[("lab", "Thermoformed twice: first one had a bubble over 13.", True)]),
    DemoCase(RFD, "RF-5450", S.SHIPPED, [("CB-PFM-HN", [36], "A3")], 11, due=0),
    DemoCase(RFD, "RF-5441", S.DELIVERED, [("RM-FD-OV", LOWER, "A3")], 25, due=-10),
    DemoCase(RFD, "RF-5433", S.ON_HOLD, [("IM-BAR", [32, 34, 42, 44], "")], 14, due=-2,
             notes=[("dentist", "Waiting for the implant analog positions to be confirmed.", False)]),
    DemoCase(RFD, "RF-5429", S.CANCELLED, [("OT-MG", UPPER, "")], 9),
    DemoCase(RFD, "RF-5412", S.SHIPPED, [("CB-TMP", [11, 21], "A1")], 5, due=1, priority=Priority.RUSH),
]  # fmt: skip

TRACKING = "1Z999AA1{:010d}"


def seed_products() -> dict[str, Product]:
    products = {}
    for code, name, category, material, price, turnaround in PRICE_LIST:
        product, _ = Product.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "default_material": material,
                "price": Decimal(price),
                "turnaround_days": turnaround,
                "unit": default_unit(category, name),
                "active": True,
            },
        )
        products[code] = product
    return products


def _actor(role_key: str, *, dentist: User, lab: dict[str, User]) -> User:
    return dentist if role_key == "dentist" else lab["tech"]


def _mover(status_from: str, to: str, *, dentist: User, lab: dict[str, User]) -> User:
    if to in DENTIST_STEPS or (status_from, to) in {(S.AWAITING_APPROVAL, S.IN_PRODUCTION)}:
        return dentist
    if to in (S.ON_HOLD, S.CANCELLED) or status_from == S.ON_HOLD:
        return lab["manager"] if status_from not in (S.DRAFT, S.SUBMITTED) else dentist
    return lab["tech"]


def _backdate(case: Case, spec: DemoCase, today: datetime.date) -> None:
    """Spread the case's timeline over its age, and set the dates its status implies."""
    now = timezone.now()
    start = now - datetime.timedelta(days=spec.age, hours=3)
    events = list(case.events.order_by("created_at", "id"))
    span = max(now - start - datetime.timedelta(hours=1), datetime.timedelta(minutes=len(events) + 1))
    step = span / max(len(events), 1)
    stamps = {}
    for index, event in enumerate(events):
        stamp = start + step * index
        TimelineEvent.objects.filter(pk=event.pk).update(created_at=stamp)
        if event.kind == "status":
            stamps.setdefault(event.to_status, stamp)
    updates = {"created_at": start}
    if S.RECEIVED in stamps:
        updates["received_at"] = stamps[S.RECEIVED]
    if S.SHIPPED in stamps:
        updates["shipped_at"] = stamps[S.SHIPPED]
        updates["tracking_number"] = TRACKING.format(case.pk)
    if S.DELIVERED in stamps:
        updates["delivered_at"] = stamps[S.DELIVERED]
    if spec.due is not None:
        # Counted in the lab's working days, like every date of the app (workcalendar).
        due = spec.due
        updates["due_date"] = add_working_days(today, due) if due >= 0 else subtract_working_days(today, -due)
    elif case.status != S.DRAFT:
        products = [item.product for item in case.items.select_related("product")]
        updates["due_date"] = services.suggested_due_date(products, start.date(), case.practice)
    if "due_date" in updates:
        updates["ship_by"] = services.ship_by_for(updates["due_date"], case.practice)
    Case.objects.filter(pk=case.pk).update(**updates)


def _seed_case(spec: DemoCase, *, practice: Practice, dentist: User, lab: dict, products: dict, pan: int) -> Case:
    creator = lab["manager"] if spec.by_lab else dentist
    case = services.create_case(
        actor=creator,
        practice=practice,
        dentist=dentist,
        patient_name=spec.patient,
        items=[
            services.ItemInput(product=products[code], teeth=teeth, shade=shade) for code, teeth, shade in spec.items
        ],
        priority=spec.priority,
        shade=spec.shade,
        instructions=spec.instructions,
    )
    notes = list(spec.notes)
    for to in PATHS[spec.status]:
        status_from = case.status
        if to == S.RECEIVED:
            services.update_case(case=case, actor=lab["tech"], changes={"pan_number": f"{pan:03d}"})
        note = REASONS.get((status_from, to)) or REASONS.get(to, "")
        case = services.transition_case(
            case=case, to=to, actor=_mover(status_from, to, dentist=dentist, lab=lab), note=note
        )
        if to == S.RECEIVED and lab.get("tech"):
            case = services.assign_technician(case=case, actor=lab["manager"], technician=lab["tech"])
        if notes and to in (S.RECEIVED, S.IN_DESIGN, S.AWAITING_APPROVAL, S.SUBMITTED):
            who, body, internal = notes.pop(0)
            services.add_note(case=case, actor=_actor(who, dentist=dentist, lab=lab), body=body, internal=internal)
    for who, body, internal in notes:
        services.add_note(case=case, actor=_actor(who, dentist=dentist, lab=lab), body=body, internal=internal)
    return case


def seed_cases(users: dict[str, User] | None = None, *, today: datetime.date | None = None) -> dict[str, int]:
    """The price list and the demo cases; returns how many of each were created this time."""
    today = today or lab_today()
    products = seed_products()
    users = users or {user.email: user for user in User.objects.all()}
    lab = {
        "manager": next(u for u in users.values() if u.role in (Role.MANAGER, Role.ADMIN)),
        "tech": next((u for u in users.values() if u.role == Role.TECHNICIAN), None),
    }
    lab["tech"] = lab["tech"] or lab["manager"]
    dentists = {u.practice.account_number: u for u in users.values() if u.role == Role.DENTIST and u.practice_id}
    created = 0
    for index, spec in enumerate(CASES):
        dentist = dentists.get(spec.practice)
        if dentist is None:
            continue
        if Case.objects.filter(practice=dentist.practice, patient_name=spec.patient).exists():
            continue
        case = _seed_case(spec, practice=dentist.practice, dentist=dentist, lab=lab, products=products, pan=101 + index)
        _backdate(case, spec, today)
        created += 1
    created += _seed_remake(lab)
    return {"products": len(products), "cases": created}


def _seed_remake(lab) -> int:
    """A remake of a delivered crown, linked to the original."""
    original = Case.objects.filter(patient_name="Chart 10088", status=S.DELIVERED).first()
    if original is None or original.remakes.exists():
        return 0
    remake = services.create_remake(
        original=original,
        actor=lab["manager"],
        reason="Shade too low in value next to 11; remake in 1M2.",
        responsibility=RemakeResponsibility.LAB,
    )
    CaseItem.objects.filter(case=remake).update(shade="1M2")
    return 1
