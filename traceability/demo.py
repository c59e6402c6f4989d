"""Demo traceability (DESIGN §10, §15): the lab profile, six materials with lots (one expired and
one quarantined among them), `requires_traceability` on every crown, bridge, implant and denture
product, and lots recorded on the open demo cases. Idempotent.

`seed_setup` runs before the demo cases (so the statements issued while they are moved to shipped
carry the lab profile); `seed_usage` after them (it marks the products and records lots on cases
still in the lab, one of them with the quarantined lot, so the flag shows on the dashboard)."""

import datetime

from django.utils import timezone

from accounts.models import LabProfile, User
from cases.models import Case, CaseItem, Product, ProductCategory, Status
from traceability import services
from traceability.models import Lot, LotStatus, LotUsage, Material

PROFILE = {
    "legal_name": "DentalLab Demo Laboratory Ltd",
    "address": "12 Harbour Street\nDublin D02 X285\nIreland",
    "manufacturing_sites": "DentalLab Demo Laboratory, 12 Harbour Street, Dublin D02 X285, Ireland",
    "phone": "+353 1 555 0100",
    "email": "regulatory@demo.dentallab.test",
    "website": "https://demo.dentallab.test",
    "eu_srn": "IE-MF-000012345",
    "uk_mhra_number": "CA012345",
    "us_fda_establishment": "3012345678",
    "responsible_person": "Dr. Aoife Ní Bhriain",
    "responsible_person_title": "Person responsible for regulatory compliance",
}

# name, manufacturer, GTIN-14, category, country of origin
MATERIALS = [
    ("Zirconia disc 3Y-TZP, 98 × 14 mm", "Zirkonzahn-like Ceramics GmbH", "04012345000016", "ceramic", "Germany"),
    ("Lithium disilicate block LT A2", "Ivo-like Vivadent AG", "07612345000022", "ceramic", "Liechtenstein"),
    ("Cobalt-chromium alloy (Co-Cr) ingot", "Dentaurum-like GmbH", "04012345000030", "alloy", "Germany"),
    ("Titanium abutment blank Ti-6Al-4V", "Medentika-like AG", "07612345000046", "titanium", "Switzerland"),
    ("PMMA disc, A2, 98 × 20 mm", "Polymer Dental Ltd", "05012345000053", "polymer", "Ireland"),
    ("Acrylic denture teeth, set of 28", "Vita-like Zahnfabrik", "04012345000061", "teeth", "Germany"),
]

# material index, lot number, expiry offset (days from today; negative = expired), status
LOTS = [
    (0, "ZR-2410-A", 540, LotStatus.ACTIVE),
    (0, "ZR-2309-B", -20, LotStatus.ACTIVE),  # expired: refused on any case
    (1, "LD-77120", 420, LotStatus.ACTIVE),
    (1, "LD-77004", 300, LotStatus.QUARANTINED),
    (2, "CC-5512", 1200, LotStatus.ACTIVE),
    (3, "TI-88231", 900, LotStatus.ACTIVE),
    (4, "PM-31007", 380, LotStatus.ACTIVE),
    (5, "AT-90415", 700, LotStatus.ACTIVE),
]

# Which material a demo product is made from (by product code prefix).
PRODUCT_MATERIAL = {
    "CB-ZR": 0,
    "IM-ZR": 0,
    "IM-AB-ZR": 0,
    "CB-EM": 1,
    "IM-EM": 1,
    "CB-PFM": 2,
    "RM-PD-CC": 2,
    "IM-AB-TI": 3,
    "IM-BAR": 3,
    "CB-TMP": 4,
    "RM-FD": 5,
}
TRACEABLE_CATEGORIES = (ProductCategory.CROWN_BRIDGE, ProductCategory.IMPLANT)


def seed_setup() -> dict:
    profile = LabProfile.current()
    changed = [name for name, value in PROFILE.items() if not getattr(profile, name)]
    for name in changed:
        setattr(profile, name, PROFILE[name])
    if changed:
        profile.save()
    materials = []
    for name, manufacturer, gtin, category, country in MATERIALS:
        material, _ = Material.objects.update_or_create(
            gtin=gtin,
            defaults={"name": name, "manufacturer": manufacturer, "category": category, "country_of_origin": country},
        )
        materials.append(material)
    today = timezone.localdate()
    created = 0
    for index, number, offset, status in LOTS:
        _, new = Lot.objects.get_or_create(
            material=materials[index],
            lot_number=number,
            defaults={
                "expires_on": today + datetime.timedelta(days=offset),
                "received_on": today - datetime.timedelta(days=60),
                "supplier": "Henry-like Schein Dental",
                "status": status,
                "status_reason": "Supplier field safety notice FSN-2026-014" if status == LotStatus.QUARANTINED else "",
            },
        )
        created += new
    return {"materials": len(materials), "lots": created}


def _is_traceable(product: Product) -> bool:
    if product.category in TRACEABLE_CATEGORIES:
        return True
    return product.category == ProductCategory.REMOVABLE and "denture" in product.name.lower()


def _material_for(product: Product) -> int | None:
    for prefix, index in sorted(PRODUCT_MATERIAL.items(), key=lambda pair: -len(pair[0])):
        if product.code.startswith(prefix):
            return index
    return None


def seed_usage(users: dict[str, User] | None = None) -> dict:
    for product in Product.objects.all():
        if _is_traceable(product) and not product.requires_traceability:
            product.requires_traceability = True
            product.save(update_fields=["requires_traceability"])
    lab_user = User.objects.filter(role__in=["technician", "manager", "admin"], is_active=True).order_by("role").first()
    if lab_user is None:
        return {"usages": 0}
    lots = {lot.lot_number: lot for lot in Lot.objects.select_related("material")}
    by_material = {}
    for index, number, _offset, status in LOTS:
        if status == LotStatus.ACTIVE and lots[number].expires_on >= timezone.localdate():
            by_material.setdefault(index, lots[number])
    recorded = 0
    open_cases = Case.objects.filter(status__in=[Status.IN_PRODUCTION, Status.QUALITY_CHECK]).order_by("id")
    for case in open_cases:
        for item in CaseItem.objects.filter(case=case).select_related("product"):
            index = _material_for(item.product)
            if index is None or index not in by_material or LotUsage.objects.filter(item=item).exists():
                continue
            services.record_usage(actor=lab_user, case=case, item=item, lot=by_material[index])
            recorded += 1
    # One open case made from the lot now quarantined (recorded before the supplier's notice).
    quarantined = lots["LD-77004"]
    target = (
        CaseItem.objects.filter(case__status=Status.IN_PRODUCTION, product__code__startswith="CB-EM")
        .exclude(lot_usages__lot=quarantined)
        .select_related("case", "product")
        .first()
    )
    if target and not LotUsage.objects.filter(lot=quarantined).exists():
        LotUsage.objects.create(
            case=target.case,
            item=target,
            lot=quarantined,
            product_name=target.product.name,
            teeth=target.teeth,
            recorded_by=lab_user,
        )
        recorded += 1
    return {"usages": recorded}
