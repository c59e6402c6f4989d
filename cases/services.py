"""Writes to cases. Each service runs in one transaction, checks every rule that guards its write
(cases.policy, cases.lifecycle), and records a timeline event and an audit event in that same
transaction. Views, serializers, the admin and commands call these; they never write or check a
rule of their own."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import DateField, Value, When
from django.utils import timezone

from accounts.audit import AuditAction, record
from accounts.models import User
from accounts.policy import ensure
from cases import lifecycle, policy
from cases.exceptions import CaseNotEditable, TransitionForbidden, TransitionNotAllowed
from cases.models import (
    FINISHED_STATUSES,
    Case,
    CaseItem,
    EventKind,
    PracticePrice,
    Product,
    RemakeResponsibility,
    Status,
    TimelineEvent,
)
from cases.shades import normalize_shade
from cases.signals import case_dates_changed, case_moved, note_added
from cases.teeth import validate_teeth
from cases.units import item_quantity
from dentallab.sequences import next_number
from workcalendar.calendar import add_working_days, calendar_scope, lab_today, subtract_working_days

__all__ = [
    "EDITABLE_FIELDS",
    "ItemInput",
    "TransitionForbidden",
    "TransitionNotAllowed",
    "add_note",
    "assign_technician",
    "create_case",
    "create_remake",
    "next_case_number",
    "recompute_ship_by",
    "replace_items",
    "schedule",
    "ship_by_for",
    "suggested_due_date",
    "transition_case",
    "update_case",
]


@dataclass
class ItemInput:
    product: Product
    teeth: list
    shade: str = ""
    material: str = ""
    quantity: int = 1


# ---- numbering and dates ---------------------------------------------------------------------


def next_case_number(year: int | None = None) -> str:
    """The next number of the year, e.g. 2026-00042 (dentallab.sequences: never repeats, and a
    rolled-back creation gives its number back)."""
    return next_number("", year=year)


def suggested_due_date(products, received: datetime.date | None = None, practice=None) -> datetime.date | None:
    """Received date (today when not yet received) plus the longest turnaround of the products
    plus the practice's transit days, in working days (workcalendar): DESIGN §12."""
    turnarounds = [product.turnaround_days for product in products]
    if not turnarounds:
        return None
    transit = practice.transit_days if practice is not None else 0
    return add_working_days(received or lab_today(), max(turnarounds) + transit)


# Dates the working calendar plans with: outside this range a date is a typo (year 0226, 9999).
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


def check_plannable_date(day: datetime.date | None, field: str) -> None:
    """A due or receipt date the calendar can count from (else a ValidationError naming `field`)."""
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError({field: [f"Enter a date between {EARLIEST_DATE:%Y} and {LATEST_DATE:%Y}."]})


def ship_by_for(due: datetime.date | None, practice) -> datetime.date | None:
    """The day the case must leave the lab: the due date less the practice's transit days, in
    working days (transit 0: the due date itself, or the working day before it)."""
    if due is None:
        return None
    return subtract_working_days(due, practice.transit_days if practice is not None else 0)


def schedule(products, practice, received: datetime.date | None = None) -> tuple[datetime.date | None, ...]:
    """(suggested due date, ship-by) for a new case of these products for this practice."""
    check_plannable_date(received, "received")
    with calendar_scope():
        due = suggested_due_date(products, received, practice)
        return due, ship_by_for(due, practice)


@transaction.atomic
def recompute_ship_by(cases) -> int:
    """Set the ship-by date of these cases' unfinished ones again (a practice's transit days or
    the lab's closed days changed). Only the rows whose date moves are written, one UPDATE per
    distinct transit time, and `case_dates_changed` names them; returns rows updated."""
    cases = cases.exclude(status__in=FINISHED_STATUSES).exclude(due_date=None)
    by_transit: dict[int, dict] = {}
    moved: dict[int, list[int]] = {}
    with calendar_scope():
        for pk, due, transit, current in cases.values_list("pk", "due_date", "practice__transit_days", "ship_by"):
            dates = by_transit.setdefault(transit, {})
            if due not in dates:
                dates[due] = subtract_working_days(due, transit)
            if dates[due] != current:
                moved.setdefault(transit, []).append(pk)
    updated = 0
    for transit, pks in moved.items():
        dates = by_transit[transit]
        ship_by = SqlCase(
            *(When(due_date=due, then=Value(day)) for due, day in dates.items()), output_field=DateField()
        )
        updated += Case.objects.filter(pk__in=pks).update(ship_by=ship_by)
    if moved:
        case_dates_changed.send(sender=Case, case_ids=sorted(pk for pks in moved.values() for pk in pks))
    return updated


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
        # The one place an item's quantity is decided: it follows the teeth (cases.units).
        item.quantity = item_quantity(item.product.unit, item.teeth, item.quantity)
    if errors:
        raise ValidationError(errors)
    return items


