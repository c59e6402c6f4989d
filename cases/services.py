"""Writes to cases. Each service runs in one transaction and records a timeline event (and an
audit event) in that same transaction. Views and serializers call these; they never write."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.audit import AuditAction, record
from accounts.models import Role, User
from cases import lifecycle
from cases.models import Case, CaseItem, CaseNumberSequence, EventKind, Product, Status, TimelineEvent
from cases.shades import normalize_shade
from cases.teeth import validate_teeth
from cases.workdays import add_working_days


class TransitionNotAllowed(Exception):
    """The move does not exist from the case's current status (HTTP 409)."""

    def __init__(self, case, to):
        self.case, self.to = case, to
        current = Status(case.status).label
        target = Status(to).label if to in Status.values else to
        super().__init__(f"Case {case.number} is {current.lower()}; it cannot move to “{target}”.")


class TransitionForbidden(PermissionDenied):
    """The move exists but this user's role may not make it (HTTP 403)."""


@dataclass
class ItemInput:
    product: Product
    teeth: list
    shade: str = ""
    material: str = ""
    quantity: int = 1


# ---- numbering and dates ---------------------------------------------------------------------


def next_case_number(year: int | None = None) -> str:
    """The next number of the year, e.g. 2026-00042. One atomic UPSERT ... RETURNING, so two
    connections creating cases at once can never get the same number."""
    year = year or timezone.localdate().year
    table = CaseNumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last_value) VALUES (%s, 1) "  # noqa: S608 — table name is ours
            f"ON CONFLICT (year) DO UPDATE SET last_value = {table}.last_value + 1 RETURNING last_value",
            [year],
        )
        value = cursor.fetchone()[0]
    return f"{year}-{value:05d}"


def suggested_due_date(products, received: datetime.date | None = None) -> datetime.date | None:
    """Received date plus the longest turnaround of the products, in working days."""
    turnarounds = [product.turnaround_days for product in products]
    if not turnarounds:
        return None
    return add_working_days(received or timezone.localdate(), max(turnarounds))


# ---- creating and editing -------------------------------------------------------------------


def _clean_items(items: list[ItemInput], still_offered=frozenset()) -> list[ItemInput]:
    errors = {}
    for index, item in enumerate(items):
        try:
            item.teeth = validate_teeth(item.teeth)
            item.shade = normalize_shade(item.shade)
        except ValidationError as exc:
            errors[f"items[{index}]"] = exc.messages
        if not item.product.active and item.product.pk not in still_offered:
            errors.setdefault(f"items[{index}]", []).append(f"{item.product.name} is no longer offered.")
        if item.quantity < 1:
            errors.setdefault(f"items[{index}]", []).append("Quantity must be at least 1.")
    if errors:
        raise ValidationError(errors)
    return items


def _add_items(case: Case, items: list[ItemInput], prices: dict | None = None) -> None:
    """Store item lines. The unit price is copied from the price list, except for products the
    case already had (`prices`: product id → the price it was added at), which keep theirs."""
    prices = prices or {}
    CaseItem.objects.bulk_create(
        CaseItem(
            case=case,
            product=item.product,
            teeth=item.teeth,
            shade=item.shade,
            material=item.material or item.product.default_material,
            quantity=item.quantity,
            unit_price=prices.get(item.product.pk, item.product.price),
        )
        for item in items
    )


def _event(case, actor, kind, **fields) -> TimelineEvent:
    return TimelineEvent.objects.create(case=case, actor=actor, kind=kind, **fields)


@transaction.atomic
def create_case(
    *,
    actor: User,
    practice,
    dentist: User,
    patient_name: str,
    items: list[ItemInput],
    submit: bool = False,
    request=None,
    **fields,
) -> Case:
    """Create a case with its items. Dentists create for their own practice only, as themselves."""
    if actor.role == Role.DENTIST and (practice.pk != actor.practice_id or dentist.pk != actor.pk):
        raise PermissionDenied("Dentists create cases for their own practice.")
    if dentist.role != Role.DENTIST or dentist.practice_id != practice.pk:
        raise ValidationError({"dentist": ["Choose a dentist of this practice."]})
    if not patient_name.strip():
        raise ValidationError({"patient_name": ["Enter the patient's name or chart reference."]})
    if "shade" in fields:
        fields["shade"] = normalize_shade(fields["shade"])
    items = _clean_items(items)
    case = Case(practice=practice, dentist=dentist, patient_name=patient_name.strip(), created_by=actor, **fields)
    case.number = next_case_number()
    case.full_clean(exclude=["number"])
    case.save()
    _add_items(case, items)
    _event(case, actor, EventKind.CREATED, to_status=case.status)
    record(AuditAction.CASE_CREATED, request=request, actor=actor, obj=case, case_id=case.pk)
    if submit:
        transition_case(case=case, to=Status.SUBMITTED, actor=actor, request=request)
        case.refresh_from_db()
    return case


