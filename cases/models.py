import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.policy import PracticeScopedQuerySet
from cases.shades import validate_shade
from workcalendar.calendar import lab_today


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


# Sorting by status follows the lifecycle (DESIGN §4), not the alphabet: the case list's
# ?ordering=status (cases.filters), on the index case_status_rank.
STATUS_RANK = models.Case(
    *(models.When(status=value, then=models.Value(rank)) for rank, value in enumerate(Status.values)),
    default=models.Value(len(Status.values)),
    output_field=models.IntegerField(),
)

# A case is late when its ship-by date has passed and it is not in one of these (DESIGN §12).
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


def late_q(today: datetime.date) -> Q:
    """Late, for cases already known to be unfinished: the ship-by date has passed."""
    return Q(ship_by__lt=today)


def is_late(ship_by: datetime.date | None, status: str, today: datetime.date) -> bool:
    return bool(ship_by and ship_by < today and status not in FINISHED_STATUSES)


class PracticePriceQuerySet(PracticeScopedQuerySet):
    pass


class PracticePrice(models.Model):
    """A practice's own price for a product (DESIGN §13): items of its cases copy this price
    instead of the list price when they are added. Issued invoices never change."""

    practice = models.ForeignKey("accounts.Practice", on_delete=models.CASCADE, related_name="prices")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="practice_prices")
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    updated_at = models.DateTimeField(auto_now=True)

    practice_lookup = "practice_id"
    objects = PracticePriceQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "product"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "product"], name="practice_price_unique"),
            models.CheckConstraint(condition=Q(price__gte=0), name="practice_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.practice} · {self.product.code}: {self.price}"


class CaseQuerySet(PracticeScopedQuerySet):
    """`late()` is the one definition of late: the list filter, the dashboard, the API filter and
    the CSV all use it (or late_q / Case.is_late, which say the same)."""

    def late(self, today: datetime.date | None = None):
        today = today or lab_today()
        return self.filter(late_q(today)).exclude(status__in=FINISHED_STATUSES)

    def not_late(self, today: datetime.date | None = None):
        today = today or lab_today()
        # The complement of late(), written out so that it stays one indexable condition.
        return self.filter(Q(ship_by__isnull=True) | Q(ship_by__gte=today) | Q(status__in=FINISHED_STATUSES))


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
    # The item lines' product codes and names ("ZC Zirconia crown|EB E.max bridge unit"), kept by
    # cases.services._add_items, so that the search finds "zirconia" on the one trigram index.
    product_search = models.TextField(blank=True, default="", db_default="", editable=False)
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
            # Reports (DESIGN §17) read cases by the day they were shipped or received.
            models.Index(fields=["shipped_at"], name="case_shipped"),
            models.Index(fields=["received_at"], name="case_received"),
            models.Index(STATUS_RANK, "id", name="case_status_rank"),
            # ?ordering=-due_date puts cases without a due date last (DESC NULLS LAST): the plain
            # case_due index read backwards gives NULLS FIRST, so it gets one of its own.
            models.Index(models.F("due_date").desc(nulls_last=True), models.F("id").desc(), name="case_due_desc"),
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
        return is_late(self.ship_by, self.status, lab_today())

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