def _add_items(case: Case, items: list[ItemInput], prices: dict | None = None) -> None:
    """Store item lines. The unit price is copied from the price list, except for products the
    case already had (`prices`: product id → the price it was added at), which keep theirs."""
    prices = prices or {}
    # The practice's own prices (DESIGN §13) come before the list price.
    overrides = dict(
        PracticePrice.objects.filter(
            practice_id=case.practice_id, product_id__in=[item.product.pk for item in items]
        ).values_list("product_id", "price")
    )
    prices = {**overrides, **prices}
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
    product_search = product_search_text(item.product for item in items)
    if case.product_search != product_search:
        case.product_search = product_search
        case.save(update_fields=["product_search"])


def product_search_text(products) -> str:
    """What the case search matches of the item lines: each product's code and name."""
    return "|".join(dict.fromkeys(f"{product.code} {product.name}" for product in products))


def _event(case, actor, kind, **fields) -> TimelineEvent:
    return TimelineEvent.objects.create(case=case, actor=actor, kind=kind, **fields)


def _new_case(
    *, actor: User, practice, dentist: User, patient_name: str, items: list[ItemInput], prices=None, **fields
) -> Case:
    """Validate and store a draft with its items, its creation event and audit record."""
    ensure(policy.can_create_case_for(actor, practice), "Dentists create cases for their own practice.")
    if actor.is_dentist and dentist.pk != actor.pk:
        raise PermissionDenied("Dentists create cases as themselves.")
    if not dentist.is_dentist or dentist.practice_id != practice.pk:
        raise ValidationError({"dentist": ["Choose a dentist of this practice."]})
    if not patient_name.strip():
        raise ValidationError({"patient_name": ["Enter the patient's name or chart reference."]})
    if "shade" in fields:
        fields["shade"] = normalize_shade(fields["shade"])
    items = _clean_items(items, still_offered=frozenset(prices or ()))
    fields.pop("ship_by", None)  # derived from the due date, never given
    check_plannable_date(fields.get("due_date"), "due_date")
    case = Case(
        practice=practice,
        dentist=dentist,
        patient_name=patient_name.strip(),
        created_by=actor,
        status=Status.DRAFT,
        ship_by=ship_by_for(fields.get("due_date"), practice),
        **fields,
    )
    case.full_clean(exclude=["number"])
    case.number = next_case_number()
    case.save()
    _add_items(case, items, prices=prices)
    _event(case, actor, EventKind.CREATED, to_status=case.status)
    return case


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
    """Create a draft with its items, and submit it when asked (through the lifecycle, so only a
    role that may submit can). Dentists create for their own practice only, as themselves."""
    case = _new_case(actor=actor, practice=practice, dentist=dentist, patient_name=patient_name, items=items, **fields)
    record(AuditAction.CASE_CREATED, request=request, actor=actor, obj=case, case_id=case.pk)
    if submit:
        case = transition_case(case=case, to=Status.SUBMITTED, actor=actor, request=request)
    return case


EDITABLE_FIELDS = ("patient_name", "priority", "due_date", "pan_number", "shade", "instructions", "tracking_number")


def _lock_for_edit(case: Case, actor: User) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not policy.can_edit_case(actor, case):
        raise CaseNotEditable(policy.edit_refusal(actor, case))
    return case


