"""Reads of the shipping app. Every one starts from `visible_to(user)`: a dentist reads their own
practice's shipments and pickups, never another's (404)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import Case, Status
from dentallab.compiled import CompiledQuery
from shipping.models import Courier, Pickup, Shipment, ShipmentCase


def couriers_for(user, *, include_inactive: bool = False) -> QuerySet[Courier]:
    couriers = Courier.objects.visible_to(user)
    return couriers if include_inactive else couriers.filter(active=True)


def shipments_for(user) -> QuerySet[Shipment]:
    """Shipments with what a list shows: courier, and the ids and numbers of their cases (one
    extra query for a whole page)."""
    return (
        Shipment.objects.visible_to(user)
        .select_related("courier", "practice")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ShipmentCase.objects.select_related("case").only("shipment_id", "case__id", "case__number"),
            )
        )
    )


def get_shipment_for(user, pk) -> Shipment:
    return get_object_or_404(shipments_for(user), pk=pk)


_SHIPMENT_LINE = CompiledQuery(
    lambda variant, case_pk: (
        ShipmentCase.objects.select_related("shipment__courier").filter(case_id=case_pk).order_by("pk")[:1]
    )
)


def shipment_of_case(case) -> Shipment | None:
    """The shipment a case left in (None if it was moved to shipped without one)."""
    line = _SHIPMENT_LINE.first(case.pk)
    return line.shipment if line else None


def qc_passed_cases(user, practice) -> QuerySet[Case]:
    """The practice's cases waiting in quality check: what can go in its next shipment."""
    return (
        Case.objects.visible_to(user)
        .filter(practice=practice, status=Status.QUALITY_CHECK)
        .select_related("dentist")
        .order_by("due_date", "number")
    )


def pickups_for(user, *, upcoming_only: bool = False) -> QuerySet[Pickup]:
    pickups = Pickup.objects.visible_to(user).select_related("practice", "requested_by", "done_by")
    if upcoming_only:
        pickups = pickups.filter(date__gte=timezone.localdate())
    return pickups


def get_pickup_for(user, pk) -> Pickup:
    return get_object_or_404(Pickup.objects.visible_to(user), pk=pk)


@dataclass
class CourierManifest:
    courier: Courier
    shipments: list = field(default_factory=list)
    pickups: list = field(default_factory=list)

    @property
    def case_count(self) -> int:
        return sum(len(shipment.lines.all()) for shipment in self.shipments)


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Midnight to midnight in the lab's time zone."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def manifest(user, *, day: datetime.date, courier: Courier | None = None) -> list[CourierManifest]:
    """The day's sheets, one per courier: its shipments (practice with address, cases with pan
    numbers) and, on the lab driver's sheet, the day's pickups (done ones marked). Four queries
    whatever the day's volume."""
    start, end = _day_bounds(day)
    couriers = list(couriers_for(user, include_inactive=True).filter(**({"pk": courier.pk} if courier else {})))
    shipments = (
        Shipment.objects.visible_to(user)
        .filter(shipped_at__gte=start, shipped_at__lt=end, courier__in=couriers)
        .select_related("practice")
        .prefetch_related(
            Prefetch("lines", queryset=ShipmentCase.objects.select_related("case__dentist").order_by("case__number"))
        )
        .order_by("practice__name", "shipped_at")
    )
    sheets = {c.pk: CourierManifest(courier=c) for c in couriers}
    for shipment in shipments:
        sheets[shipment.courier_id].shipments.append(shipment)
    drivers = [sheet for sheet in sheets.values() if sheet.courier.is_lab_driver]
    if drivers:
        pickups = list(
            Pickup.objects.visible_to(user)
            .filter(date=day)
            .select_related("practice")
            .order_by("window_start", "practice__name")
        )
        drivers[0].pickups = pickups
    return [sheet for sheet in sheets.values() if sheet.shipments or sheet.pickups or courier is not None]
