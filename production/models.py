"""The production floor (DESIGN §12): departments with a daily capacity, each product's routing,
the steps of a case planned against capacity, and the QC checklist per product category.

Everything here is lab data: `visible_to(user)` gives dentists nothing (accounts.policy)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.policy import LabOnlyQuerySet
from cases.models import ProductCategory


class Department(models.Model):
    """A work centre of the floor (Models, CAD design, Milling…) and how many units it does a day."""

    name = models.CharField(max_length=60, unique=True)
    daily_capacity = models.PositiveIntegerField(help_text="Units (teeth, arches, cases) it finishes a working day.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order of the board's columns.")
    technicians = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="departments")

    objects = LabOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(daily_capacity__gt=0),
                name="department_capacity_positive",
                violation_error_message="A daily capacity is at least 1 unit.",
            )
        ]

    def __str__(self):
        return self.name


class Stage(models.TextChoices):
    """Which part of the lifecycle a step belongs to: design steps keep a case in design."""

    DESIGN = "design", "Design"
    PRODUCTION = "production", "Production"


class RoutingStep(models.Model):
    """One step of a product's routing, in order."""

    product = models.ForeignKey("cases.Product", on_delete=models.CASCADE, related_name="routing_steps")
    position = models.PositiveSmallIntegerField()
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="routing_steps")
    name = models.CharField(max_length=80)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.PRODUCTION)
    needs_approval = models.BooleanField(
        default=False, help_text="The dentist approves the design when this step is done."
    )

    objects = LabOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["product_id", "position"]
        constraints = [models.UniqueConstraint(fields=["product", "position"], name="routing_product_position")]

    def __str__(self):
        return f"{self.product_id}#{self.position} {self.name}"


class StepStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    READY = "ready", "Ready"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STEP_STATUSES = (StepStatus.PENDING, StepStatus.READY, StepStatus.IN_PROGRESS)


class CaseStep(models.Model):
    """A step of a case on the floor. Steps of one item (or of no item) form a chain by position:
    a step is `ready` when the one before it is done."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="steps")
    item = models.ForeignKey("cases.CaseItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="steps")
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.PRODUCTION)
    needs_approval = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=StepStatus.choices, default=StepStatus.PENDING)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="case_steps"
    )
    units = models.PositiveSmallIntegerField(default=1)
    planned_date = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = LabOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "position", "id"]
        indexes = [
            models.Index(fields=["case", "position"], name="step_case_position"),
            models.Index(fields=["department", "status"], name="step_department_status"),
            models.Index(fields=["technician", "status"], name="step_technician_status"),
            models.Index(fields=["status"], name="step_status"),
            # The load view and the planner sum open steps' units per department and day.
            models.Index(
                fields=["planned_date", "department"],
                condition=Q(status__in=["pending", "ready", "in_progress"]),
                name="step_open_planned",
            ),
        ]

    def __str__(self):
        return f"{self.case_id} {self.name} ({self.status})"


class QCItem(models.Model):
    """One line of the QC checklist of a product category."""

    category = models.CharField(max_length=20, choices=ProductCategory.choices)
    label = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    objects = LabOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["category", "position", "id"]
        indexes = [models.Index(fields=["category", "active"], name="qcitem_category_active")]

    def __str__(self):
        return f"{self.get_category_display()}: {self.label}"


class QCCheck(models.Model):
    """A QC item ticked on a case: who and when."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="qc_checks")
    item = models.ForeignKey(QCItem, on_delete=models.CASCADE, related_name="checks")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "item"], name="qccheck_case_item")]

    def __str__(self):
        return f"{self.case_id} {self.item_id}"
