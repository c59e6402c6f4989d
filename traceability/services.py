"""Writes of traceability: materials, lots, the lots used on case items, the Annex I declaration,
the statement of manufacture, and the lab profile. Each service runs in one transaction and checks
every rule that guards its write (traceability.policy), so a page, the API, the admin and the scan
station cannot disagree. Refusals are `dentallab.exceptions` errors naming the field."""

from __future__ import annotations

import datetime
import hashlib
import logging
import unicodedata
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.audit import AuditAction, record
from accounts.models import LabProfile, User
from accounts.policy import ensure
from cases.models import Case, CaseItem, EventKind, Status, TimelineEvent
from dentallab.exceptions import AppError, Conflict, NotFound, Unavailable
from files.models import CaseFile, FileKind, FileState
from traceability import policy
from traceability import storage as statement_storage
from traceability.gs1 import normalize_gtin
from traceability.models import CaseDeclaration, Lot, LotStatus, LotUsage, Material, MaterialCategory, Statement
from traceability.regions import current_region
from traceability.selectors import items_missing_lots, quarantined_usages

logger = logging.getLogger(__name__)


class LotNotUsable(Conflict):
    """The lot may not be used now: expired, quarantined or used up (409, field `lot`)."""

    code = "lot_not_usable"
    field = "lot"


class TraceabilityIncomplete(Conflict):
    """The case cannot leave quality check: an item has no lot, or a lot is quarantined (409)."""

    code = "traceability_incomplete"
    field = "lots"


# --- small checks ------------------------------------------------------------------------------


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    """Trimmed text without control or format characters (tabs, NUL, bidi overrides, GS...)."""
    text = str(value if value is not None else "").strip()
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise AppError(f"The {label} contains control characters; type it again.", field=field)
    if required and not text:
        raise AppError(f"Enter the {label}.", field=field)
    if len(text) > max_length:
        raise AppError(f"The {label} is at most {max_length} characters.", field=field)
    return text


def _date(value, *, field: str, label: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise AppError(f"The {label} must be a date as YYYY-MM-DD.", field=field) from None


# --- materials ---------------------------------------------------------------------------------

MATERIAL_FLAGS = ("contains_medicinal_substance", "contains_blood_derivative", "contains_tissues_or_cells")


def _material_values(data: dict, *, partial: bool = False) -> dict:
    values = {}
    if not partial or "name" in data:
        values["name"] = clean_text(data.get("name"), field="name", label="name", max_length=150, required=True)
    for name, label, length in (("manufacturer", "manufacturer", 150), ("country_of_origin", "country", 80)):
        if not partial or name in data:
            values[name] = clean_text(data.get(name), field=name, label=label, max_length=length)
    if not partial or "gtin" in data:
        gtin = clean_text(data.get("gtin"), field="gtin", label="GTIN", max_length=20)
        values["gtin"] = normalize_gtin(gtin) if gtin else ""
    if not partial or "category" in data:
        category = data.get("category") or MaterialCategory.OTHER
        if category not in MaterialCategory.values:
            raise AppError(f"Choose a category: {', '.join(MaterialCategory.values)}.", field="category")
        values["category"] = category
    for name in (*MATERIAL_FLAGS, "active"):
        if name in data:
            values[name] = bool(data[name])
    return values


def _unique_gtin(gtin: str, *, exclude_pk=None) -> None:
    if gtin and Material.objects.filter(gtin=gtin).exclude(pk=exclude_pk).exists():
        raise Conflict(f"Another material already has GTIN {gtin}.", field="gtin", code="duplicate_gtin")


@transaction.atomic
def create_material(*, actor: User, data: dict) -> Material:
    """A new material (managers). The GTIN, when given, is checked (GS1 check digit) and unique."""
    ensure(policy.can_manage_materials(actor), "Only managers add materials.")
    values = _material_values(data)
    _unique_gtin(values["gtin"])
    return Material.objects.create(**values)


@transaction.atomic
def update_material(*, actor: User, material: Material, data: dict) -> Material:
    ensure(policy.can_manage_materials(actor), "Only managers change materials.")
    material = Material.objects.select_for_update().get(pk=material.pk)
    values = _material_values(data, partial=True)
    if "gtin" in values:
        _unique_gtin(values["gtin"], exclude_pk=material.pk)
    for name, value in values.items():
        setattr(material, name, value)
    material.save()
    return material


# --- lots --------------------------------------------------------------------------------------


def _lot_values(data: dict, *, partial: bool = False) -> dict:
    values = {}
    if not partial or "lot_number" in data:
        values["lot_number"] = clean_text(
            data.get("lot_number"), field="lot_number", label="lot number", max_length=40, required=True
        )
    for name, label in (("expires_on", "expiry date"), ("received_on", "date received")):
        if not partial or name in data:
            values[name] = _date(data.get(name), field=name, label=label)
    if not partial or "supplier" in data:
        values["supplier"] = clean_text(data.get("supplier"), field="supplier", label="supplier", max_length=150)
    return values


CERTIFICATE_TYPES = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024


def check_certificate(upload) -> str:
    """A lot certificate is a PDF, PNG or JPEG of at most 10 MB, checked by its first bytes."""
    if upload.size > CERTIFICATE_MAX_BYTES:
        raise AppError("The certificate is larger than 10 MB.", field="certificate")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for magic, ext in CERTIFICATE_TYPES.items():
        if head.startswith(magic):
            return ext
    raise AppError("The certificate must be a PDF, PNG or JPEG file.", field="certificate")


def _store_certificate(lot: Lot, upload) -> None:
    ext = check_certificate(upload)
    lot.certificate.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)


