"""Demo couriers, shipments for the demo's shipped cases, and a pickup (idempotent)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from accounts.models import Practice, Role, User
from cases.models import Case, Status
from shipping.models import Courier, Pickup, Shipment, ShipmentCase

COURIERS = [
    {"name": "Lab driver", "tracking_url_template": "", "is_lab_driver": True},
    {"name": "UPS", "tracking_url_template": "https://www.ups.com/track?tracknum={tracking}"},
    {"name": "FedEx", "tracking_url_template": "https://www.fedex.com/fedextrack/?trknbr={tracking}"},
    {
        "name": "DHL",
        "tracking_url_template": "https://www.dhl.com/global-en/home/tracking/tracking-express.html"
        "?submit=1&tracking-id={tracking}",
    },
]


def seed_shipping(*, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    couriers = {}
    for data in COURIERS:
        courier, _ = Courier.objects.update_or_create(name=data["name"], defaults={**data, "active": True})
        couriers[courier.name] = courier
    shipped = 0
    # The demo's shipped and delivered cases left with a courier: give them their shipment (they
    # were moved before shipping existed in the demo), UPS for one practice, the driver for the other.
    lab = User.objects.filter(role__in=[Role.MANAGER, Role.ADMIN]).order_by("pk").first()
    waiting = (
        Case.objects.filter(status__in=[Status.SHIPPED, Status.DELIVERED], shipped_at__isnull=False)
        .filter(shipment_line__isnull=True)
        .select_related("practice")
        .order_by("shipped_at")
    )
    for case in waiting:
        driver = case.practice.transit_days == 0 and case.practice.account_number == "RFD-1002"
        courier = couriers["Lab driver"] if driver else couriers["UPS"]
        tracking = "" if driver else f"1Z999AA1{case.pk:010d}"[:18]
        shipment = Shipment.objects.create(
            practice=case.practice,
            courier=courier,
            tracking_number=tracking,
            shipped_at=case.shipped_at,
            shipped_by=lab,
        )
        ShipmentCase.objects.create(shipment=shipment, case=case)
        if tracking and not case.tracking_number:
            Case.objects.filter(pk=case.pk).update(tracking_number=tracking)
        shipped += 1
    pickups = 0
    practice = Practice.objects.filter(account_number="BSD-1001").first()
    dentist = User.objects.filter(practice=practice, role=Role.DENTIST).first() if practice else None
    tomorrow = today + datetime.timedelta(days=1)
    if practice and not Pickup.objects.filter(Q(practice=practice) & Q(date__gte=today)).exists():
        Pickup.objects.create(
            practice=practice,
            requested_by=dentist,
            date=tomorrow,
            window_start=datetime.time(14, 0),
            window_end=datetime.time(16, 0),
            note="Two impressions and a bite registration at the front desk.",
        )
        pickups = 1
    return {"couriers": len(couriers), "shipments": shipped, "pickups": pickups}
