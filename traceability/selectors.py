"""Reads of materials, lots, usages and statements, so visibility and joins live in one place.

Every read starts from `visible_to(user)`: a dentist sees no material or lot (404), and a case's
usages and statements only with the case (`cases.selectors.get_case_for`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import LabProfile
from accounts.policy import VisibleQuery
from cases.models import FINISHED_STATUSES, Case, CaseItem
from dentallab.compiled import CompiledQuery
from traceability.models import CaseDeclaration, Lot, LotStatus, LotUsage, Material, Statement

# --- materials and lots ---------------------------------------------------------------------------


def materials_for(user, *, search: str = "", include_inactive: bool = True) -> QuerySet[Material]:
    materials = Material.objects.visible_to(user).annotate(lot_count=Count("lots"))
    if not include_inactive:
        materials = materials.filter(active=True)
    if search:
        materials = materials.filter(
            Q(name__icontains=search) | Q(manufacturer__icontains=search) | Q(gtin__contains=search)
        )
    return materials.order_by("name", "id")


def get_material_for(user, pk) -> Material:
    return get_object_or_404(Material.objects.visible_to(user), pk=pk)


def lots_for(user, *, status: str = "", material=None, search: str = "") -> QuerySet[Lot]:
    lots = Lot.objects.visible_to(user).select_related("material")
    if status:
        lots = lots.filter(status=status)
    if material:
        lots = lots.filter(material_id=material)
    if search:
        lots = lots.filter(
            Q(lot_number__icontains=search) | Q(material__name__icontains=search) | Q(material__gtin__contains=search)
        )
    return lots.order_by("material__name", "expires_on", "id")


def get_lot_for(user, pk) -> Lot:
    return get_object_or_404(Lot.objects.visible_to(user).select_related("material", "created_by"), pk=pk)


def usable_lots(user, *, today=None) -> QuerySet[Lot]:
    """Lots a technician may pick for an item: active and not expired today (the service checks
    again; this only keeps refused lots out of the menu)."""
    today = today or timezone.localdate()
    return (
        lots_for(user, status=LotStatus.ACTIVE)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .filter(material__active=True)
    )


_USABLE_LOTS = VisibleQuery(
    lambda user, today: usable_lots(user, today=today).only("id", "lot_number", "expires_on", "material__name")
)


def usable_lots_list(user) -> list[Lot]:
    """usable_lots today, as a list of what the usage form's menu shows of them (on every case
    page of the lab: id, lot number, expiry and the material's name)."""
    return _USABLE_LOTS.list(user, timezone.localdate())


def find_lot(user, *, gtin: str | None, lot_number: str | None) -> Lot | None:
    if not lot_number:
        return None
    lots = Lot.objects.visible_to(user).select_related("material").filter(lot_number=lot_number)
    if gtin:
        lots = lots.filter(material__gtin=gtin)
    return lots.first() if lots.count() == 1 else None


# --- a case's usages -----------------------------------------------------------------------------


def case_usages(case: Case) -> QuerySet[LotUsage]:
    """The lots recorded on a case (the caller has checked the case is visible)."""
    return (
        LotUsage.objects.filter(case=case)
        .select_related("lot__material", "item__product", "recorded_by")
        .order_by("item_id", "recorded_at", "id")
    )


_USAGES_WITH_LOTS = CompiledQuery(
    lambda variant, case_pk: case_usages(case_pk).select_related(None).select_related("lot__material")
)


def case_usages_with_lots(case: Case) -> list[LotUsage]:
    """case_usages with only each lot and its material joined (what the case page shows)."""
    return _USAGES_WITH_LOTS.list(case.pk)


_DECLARATION = CompiledQuery(lambda variant, case_pk: CaseDeclaration.objects.filter(case=case_pk))


def declaration_of(case: Case) -> CaseDeclaration | None:
    """The case's Annex I declaration, if the lab made one."""
    return _DECLARATION.first(case.pk)


def items_missing_lots(case: Case) -> list[CaseItem]:
    """The case's items whose product requires traceability and that have no lot yet."""
    return list(
        CaseItem.objects.filter(case=case, product__requires_traceability=True)
        .exclude(lot_usages__isnull=False)
        .select_related("product")
        .order_by("id")
    )


def quarantined_usages(case: Case) -> list[LotUsage]:
    return list(case_usages(case).filter(lot__status=LotStatus.QUARANTINED))


# --- recall ----------------------------------------------------------------------------------