@transaction.atomic
def create_lot(*, actor: User, material: Material, data: dict, certificate=None) -> Lot:
    """A lot received (managers): the lot number without control characters, dates as ISO dates,
    unique per material."""
    ensure(policy.can_manage_materials(actor), "Only managers add lots.")
    values = _lot_values(data)
    if Lot.objects.filter(material=material, lot_number=values["lot_number"]).exists():
        raise Conflict(
            f"{material.name} already has lot {values['lot_number']}.", field="lot_number", code="duplicate_lot"
        )
    lot = Lot(material=material, created_by=actor, **values)
    if certificate is not None:
        _store_certificate(lot, certificate)
    lot.save()
    return lot


@transaction.atomic
def update_lot(*, actor: User, lot: Lot, data: dict, certificate=None) -> Lot:
    ensure(policy.can_manage_materials(actor), "Only managers change lots.")
    lot = Lot.objects.select_for_update().select_related("material").get(pk=lot.pk)
    values = _lot_values(data, partial=True)
    number = values.get("lot_number", lot.lot_number)
    if Lot.objects.filter(material=lot.material, lot_number=number).exclude(pk=lot.pk).exists():
        raise Conflict(f"{lot.material.name} already has lot {values['lot_number']}.", field="lot_number")
    for name, value in values.items():
        setattr(lot, name, value)
    if certificate is not None:
        _store_certificate(lot, certificate)
    lot.save()
    return lot


@transaction.atomic
def set_lot_status(*, actor: User, lot: Lot, status: str, reason: str = "") -> Lot:
    """Quarantine a lot (with a reason), release it, or mark it used up (managers). Quarantining
    flags every open case that used it (they cannot leave quality check until it is resolved)."""
    ensure(policy.can_manage_materials(actor), "Only managers change a lot's status.")
    if status not in LotStatus.values:
        raise AppError(f"Choose a status: {', '.join(LotStatus.values)}.", field="status")
    reason = clean_text(reason, field="reason", label="reason", max_length=300)
    if status == LotStatus.QUARANTINED and not reason:
        raise AppError("Say why the lot is quarantined.", field="reason")
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    lot.status, lot.status_reason = status, reason if status == LotStatus.QUARANTINED else ""
    lot.save(update_fields=["status", "status_reason"])
    return lot


