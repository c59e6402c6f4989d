"""Demo billing (seed_demo): the demo's shipped and delivered cases are invoiced by the lifecycle as
they are seeded; this dates those invoices from their shipping day, adds three older delivered
cases for Bright Smile (so its statement fills every aging bucket), and records a payment. The
demo remake (the lab's responsibility) has already credited its original in full. Idempotent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Practice, User
from billing import services
from billing.models import Invoice, Payment
from cases.models import Case, Product, Status
from cases.services import ItemInput, create_case, transition_case

PAYMENT_REFERENCE = "DEMO-CHQ-1001"
# (patient, days since shipped): 61–90, over 90, 31–60 and 1–30 days past due with 30-day terms.
HISTORY = [("Chart 09911", 105), ("Chart 09874", 150), ("Chart 09930", 75), ("Chart 09952", 50)]
PATH = [Status.SUBMITTED, Status.RECEIVED, Status.IN_PRODUCTION, Status.QUALITY_CHECK, Status.SHIPPED, Status.DELIVERED]


def _backdate(invoice: Invoice, day: datetime.date) -> None:
    terms = services.payment_terms_days(invoice.practice)
    Invoice.objects.filter(pk=invoice.pk).update(issued_on=day, due_on=day + datetime.timedelta(days=terms))


def seed_billing(users: dict[str, User], *, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    if Payment.objects.filter(reference=PAYMENT_REFERENCE).exists():
        return {"invoices": 0, "payments": 0}
    manager = users.get("manager@demo.dentallab.test") or User.objects.get(email="manager@demo.dentallab.test")
    # The lifecycle issued the demo invoices today: date them from the day their case shipped.
    for invoice in Invoice.objects.select_related("case", "practice").filter(case__shipped_at__isnull=False):
        shipped = timezone.localdate(invoice.case.shipped_at)
        if shipped < invoice.issued_on:
            _backdate(invoice, shipped)
    practice = Practice.objects.filter(name="Bright Smile Dental").first()
    dentist = User.objects.filter(email="dr.smith@brightsmile.test").first()
    product = Product.objects.filter(active=True, requires_traceability=False).order_by("price").last()
    created = 0
    if practice and dentist and product:
        for patient, days_ago in HISTORY:
            if Case.objects.filter(patient_name=patient, practice=practice).exists():
                continue
            case = create_case(
                actor=manager,
                practice=practice,
                dentist=dentist,
                patient_name=patient,
                items=[ItemInput(product=product, teeth=[11])],
            )
            for status in PATH:
                case = transition_case(case=case, to=status, actor=manager)
            shipped = timezone.now() - datetime.timedelta(days=days_ago)
            Case.objects.filter(pk=case.pk).update(
                received_at=shipped - datetime.timedelta(days=6),
                shipped_at=shipped,
                delivered_at=shipped + datetime.timedelta(days=2),
                due_date=timezone.localdate(shipped),
            )
            _backdate(case.invoice, timezone.localdate(shipped))
            created += 1
        oldest = Invoice.objects.filter(practice=practice, status="open").order_by("issued_on").first()
        if oldest is not None:
            services.record_payment(
                practice=practice,
                amount=(oldest.total / 2).quantize(oldest.total),
                received_on=today - datetime.timedelta(days=5),
                method="check",
                reference=PAYMENT_REFERENCE,
                allocations=[
                    services.AllocationInput(invoice=oldest.pk, amount=(oldest.total / 2).quantize(oldest.total))
                ],
                actor=manager,
                today=today,
            )
    return {"invoices": created, "payments": 1}
