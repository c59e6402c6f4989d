"""Invoices, credit notes, payments and the price-change history (DESIGN §13).

Money is `Decimal` with 2 places, rounded half-up per line (billing/money.py). Issued documents
never change: an invoice's figures are written once; what moves afterwards is what was credited
and paid (`amount_credited`, `amount_paid`, kept by billing.services under the practice's row lock)
and so its balance and status.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from accounts.policy import PracticeScopedQuerySet

ZERO = Decimal("0.00")


def money_field(**kwargs):
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class InvoiceStatus(models.TextChoices):
    OPEN = "open", "Open"
    PARTIALLY_PAID = "partially_paid", "Partially paid"
    PAID = "paid", "Paid"
    VOID = "void", "Void"


class CreditKind(models.TextChoices):
    MANUAL = "manual", "Credit"
    REMAKE = "remake", "Remake (lab's responsibility)"
    VOID = "void", "Void"


class PaymentMethod(models.TextChoices):
    CHECK = "check", "Check"
    CARD = "card", "Card"
    TRANSFER = "transfer", "Transfer"
    CASH = "cash", "Cash"
    OTHER = "other", "Other"


class Invoice(models.Model):
    number = models.CharField(max_length=20, unique=True, editable=False)
    # One per case: a case shipped twice (after a rework) is invoiced once.
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="invoice")
    practice = models.ForeignKey("accounts.Practice", on_delete=models.PROTECT, related_name="invoices")
    issued_on = models.DateField()
    due_on = models.DateField()
    currency = models.CharField(max_length=3)
    subtotal = money_field()
    rush_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    surcharge = money_field(default=ZERO)
    discount_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    discount = money_field(default=ZERO)
    tax_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    tax = money_field(default=ZERO)
    total = money_field()
    amount_credited = money_field(default=ZERO)
    amount_paid = money_field(default=ZERO)
    status = models.CharField(max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    practice_lookup = "practice_id"
    objects = PracticeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["-issued_on", "-id"], name="invoice_recent"),
            models.Index(fields=["practice", "-issued_on", "-id"], name="invoice_practice_recent"),
            models.Index(fields=["status", "-issued_on"], name="invoice_status_recent"),
            models.Index(fields=["practice", "status", "issued_on"], name="invoice_practice_open"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="invoice_total_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_credited__gte=0) & Q(amount_paid__gte=0),
                name="invoice_settled_not_negative",
            ),
            # Never more credited and paid than the total: two payments at once cannot over-allocate.
            models.CheckConstraint(
                condition=Q(amount_credited__lte=F("total") - F("amount_paid")), name="invoice_not_over_settled"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def balance(self) -> Decimal:
        return self.total - self.amount_credited - self.amount_paid

    @property
    def creditable(self) -> Decimal:
        return self.total - self.amount_credited


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=200)
    teeth = models.JSONField(default=list)
    quantity = models.PositiveSmallIntegerField()
    unit_price = money_field()
    amount = money_field()

    class Meta:
        ordering = ["invoice", "position"]

    def __str__(self):
        return f"{self.invoice_id} · {self.description}"


class CreditNote(models.Model):
    number = models.CharField(max_length=20, unique=True, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    practice = models.ForeignKey("accounts.Practice", on_delete=models.PROTECT, related_name="credit_notes")
    issued_on = models.DateField()
    amount = money_field()
    reason = models.TextField()
    kind = models.CharField(max_length=10, choices=CreditKind.choices, default=CreditKind.MANUAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    practice_lookup = "practice_id"
    objects = PracticeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["practice", "issued_on"], name="credit_practice_issued")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="credit_amount_positive")]

    def __str__(self):
        return self.number


class Payment(models.Model):
    practice = models.ForeignKey("accounts.Practice", on_delete=models.PROTECT, related_name="payments")
    received_on = models.DateField()
    amount = money_field()
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(max_length=100, blank=True)
    # What is not allocated to an invoice: the practice's credit, used first next time.
    unallocated = money_field(default=ZERO)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A reversal (a bounced cheque) is recorded, never a delete.
    reversed_on = models.DateField(null=True, blank=True)
    reversal_reason = models.TextField(blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    practice_lookup = "practice_id"
    objects = PracticeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["practice", "received_on"], name="payment_practice_received"),
            models.Index(fields=["practice", "reversed_on"], name="payment_practice_reversed"),
            models.Index(
                fields=["practice", "received_on", "id"],
                condition=Q(unallocated__gt=0, reversed_on__isnull=True),
                name="payment_practice_credit",
            ),
            models.Index(fields=["-received_on", "-id"], name="payment_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(unallocated__gte=0) & Q(unallocated__lte=F("amount")), name="payment_unallocated_range"
            ),
        ]

    def __str__(self):
        return f"{self.practice_id} {self.received_on} {self.amount}"

    @property
    def is_reversed(self) -> bool:
        return self.reversed_on is not None


class PaymentAllocation(models.Model):
    """Money of a payment put on an invoice on a day. Rows are only added: a reversal or a credit
    that releases money adds a negative row, so every past day's balances can be read back."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = money_field()
    allocated_on = models.DateField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["invoice", "allocated_on"], name="allocation_invoice_day")]

    def __str__(self):
        return f"{self.payment_id} → {self.invoice_id}: {self.amount}"


class PriceChange(models.Model):
    """The history of the price list (who, when, old → new): list prices, units, turnarounds,
    offered or not, practice discounts and a practice's own prices."""

    product = models.ForeignKey("cases.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    practice = models.ForeignKey("accounts.Practice", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    field = models.CharField(max_length=40)
    old_value = models.CharField(max_length=100, blank=True)
    new_value = models.CharField(max_length=100, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["-changed_at", "-id"], name="price_change_recent")]

    def __str__(self):
        return f"{self.field}: {self.old_value} → {self.new_value}"