# --- usage -------------------------------------------------------------------------------------


def lot_refusal(lot: Lot, *, today: datetime.date) -> str | None:
    """Why this lot may not be used today, or None."""
    if lot.status == LotStatus.QUARANTINED:
        why = f": {lot.status_reason}" if lot.status_reason else ""
        return f"Lot {lot.lot_number} of {lot.material.name} is quarantined{why}."
    if lot.status == LotStatus.USED_UP:
        return f"Lot {lot.lot_number} of {lot.material.name} is marked used up."
    if lot.is_expired_on(today):
        return f"Lot {lot.lot_number} of {lot.material.name} expired on {lot.expires_on:%d %b %Y}."
    return None


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def record_usage(*, actor: User, case: Case, item: CaseItem | int, lot: Lot | int, request=None) -> LotUsage:
    """Record that `lot` was used to make `item` of `case`. Refused: an item of another case (400),
    a lot this user cannot see (404), an expired (on the day of use), quarantined or used-up lot
    (409, with the reason), the same lot twice on one item (409). The case row is locked, so the
    check at quality check sees every usage recorded before it."""
    case = _lock_case(case)
    ensure(policy.can_record_usage(actor, case), policy.usage_refusal(actor, case))
    item_id = item.pk if isinstance(item, CaseItem) else item
    item = CaseItem.objects.select_related("product").filter(case=case, pk=item_id).first()
    if item is None:
        raise AppError("Choose an item of this case.", field="item")
    lot_id = lot.pk if isinstance(lot, Lot) else lot
    lot = Lot.objects.visible_to(actor).select_related("material").filter(pk=lot_id).first()
    if lot is None:
        raise NotFound("No such lot.", field="lot")
    refusal = lot_refusal(lot, today=timezone.localdate())
    if refusal:
        raise LotNotUsable(refusal)
    duplicate = f"Lot {lot.lot_number} is already recorded on {item.product.name}."
    if LotUsage.objects.filter(item=item, lot=lot).exists():
        raise Conflict(duplicate, field="lot", code="duplicate_usage")
    try:
        with transaction.atomic():
            usage = LotUsage.objects.create(
                case=case, item=item, lot=lot, product_name=item.product.name, teeth=item.teeth, recorded_by=actor
            )
    except IntegrityError:
        raise Conflict(duplicate, field="lot", code="duplicate_usage") from None
    TimelineEvent.objects.create(
        case=case,
        actor=actor,
        kind=EventKind.EDIT,
        internal=True,
        body=f"Recorded lot {lot.lot_number} of {lot.material.name} on {item.product.name}.",
        data={"fields": ["material_lots"], "lot_id": lot.pk, "item_id": item.pk},
    )
    record(
        AuditAction.CASE_CHANGED,
        request=request,
        actor=actor,
        obj=case,
        case_id=case.pk,
        detail={"fields": ["material_lots"], "lot_id": lot.pk, "item_id": item.pk},
    )
    return usage


@transaction.atomic
def remove_usage(*, actor: User, usage: LotUsage, request=None) -> None:
    """Take back a lot recorded by mistake (the same rule as recording it)."""
    case = _lock_case(usage.case)
    ensure(policy.can_record_usage(actor, case), policy.usage_refusal(actor, case))
    usage = LotUsage.objects.select_related("lot__material").get(pk=usage.pk)
    TimelineEvent.objects.create(
        case=case,
        actor=actor,
        kind=EventKind.EDIT,
        internal=True,
        body=f"Removed lot {usage.lot.lot_number} of {usage.lot.material.name} from {usage.product_name}.",
        data={"fields": ["material_lots"], "lot_id": usage.lot_id},
    )
    record(
        AuditAction.CASE_CHANGED,
        request=request,
        actor=actor,
        obj=case,
        case_id=case.pk,
        detail={"fields": ["material_lots"], "removed_lot_id": usage.lot_id},
    )
    usage.delete()


