"""A practice's statement of account for a month (DESIGN §13), computed by aggregation in the
database in a constant number of queries, whatever the number of documents:

    opening + Σ invoice totals − Σ credit amounts − Σ payments (net of reversals) = closing

A reversed payment is listed twice: received (its month) and reversed (a negative line in the
month it bounced), so every month reconciles on its own. Aging is the open balance of each
invoice as of the statement date (the month's last day, or today for the current month), by days
past its due date, read from the append-only allocation rows.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from billing.exceptions import BillingInputError
from billing.models import CreditNote, Invoice, Payment, PaymentAllocation
from billing.money import ZERO

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MONEY = DecimalField(max_digits=14, decimal_places=2)
BUCKETS = ("current", "1_30", "31_60", "61_90", "over_90")


def parse_month(value: str | None, *, today: datetime.date | None = None) -> datetime.date:
    """'2026-05' → 2026-05-01; the current month when empty; clear errors naming `month`."""
    today = today or timezone.localdate()
    if not value:
        return today.replace(day=1)
    match = MONTH_RE.match(str(value).strip())
    if not match:
        raise BillingInputError("Give the month as YYYY-MM, e.g. 2026-05.", field="month")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 2000:
        raise BillingInputError("Give the month as YYYY-MM, e.g. 2026-05.", field="month")
    start = datetime.date(year, month, 1)
    if start > today.replace(day=1):
        raise BillingInputError("That month has not started yet.", field="month")
    return start


def month_end(start: datetime.date) -> datetime.date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


@dataclass
class Statement:
    practice_id: int
    practice_name: str
    month: datetime.date
    as_of: datetime.date
    opening_balance: Decimal
    invoices: list[dict] = field(default_factory=list)
    credit_notes: list[dict] = field(default_factory=list)
    payments: list[dict] = field(default_factory=list)
    closing_balance: Decimal = ZERO
    aging: dict[str, Decimal] = field(default_factory=dict)

    @property
    def invoiced(self) -> Decimal:
        return sum((row["total"] for row in self.invoices), ZERO)

    @property
    def credited(self) -> Decimal:
        return sum((row["amount"] for row in self.credit_notes), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((row["amount"] for row in self.payments), ZERO)

    @property
    def month_label(self) -> str:
        return f"{self.month:%Y-%m}"

    def as_json(self) -> dict:
        money = lambda value: f"{value:.2f}"  # noqa: E731
        return {
            "practice": {"id": self.practice_id, "name": self.practice_name},
            "month": self.month_label,
            "opening_balance": money(self.opening_balance),
            "invoices": [
                {
                    "id": r["id"],
                    "number": r["number"],
                    "issued_on": r["issued_on"].isoformat(),
                    "total": money(r["total"]),
                }
                for r in self.invoices
            ],
            "credit_notes": [
                {
                    "id": r["id"],
                    "number": r["number"],
                    "issued_on": r["issued_on"].isoformat(),
                    "amount": money(r["amount"]),
                }
                for r in self.credit_notes
            ],
            "payments": [
                {
                    "id": r["id"],
                    "received_on": r["received_on"].isoformat(),
                    "reference": r["reference"],
                    "amount": money(r["amount"]),
                }
                for r in self.payments
            ],
            "closing_balance": money(self.closing_balance),
            "aging": {bucket: money(self.aging[bucket]) for bucket in BUCKETS},
        }


def _sum(queryset, expression, **filters) -> Decimal:
    return queryset.filter(**filters).aggregate(total=Coalesce(Sum(expression), Value(ZERO), output_field=MONEY))[
        "total"
    ]


def compute_statement(practice, month: datetime.date, *, today: datetime.date | None = None) -> Statement:
    """The statement of `practice` for the month starting `month` (8 queries)."""
    today = today or timezone.localdate()
    start, end = month.replace(day=1), month_end(month)
    as_of = min(end, today)
    invoices = Invoice.objects.filter(practice_id=practice.pk)
    credits = CreditNote.objects.filter(practice_id=practice.pk)
    payments = Payment.objects.filter(practice_id=practice.pk)

    before = payments.aggregate(
        received=Coalesce(Sum("amount", filter=Q(received_on__lt=start)), Value(ZERO), output_field=MONEY),
        reversed=Coalesce(Sum("amount", filter=Q(reversed_on__lt=start)), Value(ZERO), output_field=MONEY),
    )
    opening = (
        _sum(invoices, "total", issued_on__lt=start)
        - _sum(credits, "amount", issued_on__lt=start)
        - before["received"]
        + before["reversed"]
    )
    statement = Statement(
        practice_id=practice.pk, practice_name=practice.name, month=start, as_of=as_of, opening_balance=opening
    )
    statement.invoices = list(
        invoices.filter(issued_on__range=(start, end))
        .order_by("issued_on", "id")
        .values("id", "number", "issued_on", "total")
    )
    statement.credit_notes = list(
        credits.filter(issued_on__range=(start, end))
        .order_by("issued_on", "id")
        .values("id", "number", "issued_on", "amount")
    )
    rows = []
    for payment in (
        payments.filter(Q(received_on__range=(start, end)) | Q(reversed_on__range=(start, end)))
        .order_by("received_on", "id")
        .values("id", "received_on", "reference", "amount", "reversed_on")
    ):
        if start <= payment["received_on"] <= end:
            rows.append({**payment, "reversal": False})
        if payment["reversed_on"] and start <= payment["reversed_on"] <= end:
            rows.append(
                {
                    **payment,
                    "received_on": payment["reversed_on"],
                    "reference": f"Reversed: {payment['reference']}".strip(),
                    "amount": -payment["amount"],
                    "reversal": True,
                }
            )
    statement.payments = sorted(rows, key=lambda r: (r["received_on"], r["id"], r["reversal"]))
    statement.closing_balance = opening + statement.invoiced - statement.credited - statement.paid
    statement.aging = aging(practice, as_of, today=today)
    return statement


def aging(practice, as_of: datetime.date, *, today: datetime.date | None = None) -> dict[str, Decimal]:
    """Open balances as of `as_of` by days past due (one query). As of today the stored settled
    amounts are the answer; for an earlier day they are summed from the dated credit notes and
    allocation rows (append-only, so any past day can be read back)."""
    today = today or timezone.localdate()
    invoices = Invoice.objects.filter(practice_id=practice.pk, issued_on__lte=as_of)
    if as_of >= today:
        open_balance = F("total") - F("amount_credited") - F("amount_paid")
        rows = invoices.annotate(open=open_balance).filter(open__gt=0)
        day = datetime.timedelta(days=1)

        def bucket(condition):
            return Coalesce(Sum("open", filter=condition), Value(ZERO), output_field=MONEY)

        return rows.aggregate(
            **{
                "current": bucket(Q(due_on__gte=as_of)),
                "1_30": bucket(Q(due_on__lt=as_of, due_on__gte=as_of - 30 * day)),
                "31_60": bucket(Q(due_on__lt=as_of - 30 * day, due_on__gte=as_of - 60 * day)),
                "61_90": bucket(Q(due_on__lt=as_of - 60 * day, due_on__gte=as_of - 90 * day)),
                "over_90": bucket(Q(due_on__lt=as_of - 90 * day)),
            }
        )
    credited = (
        CreditNote.objects.filter(invoice=OuterRef("pk"), issued_on__lte=as_of)
        .values("invoice")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    paid = (
        PaymentAllocation.objects.filter(invoice=OuterRef("pk"), allocated_on__lte=as_of)
        .values("invoice")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    rows = invoices.annotate(
        open=F("total")
        - Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY)
        - Coalesce(Subquery(credited, output_field=MONEY), Value(ZERO), output_field=MONEY)
    ).values_list("due_on", "open")
    result = dict.fromkeys(BUCKETS, ZERO)
    for due_on, amount in rows:
        if amount > 0:
            result[_bucket((as_of - due_on).days)] += amount
    return result


def _bucket(days_past_due: int) -> str:
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "1_30"
    if days_past_due <= 60:
        return "31_60"
    if days_past_due <= 90:
        return "61_90"
    return "over_90"


def balance(practice_id) -> Decimal:
    """What the practice owes now (negative: it has credit)."""
    owed = Invoice.objects.filter(practice_id=practice_id).aggregate(
        total=Coalesce(Sum(F("total") - F("amount_credited") - F("amount_paid")), Value(ZERO), output_field=MONEY)
    )["total"]
    credit = Payment.objects.filter(practice_id=practice_id, reversed_on__isnull=True).aggregate(
        total=Coalesce(Sum("unallocated"), Value(ZERO), output_field=MONEY)
    )["total"]
    return owed - credit