EDITABLE_FIELDS = ("patient_name", "priority", "due_date", "pan_number", "shade", "instructions", "tracking_number")


@transaction.atomic
def update_case(*, case: Case, actor: User, changes: dict, request=None) -> Case:
    """Edit Rx fields. Dentists may only while the case is a draft or submitted."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if actor.role == Role.DENTIST and not case.is_editable_by_dentist:
        raise PermissionDenied("The lab has received this case; ask the lab to change it.")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in sorted(unknown)})
    if "shade" in changes:
        changes["shade"] = normalize_shade(changes["shade"])
    changed = [name for name, value in changes.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, changes[name])
    if changed:
        case.full_clean(exclude=["number"])
        case.save()
        # Field names only: values may be patient data.
        _event(case, actor, EventKind.EDIT, data={"fields": changed})
        record(
            AuditAction.CASE_CHANGED,
            request=request,
            actor=actor,
            obj=case,
            case_id=case.pk,
            detail={"fields": changed},
        )
    return case


# ---- moving ---------------------------------------------------------------------------------


@transaction.atomic
def transition_case(*, case: Case, to: str, actor: User, note: str = "", request=None) -> Case:
    """Move a case to `to`. The row is locked first, so of two people moving the same case at
    once the second sees the first's result and is refused if its move no longer exists."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not lifecycle.is_valid_move(case, to):
        raise TransitionNotAllowed(case, to)
    if not lifecycle.role_may_move(actor, case, to):
        raise TransitionForbidden(
            f"Your role may not move a case from {case.get_status_display().lower()} to {Status(to).label.lower()}."
        )
    note = (note or "").strip()
    if lifecycle.reason_required(case.status, to) and not note:
        raise ValidationError({"note": ["Say why: this move needs a reason."]})
    from_status = case.status
    now = timezone.now()
    if to == Status.ON_HOLD:
        case.held_from_status = from_status
    elif from_status == Status.ON_HOLD:
        case.held_from_status = ""
    if to == Status.RECEIVED:
        case.received_at = now
        if case.due_date is None:
            case.due_date = suggested_due_date(
                [item.product for item in case.items.select_related("product")], timezone.localdate()
            )
    elif to == Status.SHIPPED:
        case.shipped_at = now
    elif to == Status.DELIVERED:
        case.delivered_at = now
    case.status = to
    case.save()
    _event(case, actor, EventKind.STATUS, from_status=from_status, to_status=to, body=note)
    record(
        AuditAction.CASE_TRANSITIONED,
        request=request,
        actor=actor,
        obj=case,
        case_id=case.pk,
        detail={"from": from_status, "to": to},
    )
    return case