@transaction.atomic
def set_declaration(*, actor: User, case: Case, annex_i_deviations: str) -> CaseDeclaration:
    """The Annex I requirements not fully met, and why (empty: all met)."""
    case = _lock_case(case)
    ensure(policy.can_edit_declaration(actor, case), policy.usage_refusal(actor, case))
    text = str(annex_i_deviations or "").strip()
    if len(text) > 2000:
        raise AppError("Keep it under 2,000 characters.", field="annex_i_deviations")
    declaration, _ = CaseDeclaration.objects.update_or_create(
        case=case, defaults={"annex_i_deviations": text, "updated_by": actor}
    )
    return declaration


# --- leaving quality check -------------------------------------------------------------------


def check_ready_to_ship(case: Case) -> None:
    """Every item whose product requires traceability has a lot, and no lot used is quarantined;
    otherwise TraceabilityIncomplete (409) naming what is missing."""
    missing = items_missing_lots(case)
    if missing:
        names = "; ".join(f"{item.product.name} (teeth {', '.join(map(str, item.teeth)) or '—'})" for item in missing)
        raise TraceabilityIncomplete(f"Record a material lot on every item before it leaves quality check: {names}.")
    quarantined = quarantined_usages(case)
    if quarantined:
        lots = ", ".join(sorted({f"{u.lot.lot_number} ({u.lot.material.name})" for u in quarantined}))
        raise TraceabilityIncomplete(f"A lot used on this case is quarantined: {lots}. Resolve it before shipping.")


def on_case_moved(sender, *, case: Case, from_status: str, to_status: str, actor=None, request=None, **kwargs):
    """`cases.signals.case_moved` receiver: leaving quality check for shipped needs complete
    traceability, and issues the statement of manufacture in the same transaction."""
    if from_status == Status.QUALITY_CHECK and to_status == Status.SHIPPED:
        check_ready_to_ship(case)
        issue_statement(case=case, actor=actor, request=request)


# --- the statement of manufacture ------------------------------------------------------------


def _logo_bytes() -> bytes | None:
    """The lab's logo for the letterhead; a storage hiccup prints the statement without it."""
    profile = LabProfile.current()
    if not profile.logo:
        return None
    try:
        return statement_storage.read(profile.logo.name)
    except Exception:  # noqa: BLE001 — the statement matters more than its logo
        logger.warning("statement: the lab logo could not be read; printing without it")
        return None


def _retain_until(issued: datetime.date, years: int) -> datetime.date:
    try:
        return issued.replace(year=issued.year + years)
    except ValueError:  # 29 February
        return issued.replace(year=issued.year + years, day=28)