def recall_usages(user, lot: Lot) -> QuerySet[LotUsage]:
    """Every use of the lot in a case this user may see, with what a recall letter needs
    (practice, dentist, patient reference, shipped date); one query for the whole list."""
    return (
        LotUsage.objects.visible_to(user)
        .filter(lot=lot)
        .select_related("case__practice", "case__dentist")
        .order_by("case__practice__name", "case__number", "id")
    )


def recall_cases(user, lot: Lot) -> list[dict]:
    """One row per case that used the lot (a case using it on several items appears once)."""
    rows: dict[int, dict] = {}
    for usage in recall_usages(user, lot):
        row = rows.get(usage.case_id)
        if row is None:
            rows[usage.case_id] = row = {"case": usage.case, "items": []}
        row["items"].append(f"{usage.product_name} ({', '.join(str(t) for t in usage.teeth)})")
    return list(rows.values())


def _flagged(user) -> QuerySet[Case]:
    quarantined = LotUsage.objects.filter(case=OuterRef("pk"), lot__status=LotStatus.QUARANTINED)
    return Case.objects.visible_to(user).exclude(status__in=FINISHED_STATUSES).filter(Exists(quarantined))


# Counted on every lab dashboard: compiled once (dentallab.compiled).
_FLAGGED_COUNT = VisibleQuery(_flagged)


def flagged_open_cases(user, *, limit: int = 10) -> tuple[int, list[Case]]:
    """Open cases (not shipped, delivered or cancelled) that used a quarantined lot."""
    count = _FLAGGED_COUNT.count(user)
    listed = list(_flagged(user).select_related("practice").order_by("due_date", "id")[:limit]) if count else []
    return count, listed


# --- statements --------------------------------------------------------------------------------


def statements_for_case(user, case: Case) -> QuerySet[Statement]:
    """The case's statements, newest version first. A statement is first issued when the case
    ships (services.on_case_moved) and shipping is never undone, so a case never shipped has none:
    its case page is spared the query."""
    if case.shipped_at is None:
        return Statement.objects.none()
    return Statement.objects.visible_to(user).filter(case=case).select_related("file").order_by("-version")


_CASE_STATEMENTS = VisibleQuery(
    lambda user, case_pk: (
        Statement.objects.visible_to(user).filter(case=case_pk).select_related("file").order_by("-version")
    )
)


def case_statements(user, case: Case) -> list[Statement]:
    """statements_for_case as a list, for the case page (none looked for before the case ships)."""
    return [] if case.shipped_at is None else _CASE_STATEMENTS.list(user, case.pk)


def current_statement(user, case: Case) -> Statement | None:
    return statements_for_case(user, case).first()


# --- the lab profile -----------------------------------------------------------------------------

COMMON_REQUIRED = {
    "legal_name": "legal name",
    "address": "address",
    "manufacturing_sites": "manufacturing sites",
    "responsible_person": "person responsible for regulatory compliance",
}
REGION_REQUIRED = {
    "eu": {"eu_srn": "EU single registration number (SRN)"},
    "uk": {"uk_mhra_number": "UK MHRA registration number"},
    "us": {"us_fda_establishment": "US FDA establishment number"},
}


@dataclass
class ProfileGaps:
    region: str
    missing: list[str]

    def __bool__(self) -> bool:
        return bool(self.missing)


def lab_profile_gaps(profile: LabProfile | None = None, *, region: str | None = None) -> ProfileGaps:
    """The fields the statement of manufacture needs for the lab's regulatory region that are still
    empty, as words."""
    from traceability.regions import current_region

    region = region or current_region()
    profile = profile or LabProfile.current()
    required = {**COMMON_REQUIRED, **REGION_REQUIRED.get(region, {})}
    return ProfileGaps(
        region=region, missing=[label for name, label in required.items() if not str(getattr(profile, name)).strip()]
    )


def with_usages(items: list[CaseItem], usages: list[LotUsage]) -> list[CaseItem]:
    """`items` (the case's, in their order) each given `.usages`: its lots from `usages` (the
    case's, as case_usages orders them), without another query."""
    by_item: dict[int, list[LotUsage]] = {}
    for usage in usages:
        by_item.setdefault(usage.item_id, []).append(usage)
    for item in items:
        item.usages = by_item.get(item.pk, [])
    return items


def case_items_with_usages(case: Case) -> list[CaseItem]:
    """The case's items, each with `.usages` (its lots), in two queries."""
    return list(
        CaseItem.objects.filter(case=case)
        .select_related("product")
        .prefetch_related(
            Prefetch(
                "lot_usages",
                queryset=LotUsage.objects.select_related("lot__material").order_by("recorded_at", "id"),
                to_attr="usages",
            )
        )
        .order_by("id")
    )