@transaction.atomic
def add_note(*, case: Case, actor: User, body: str, internal: bool = False, request=None) -> TimelineEvent:
    """A note on the timeline. Internal notes are lab-only; a dentist's note is always shared."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ["Write something first."]})
    if len(body) > 5000:
        raise ValidationError({"body": ["Keep notes under 5,000 characters."]})
    internal = bool(internal) and actor.is_lab_staff
    event = _event(case, actor, EventKind.NOTE, body=body, internal=internal)
    record(
        AuditAction.NOTE_ADDED, request=request, actor=actor, obj=case, case_id=case.pk, detail={"internal": internal}
    )
    return event


@transaction.atomic
def assign_technician(*, case: Case, actor: User, technician: User | None, request=None) -> Case:
    if not actor.is_lab_staff:
        raise PermissionDenied("Only the lab assigns technicians.")
    if technician is not None and (technician.role != Role.TECHNICIAN or not technician.is_active):
        raise ValidationError({"assigned_technician": ["Choose an active technician."]})
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.assigned_technician_id == (technician.pk if technician else None):
        return case
    case.assigned_technician = technician
    case.save(update_fields=["assigned_technician", "updated_at"])
    _event(
        case,
        actor,
        EventKind.ASSIGNMENT,
        internal=True,
        body=f"Assigned to {technician.name}" if technician else "Unassigned",
        data={"technician_id": technician.pk if technician else None},
    )
    record(
        AuditAction.CASE_CHANGED,
        request=request,
        actor=actor,
        obj=case,
        case_id=case.pk,
        detail={"fields": ["assigned_technician"]},
    )
    return case


@transaction.atomic
def create_remake(*, original: Case, actor: User, reason: str, request=None) -> Case:
    """A remake is a new case linked to the original, with the same items at the same prices."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"remake_reason": ["Say why the case is being remade."]})
    if original.status not in (Status.DELIVERED, Status.SHIPPED, Status.CANCELLED):
        raise ValidationError({"remake_of": ["Only shipped, delivered or cancelled cases can be remade."]})
    if actor.role == Role.DENTIST and original.practice_id != actor.practice_id:
        raise PermissionDenied
    remake = Case.objects.create(
        number=next_case_number(),
        practice=original.practice,
        dentist=original.dentist,
        patient_name=original.patient_name,
        priority=original.priority,
        pan_number="",
        shade=original.shade,
        instructions=original.instructions,
        remake_of=original,
        remake_reason=reason,
        created_by=actor,
        status=Status.SUBMITTED if actor.role == Role.DENTIST else Status.RECEIVED,
        received_at=None if actor.role == Role.DENTIST else timezone.now(),
        due_date=None
        if actor.role == Role.DENTIST
        else suggested_due_date([item.product for item in original.items.select_related("product")]),
    )
    CaseItem.objects.bulk_create(
        CaseItem(
            case=remake,
            product=item.product,
            teeth=item.teeth,
            shade=item.shade,
            material=item.material,
            quantity=item.quantity,
            unit_price=item.unit_price,
        )
        for item in original.items.all()
    )
    _event(remake, actor, EventKind.REMAKE, to_status=remake.status, body=reason, data={"original": original.number})
    _event(original, actor, EventKind.REMAKE, body=reason, data={"remake": remake.number})
    record(
        AuditAction.CASE_CREATED,
        request=request,
        actor=actor,
        obj=remake,
        case_id=remake.pk,
        detail={"remake_of": original.pk},
    )
    return remake


def may_edit_case(user, case: Case) -> bool:
    """Who may change the Rx and lines of a case now (DESIGN §3): dentists while it is a draft or
    submitted, lab staff until it is shipped, delivered or cancelled. Visibility is checked
    separately (a case the user may not see is a 404 before this is asked)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if case.status in (Status.SHIPPED, Status.DELIVERED, Status.CANCELLED):
        return False
    if user.role == Role.DENTIST:
        return case.is_editable_by_dentist and case.practice_id == user.practice_id
    return user.is_lab_staff


@transaction.atomic
def replace_items(*, case: Case, actor: User, items: list[ItemInput], request=None) -> Case:
    """Replace the case's restoration lines. Dentists may only while the case is a draft or
    submitted; nobody changes the lines of a shipped, delivered or cancelled case. Lines that
    stay (same product) keep the price they were added at; new lines take today's price."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not may_edit_case(actor, case):
        if actor.role == Role.DENTIST and not case.is_editable_by_dentist:
            raise PermissionDenied("The lab has received this case; ask the lab to change it.")
        raise PermissionDenied("This case is finished; create a remake instead.")
    if not items:
        raise ValidationError({"items": ["A case needs at least one item."]})
    existing = list(case.items.all())
    old_prices = {item.product_id: item.unit_price for item in existing}
    # A product withdrawn from the price list may stay on a case that already has it.
    items = _clean_items(items, still_offered=frozenset(old_prices))
    before = [(i.product_id, i.teeth, i.shade, i.material, i.quantity) for i in existing]
    after = [
        (item.product.pk, item.teeth, item.shade, item.material or item.product.default_material, item.quantity)
        for item in items
    ]
    if before == after:
        return case
    case.items.all().delete()
    _add_items(case, items, prices=old_prices)
    case.save(update_fields=["updated_at"])
    _event(case, actor, EventKind.EDIT, data={"fields": ["items"]})
    record(
        AuditAction.CASE_CHANGED, request=request, actor=actor, obj=case, case_id=case.pk, detail={"fields": ["items"]}
    )
    return case