def issue_statement(*, case: Case, actor: User | None, reason: str = "", request=None) -> Statement:
    """Write the next version of the case's statement of manufacture: render the PDF (no I/O),
    write it to storage with a short timeout (traceability.storage), then record the retained case
    file and the statement row. Runs inside the caller's transaction (the move to shipped); a
    storage failure raises Unavailable (503) and the move rolls back."""
    from traceability import statement as statement_doc

    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        latest = Statement.objects.filter(case=case).order_by("-version").values_list("version", flat=True).first()
        version = (latest or 0) + 1
        data = statement_doc.gather(
            case=case, version=version, region=current_region(), reason=reason, logo=_logo_bytes()
        )
        pdf = statement_doc.render(data)
        digest = hashlib.sha256(pdf).hexdigest()
        name = f"statement-{case.number}-v{version}.pdf"
        key = f"{statement_storage.PREFIX}{case.pk}/{uuid.uuid4().hex}/{name}"
        try:
            stored = statement_storage.write(key, pdf)
        except Exception as exc:  # noqa: BLE001 — any storage failure refuses the move cleanly
            logger.warning("statement: storage write failed (%s)", type(exc).__name__)
            raise Unavailable(
                "The statement of manufacture could not be stored; the case stays where it was. Try again shortly."
            ) from None
        try:
            with transaction.atomic():
                file = CaseFile.objects.create(
                    case=case,
                    kind=FileKind.DOCUMENT,
                    original_name=name,
                    object_key=stored,
                    size=len(pdf),
                    content_type="application/pdf",
                    sha256=digest,
                    uploaded_by=actor,
                    state=FileState.AVAILABLE,
                    completed_at=timezone.now(),
                    retained=True,
                )
                statement = Statement.objects.create(
                    case=case,
                    version=version,
                    file=file,
                    sha256=digest,
                    region=data.region,
                    reason=reason,
                    retain_until=_retain_until(data.issued_on, data.retention_years),
                    created_by=actor,
                )
        except Exception:
            statement_storage.delete(stored)
            raise
        TimelineEvent.objects.create(
            case=case,
            actor=actor,
            kind=EventKind.FILE_UPLOADED,
            body=f"Statement of manufacture, version {version}",
            data={"file_id": file.pk, "kind": FileKind.DOCUMENT, "size": file.size, "statement_version": version},
        )
        record(
            AuditAction.FILE_UPLOADED,
            request=request,
            actor=actor,
            obj=file,
            case_id=case.pk,
            detail={"kind": FileKind.DOCUMENT, "size": file.size, "statement_version": version},
        )
    return statement


@transaction.atomic
def regenerate_statement(*, actor: User, case: Case, reason: str, request=None) -> Statement:
    """A corrected statement (managers): the next version; earlier versions stay as they were."""
    ensure(policy.can_regenerate_statement(actor), "Only managers issue a corrected statement.")
    reason = clean_text(reason, field="reason", label="reason", max_length=300, required=True)
    if not Statement.objects.filter(case=case).exists():
        raise Conflict("This case has no statement yet: it is issued when the case leaves quality check.")
    return issue_statement(case=case, actor=actor, reason=reason, request=request)


# --- the lab profile -------------------------------------------------------------------------

PROFILE_FIELDS = (
    "legal_name",
    "address",
    "manufacturing_sites",
    "phone",
    "email",
    "website",
    "tax_id",
    "eu_srn",
    "uk_mhra_number",
    "us_fda_establishment",
    "authorised_representative",
    "responsible_person",
    "responsible_person_title",
)
LOGO_MAX_BYTES = 2 * 1024 * 1024


def check_logo(upload) -> str:
    """A PNG or JPEG of at most 2 MB, checked by its bytes (Pillow opens it), not its name."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > LOGO_MAX_BYTES:
        raise AppError("The logo is larger than 2 MB.", field="logo")
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise AppError("The logo must be a PNG or JPEG image.", field="logo") from None
    finally:
        upload.seek(0)
    if kind not in ("PNG", "JPEG"):
        raise AppError("The logo must be a PNG or JPEG image.", field="logo")
    return "png" if kind == "PNG" else "jpg"


@transaction.atomic
def update_lab_profile(*, actor: User, data: dict, logo=None, remove_logo: bool = False) -> LabProfile:
    """Managers edit the one lab profile; the logo is checked and stored privately under a new
    unguessable name."""
    ensure(policy.can_edit_lab_profile(actor), "Only managers edit the lab profile.")
    profile = LabProfile.current()
    profile = LabProfile.objects.select_for_update().get(pk=profile.pk)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(profile, name, str(data[name] or "").strip())
    if remove_logo and profile.logo:
        profile.logo = ""
    if logo is not None:
        ext = check_logo(logo)
        profile.logo.save(f"logo-{uuid.uuid4().hex}.{ext}", logo, save=False)
    profile.full_clean()
    profile.save()
    return profile
