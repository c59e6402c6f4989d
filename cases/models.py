import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.policy import PracticeScopedQuerySet
from cases.shades import validate_shade


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RECEIVED = "received", "Received"
    IN_DESIGN = "in_design", "In design"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    IN_PRODUCTION = "in_production", "In production"
    QUALITY_CHECK = "quality_check", "Quality check"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    ON_HOLD = "on_hold", "On hold"
    CANCELLED = "cancelled", "Cancelled"


# A case is late when its due date has passed and it is not in one of these.
FINISHED_STATUSES = (Status.SHIPPED, Status.DELIVERED, Status.CANCELLED)


class Priority(models.TextChoices):
    NORMAL = "normal", "Normal"
    RUSH = "rush", "Rush"


class ProductCategory(models.TextChoices):
    CROWN_BRIDGE = "crown_bridge", "Crown & bridge"
    IMPLANT = "implant", "Implant"
    REMOVABLE = "removable", "Removable"
    ORTHODONTIC = "orthodontic", "Orthodontic"
    OTHER = "other", "Other"


class BillingUnit(models.TextChoices):
    """What one unit of a product is (DESIGN §12): an item's quantity follows its teeth."""

    TOOTH = "tooth", "Per tooth"
    ARCH = "arch", "Per arch"
    CASE = "case", "Per case"


class RemakeResponsibility(models.TextChoices):
    """Whose fault a remake is: the lab's remakes are credited in full (DESIGN §13)."""

    LAB = "lab", "Lab"
    PRACTICE = "practice", "Practice"
    SHARED = "shared", "Shared"


class Product(models.Model):
    """A line of the lab's price list."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=ProductCategory.choices, default=ProductCategory.CROWN_BRIDGE)
    default_material = models.CharField(max_length=80, blank=True)
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    turnaround_days = models.PositiveSmallIntegerField(default=5, help_text="Working days from receipt to shipping.")
    unit = models.CharField(max_length=10, choices=BillingUnit.choices, default=BillingUnit.TOOTH)
    requires_traceability = models.BooleanField(
        default=False, help_text="Every item needs a material lot recorded before it leaves quality check."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "name"]
        constraints = [models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative")]

    def __str__(self):
        return f"{self.code} · {self.name}"


class CaseQuerySet(PracticeScopedQuerySet):
    def late(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(due_date__lt=today).exclude(status__in=FINISHED_STATUSES)

    def not_late(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        # The complement of late(), written out so that it stays one indexable condition.
        return self.filter(Q(due_date__isnull=True) | Q(due_date__gte=today) | Q(status__in=FINISHED_STATUSES))


class Case(models.Model):
    number = models.CharField(max_length=20, unique=True, editable=False)
    practice = models.ForeignKey("accounts.Practice", on_delete=models.PROTECT, related_name="cases")
    dentist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dentist_cases")
    patient_name = models.CharField(
        max_length=120, help_text="Name or chart reference. Keep it minimal: initials or a chart number will do."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    held_from_status = models.CharField(max_length=20, choices=Status.choices, blank=True, editable=False)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    received_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    ship_by = models.DateField(
        null=True, blank=True, help_text="The day it must leave the lab: the due date less the practice's transit days."
    )
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    pan_number = models.CharField(max_length=20, blank=True)
    shade = models.CharField(max_length=60, blank=True, validators=[validate_shade])
    instructions = models.TextField(blank=True)
    assigned_technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases"
    )
    tracking_number = models.CharField(max_length=60, blank=True)
    remake_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="remakes")
    remake_reason = models.TextField(blank=True)
    remake_responsibility = models.CharField(max_length=10, choices=RemakeResponsibility.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    practice_lookup = "practice_id"
    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="case_status_due"),
            models.Index(fields=["practice", "status"], name="case_practice_status"),
            models.Index(fields=["due_date"], name="case_due"),
            models.Index(fields=["dentist", "-created_at"], name="case_dentist_recent"),
            models.Index(fields=["assigned_technician", "status"], name="case_technician_status"),
            models.Index(fields=["priority", "status"], name="case_priority_status"),
            models.Index(fields=["-created_at", "-id"], name="case_recent"),
            models.Index(fields=["pan_number"], name="case_pan"),
            models.Index(fields=["patient_name"], name="case_patient"),
            # Late / due today / due this week only look at unfinished cases: a small partial index.
            models.Index(fields=["due_date"], condition=~Q(status__in=FINISHED_STATUSES), name="case_open_due"),
            models.Index(fields=["practice", "-created_at", "-id"], name="case_practice_recent"),
            models.Index(fields=["ship_by"], condition=~Q(status__in=FINISHED_STATUSES), name="case_open_ship_by"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(remake_of__isnull=True) | ~Q(remake_reason=""),
                name="case_remake_has_reason",
                violation_error_message="A remake needs a reason.",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_late(self) -> bool:
        return bool(self.due_date and self.due_date < timezone.localdate() and self.status not in FINISHED_STATUSES)

    @property
    def is_rush(self) -> bool:
        return self.priority == Priority.RUSH

    @property
    def is_editable_by_dentist(self) -> bool:
        return self.status in (Status.DRAFT, Status.SUBMITTED)


class CaseItem(models.Model):
    """One restoration line of a case. The unit price is copied from the price list when added."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    teeth = models.JSONField(default=list, help_text="FDI tooth numbers, e.g. [11, 21].")
    shade = models.CharField(max_length=60, blank=True, validators=[validate_shade])
    material = models.CharField(max_length=80, blank=True)
    quantity = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="case_item_quantity_positive")]

    def __str__(self):
        return f"{self.product.name} × {self.quantity}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class EventKind(models.TextChoices):
    CREATED = "created", "Created"
    STATUS = "status", "Status changed"
    NOTE = "note", "Note"
    EDIT = "edit", "Edited"
    ASSIGNMENT = "assignment", "Assigned"
    FILE_UPLOADED = "file_uploaded", "File uploaded"
    FILE_DOWNLOADED = "file_downloaded", "File downloaded"
    FILE_DELETED = "file_deleted", "File deleted"
    REMAKE = "remake", "Remake"


class TimelineEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lab staff see everything; dentists never see internal events (internal notes and
        lab-side records)."""
        if getattr(user, "is_lab_staff", False):
            return self
        return self.filter(internal=False)


class TimelineEvent(models.Model):
    """The case's audit trail as the people on the case see it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    body = models.TextField(blank=True)
    internal = models.BooleanField(default=False, help_text="Lab only: never shown to dentists.")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-created_at"], name="event_case_recent"),
            models.Index(fields=["case", "kind"], name="event_case_kind"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
