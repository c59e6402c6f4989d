"""Writes of the shipping app. Each runs in one transaction and checks every rule that guards it
(shipping.policy); cases move only through cases.services.transition_case."""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Practice, User
from accounts.policy import ensure
from cases import services as case_services
from cases.models import Case, Status
from shipping import policy
from shipping.exceptions import CaseCannotShip
from shipping.models import (
    TRACKING_MAX_LENGTH,
    Courier,
    Pickup,
    PickupStatus,
    Shipment,
    ShipmentCase,
    validate_tracking_url_template,
)

MAX_CASES_PER_SHIPMENT = 100


def clean_tracking_number(raw: str | None) -> str:
    """A tracking number as printed on a label: no control characters (they would break the
    manifest, the e-mail and the tracking link) and at most 60 characters."""
    value = (raw or "").strip()
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in value):
        raise ValidationError({"tracking_number": ["The tracking number contains control characters; type it again."]})
    if len(value) > TRACKING_MAX_LENGTH:
        raise ValidationError(
            {"tracking_number": [f"A tracking number has at most {TRACKING_MAX_LENGTH} characters; got {len(value)}."]}
        )
    return value


@transaction.atomic
def ship_cases(
    *,
    actor: User,
    courier: Courier,
    tracking_number: str,
    case_ids: list[int],
    practice: Practice | None = None,
    request=None,
) -> Shipment:
    """Ship one or more cases of one practice together: all of them move to `shipped` in this
    transaction or none does. Every case must be visible, of the same practice and in quality
    check (409 naming the first that is not); the courier must be active; a courier with a
    tracking page needs a tracking number."""
    ensure(policy.can_ship(actor), "Only the lab ships cases.")
    if courier is None or not courier.active:
        raise ValidationError({"courier": ["Choose an active courier."]})
    tracking_number = clean_tracking_number(tracking_number)
    if courier.tracking_url_template and not tracking_number:
        raise ValidationError({"tracking_number": [f"Enter the {courier.name} tracking number."]})
    ids = list(dict.fromkeys(case_ids or []))
    if not ids:
        raise ValidationError({"cases": ["Choose at least one case to ship."]})
    if len(ids) > MAX_CASES_PER_SHIPMENT:
        raise ValidationError({"cases": [f"Ship at most {MAX_CASES_PER_SHIPMENT} cases at once."]})
    # Locked in id order (no deadlock between two shipments of overlapping cases), then checked in
    # the order given, so the error names the first case the caller listed that cannot go.
    locked = {
        case.pk: case
        for case in Case.objects.visible_to(actor)
        .select_related("practice")
        .select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
    }
    missing = [str(pk) for pk in ids if pk not in locked]
    if missing:
        raise ValidationError({"cases": [f"No case with id {', '.join(missing)}."]})
    cases = [locked[pk] for pk in ids]
    practice = practice or cases[0].practice
    for case in cases:
        if case.practice_id != practice.pk:
            raise ValidationError(
                {
                    "cases": [
                        f"Case {case.number} belongs to {case.practice.name}, not {practice.name}: "
                        "a shipment goes to one practice. Nothing was shipped."
                    ]
                }
            )
    for case in cases:
        if case.status != Status.QUALITY_CHECK:
            raise CaseCannotShip(case)

    shipment = Shipment.objects.create(
        practice=practice,
        courier=courier,
        tracking_number=tracking_number,
        shipped_at=timezone.now(),
        shipped_by=actor,
    )
    # The lines exist before the moves, so what reacts to `shipped` (the dentist's notification)
    # finds the shipment and its tracking link.
    ShipmentCase.objects.bulk_create(ShipmentCase(shipment=shipment, case=case) for case in cases)
    note = f"Shipped with {courier.name}" + (f", tracking {tracking_number}" if tracking_number else "") + "."
    for case in cases:
        if tracking_number and case.tracking_number != tracking_number:
            case_services.update_case(
                case=case, actor=actor, changes={"tracking_number": tracking_number}, request=request
            )
        case_services.transition_case(case=case, to=Status.SHIPPED, actor=actor, note=note, request=request)
    return shipment  # each move is audited by transition_case


def save_courier(*, actor: User, courier: Courier) -> Courier:
    """Create or change a courier (managers and admins). The tracking page must hold {tracking}."""
    ensure(policy.can_manage_couriers(actor), "Only managers and admins manage couriers.")
    try:
        validate_tracking_url_template(courier.tracking_url_template)
    except ValidationError as exc:
        raise ValidationError({"tracking_url_template": exc.messages}) from exc
    courier.full_clean()
    courier.save()
    return courier


@transaction.atomic
def request_pickup(
    *,
    actor: User,
    practice: Practice,
    date: datetime.date,
    window_start: datetime.time,
    window_end: datetime.time,
    note: str = "",
    request=None,
) -> Pickup:
    """A practice asks the lab's driver to come by: a date from today on, a window that ends after
    it starts. Dentists for their own practice; lab staff for any."""
    ensure(policy.can_request_pickup(actor, practice), "Dentists request pickups for their own practice.")
    errors = {}
    if date < timezone.localdate():
        errors["date"] = ["Choose today or a later day."]
    if window_start >= window_end:
        errors["window_end"] = ["The window must end after it starts."]
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = ["Keep the note under 500 characters."]
    if any(unicodedata.category(char) == "Cc" and char not in "\n\t" for char in note):
        errors["note"] = ["The note contains control characters."]
    if errors:
        raise ValidationError(errors)
    pickup = Pickup.objects.create(
        practice=practice,
        requested_by=actor,
        date=date,
        window_start=window_start,
        window_end=window_end,
        note=note,
    )
    return pickup


@transaction.atomic
def complete_pickup(*, actor: User, pickup: Pickup, request=None) -> Pickup:
    """The driver collected it (lab staff). Doing it twice changes nothing."""
    ensure(policy.can_complete_pickup(actor), "Only the lab marks pickups done.")
    pickup = Pickup.objects.select_for_update().get(pk=pickup.pk)
    if pickup.status != PickupStatus.DONE:
        pickup.status, pickup.done_at, pickup.done_by = PickupStatus.DONE, timezone.now(), actor
        pickup.save(update_fields=["status", "done_at", "done_by"])
    return pickup
