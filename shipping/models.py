"""Couriers, shipments and pickups (DESIGN §14). A shipment carries one or more QC-passed cases of
one practice; shipping.services.ship_cases moves them to `shipped` through the lifecycle."""

from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accounts.policy import LabOnlyQuerySet, PracticeScopedQuerySet

TRACKING_PLACEHOLDER = "{tracking}"
TRACKING_MAX_LENGTH = 60  # Case.tracking_number's length


def validate_tracking_url_template(value: str) -> None:
    """A courier's tracking page with `{tracking}` where the number goes, over http(s)."""
    if not value:
        return
    if TRACKING_PLACEHOLDER not in value:
        raise ValidationError(
            "Put {tracking} where the tracking number goes, e.g. https://www.ups.com/track?tracknum={tracking}.",
            code="no_placeholder",
        )
    if not value.lower().startswith(("https://", "http://")):
        raise ValidationError("The tracking page must be an http:// or https:// address.", code="not_http")


class Courier(models.Model):
    """Who carries shipments: a carrier (UPS, FedEx, DHL…) or the lab's own driver."""

    name = models.CharField(max_length=80, unique=True)
    tracking_url_template = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_tracking_url_template],
        help_text="The tracking page, with {tracking} where the number goes. Empty for the lab's own driver.",
    )
    is_lab_driver = models.BooleanField(
        default=False, help_text="The lab's own driver: pickups requested by practices go on this manifest."
    )
    active = models.BooleanField(default=True)

    objects = LabOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-is_lab_driver", "name"]

    def __str__(self):
        return self.name

    def tracking_url(self, tracking_number: str) -> str:
        """The tracking page of one number ("" without a template or a number). The number is
        URL-quoted, so it cannot change the address around it."""
        if not self.tracking_url_template or not tracking_number:
            return ""
        return self.tracking_url_template.replace(TRACKING_PLACEHOLDER, quote(tracking_number, safe=""))


class Shipment(models.Model):
    practice = models.ForeignKey("accounts.Practice", on_delete=models.PROTECT, related_name="shipments")
    courier = models.ForeignKey(Courier, on_delete=models.PROTECT, related_name="shipments")
    tracking_number = models.CharField(max_length=TRACKING_MAX_LENGTH, blank=True)
    shipped_at = models.DateTimeField()
    shipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cases = models.ManyToManyField("cases.Case", through="ShipmentCase", related_name="shipments")
    created_at = models.DateTimeField(auto_now_add=True)

    practice_lookup = "practice_id"
    objects = PracticeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-shipped_at", "-id"]
        indexes = [
            models.Index(fields=["courier", "shipped_at"], name="shipment_courier_day"),
            models.Index(fields=["practice", "-shipped_at"], name="shipment_practice_recent"),
            models.Index(fields=["-shipped_at", "-id"], name="shipment_recent"),
        ]

    def __str__(self):
        return f"Shipment {self.pk} to {self.practice_id} by {self.courier_id}"

    @property
    def tracking_url(self) -> str:
        return self.courier.tracking_url(self.tracking_number)


class ShipmentCase(models.Model):
    """A case in a shipment. A case ships once (a remake is a new case)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="shipment_line")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.case_id} in {self.shipment_id}"


class PickupStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    DONE = "done", "Done"


class Pickup(models.Model):
    """A practice asks the lab's driver to collect work (impressions, models, returns)."""

    practice = models.ForeignKey("accounts.Practice", on_delete=models.PROTECT, related_name="pickups")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    date = models.DateField()
    window_start = models.TimeField()
    window_end = models.TimeField()
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=PickupStatus.choices, default=PickupStatus.REQUESTED)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    practice_lookup = "practice_id"
    objects = PracticeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "window_start", "id"]
        indexes = [models.Index(fields=["date", "status"], name="pickup_day_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start__lt=models.F("window_end")),
                name="pickup_window_in_order",
                violation_error_message="The window must end after it starts.",
            )
        ]

    def __str__(self):
        return f"Pickup {self.date} {self.window_start:%H:%M}-{self.window_end:%H:%M} at {self.practice_id}"