@transaction.atomic
def update_case(*, case: Case, actor: User, changes: dict, request=None) -> Case:
    """Edit Rx fields (cases.policy.can_edit_case: dentists while it is a draft or submitted, the
    lab until it is shipped; nobody after)."""
    case = _lock_for_edit(case, actor)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in sorted(unknown)})
    if "shade" in changes:
        changes["shade"] = normalize_shade(changes["shade"])
    if "due_date" in changes:
        check_plannable_date(changes["due_date"], "due_date")
    changed = [name for name, value in changes.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, changes[name])
    if "due_date" in changed:
        case.ship_by = ship_by_for(case.due_date, case.practice)
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
        if "due_date" in changed:
            # Other apps re-plan on the new dates in this transaction (cases.signals).
            case_dates_changed.send(sender=Case, case_ids=[case.pk])
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
                [item.product for item in case.items.select_related("product")], lab_today(), case.practice
            )
        case.ship_by = ship_by_for(case.due_date, case.practice)
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
    # Other apps act on the move in this transaction, or refuse it by raising (cases.signals).
    case_moved.send(
        sender=Case, case=case, from_status=from_status, to_status=to, actor=actor, note=note, request=request
    )
    return case


@transaction.atomic
def add_note(*, case: Case, actor: User, body: str, internal: bool = False, request=None) -> TimelineEvent:
    """A note on the timeline. Internal notes are lab-only: only the lab writes them, and dentists
    never see them."""
    if internal:
        ensure(policy.can_write_internal_notes(actor), "Only the lab writes internal notes.")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ["Write something first."]})
    if len(body) > 5000:
        raise ValidationError({"body": ["Keep notes under 5,000 characters."]})
    internal = bool(internal)
    event = _event(case, actor, EventKind.NOTE, body=body, internal=internal)
    record(
        AuditAction.NOTE_ADDED, request=request, actor=actor, obj=case, case_id=case.pk, detail={"internal": internal}
    )
    note_added.send(sender=Case, case=case, note=event, actor=actor, internal=internal, request=request)
    return event


@transaction.atomic
def assign_technician(*, case: Case, actor: User, technician: User | None, request=None) -> Case:
    """Who works on the case (lab staff only). Only an active technician can be chosen."""
    ensure(policy.can_assign_technician(actor), "Only the lab assigns technicians.")
    if technician is not None and not User.objects.technicians().filter(pk=technician.pk).exists():
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
def create_remake(*, original: Case, actor: User, reason: str, responsibility: str = "", request=None) -> Case:
    """A remake is a new case linked to the original, with the same items at the same prices,
    created as a draft and moved through the lifecycle like any case: a dentist's remake is
    submitted; a manager's is submitted and received. The lab says whose fault it was
    (lab / practice / shared): billing credits the lab's remakes in full."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"remake_reason": ["Say why the case is being remade."]})
    if original.status not in policy.REMAKE_FROM_STATUSES:
        raise ValidationError({"remake_of": ["Only shipped, delivered or cancelled cases can be remade."]})
    ensure(policy.can_remake(actor, original), "Ask a manager to remake a case: remakes affect the practice's bill.")
    if responsibility not in ("", *RemakeResponsibility.values):
        raise ValidationError({"remake_responsibility": ["Choose lab, practice or shared."]})
    if actor.is_lab_staff and not responsibility:
        raise ValidationError({"remake_responsibility": ["Say whose responsibility the remake is."]})
    originals = list(original.items.select_related("product"))
    remake = _new_case(
        actor=actor,
        practice=original.practice,
        dentist=original.dentist,
        patient_name=original.patient_name,
        items=[
            ItemInput(product=i.product, teeth=i.teeth, shade=i.shade, material=i.material, quantity=i.quantity)
            for i in originals
        ],
        prices={item.product_id: item.unit_price for item in originals},
        priority=original.priority,
        shade=original.shade,
        instructions=original.instructions,
        remake_of=original,
        remake_reason=reason,
        remake_responsibility=responsibility,
    )
    _event(remake, actor, EventKind.REMAKE, body=reason, data={"original": original.number})
    _event(original, actor, EventKind.REMAKE, body=reason, data={"remake": remake.number})
    record(
        AuditAction.CASE_CREATED,
        request=request,
        actor=actor,
        obj=remake,
        case_id=remake.pk,
        detail={"remake_of": original.pk},
    )
    remake = transition_case(case=remake, to=Status.SUBMITTED, actor=actor, note=reason, request=request)
    if actor.is_lab_staff:
        remake = transition_case(case=remake, to=Status.RECEIVED, actor=actor, request=request)
    return remake


@transaction.atomic
def replace_items(*, case: Case, actor: User, items: list[ItemInput], request=None) -> Case:
    """Replace the case's restoration lines (the same rule as update_case). Lines that
    stay (same product) keep the price they were added at; new lines take today's price."""
    case = _lock_for_edit(case, actor)
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
