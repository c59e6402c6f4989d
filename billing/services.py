"""Every billing write, each one transaction that checks its own rules (docs/architecture.md).

Every write that touches a practice's money first locks that practice's row, so two managers
recording payments against the same invoice at once are serialised (the second sees the first's
allocation and cannot over-allocate), and an invoice issued inside a shipment sees the practice's
credit as it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import Practice
from accounts.policy import ensure
from billing import policy
from billing.exceptions import AlreadyReversed, BillingInputError, NothingToCredit
from billing.models import (
    CreditKind,
    CreditNote,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentAllocation,
    PaymentMethod,
    PriceChange,
)
from billing.money import ZERO, cents, percent_of
from billing.signals import invoice_issued
from cases.models import Case, PracticePrice, Priority, Product, RemakeResponsibility, Status
from dentallab.exceptions import NotFound
from dentallab.sequences import next_number

MAX_AMOUNT = Decimal("9999999999.99")


# ---- helpers ------------------------------------------------------------------------------------


def _today(today=None) -> datetime.date:
    return today or timezone.localdate()


def parse_amount(value, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A positive amount of money with at most 2 decimals, or a clear error naming `field`."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise BillingInputError("Enter an amount such as 125.50.", field=field) from None
    if not amount.is_finite():
        raise BillingInputError("Enter an amount such as 125.50.", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise BillingInputError("Amounts have at most two decimals.", field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise BillingInputError("The amount must be more than zero.", field=field)
    if amount > MAX_AMOUNT:
        raise BillingInputError("That amount is too large.", field=field)
    return cents(amount)


def _lock_practice(practice_id) -> Practice:
    return Practice.objects.select_for_update().get(pk=practice_id)


def _refresh_status(invoice: Invoice) -> None:
    if invoice.total > 0 and invoice.amount_credited >= invoice.total:
        invoice.status = InvoiceStatus.VOID
    elif invoice.balance <= 0:
        invoice.status = InvoiceStatus.PAID
    elif invoice.amount_paid > 0:
        invoice.status = InvoiceStatus.PARTIALLY_PAID
    else:
        invoice.status = InvoiceStatus.OPEN


def _save_settlement(invoice: Invoice) -> None:
    _refresh_status(invoice)
    invoice.save(update_fields=["amount_credited", "amount_paid", "status"])


def payment_terms_days(practice: Practice) -> int:
    if practice.payment_terms_days is not None:
        return practice.payment_terms_days
    return settings.PAYMENT_TERMS_DAYS


# ---- invoices -----------------------------------------------------------------------------------


def _line_description(item) -> str:
    material = f" ({item.material})" if item.material and item.material not in item.product.name else ""
    return f"{item.product.name}{material}"[:200]


@transaction.atomic
def invoice_case(*, case: Case, today: datetime.date | None = None) -> Invoice | None:
    """The case's invoice, issued now if it has none (a case shipped twice is invoiced once;
    a cancelled case never). Called inside the `shipped` move's transaction."""
    if case.status == Status.CANCELLED:
        return None
    existing = Invoice.objects.filter(case_id=case.pk).first()
    if existing is not None:
        return existing
    practice = _lock_practice(case.practice_id)
    issued_on = _today(today)
    items = list(case.items.select_related("product").order_by("id"))
    lines = []
    for position, item in enumerate(items, start=1):
        lines.append(
            InvoiceLine(
                position=position,
                description=_line_description(item),
                teeth=list(item.teeth or []),
                quantity=item.quantity,
                unit_price=cents(item.unit_price),
                amount=cents(item.unit_price * item.quantity),
            )
        )
    subtotal = sum((line.amount for line in lines), ZERO)
    rush_percent = settings.RUSH_SURCHARGE_PERCENT if case.priority == Priority.RUSH else Decimal("0")
    surcharge = percent_of(subtotal, rush_percent)
    discount = percent_of(subtotal + surcharge, practice.discount_percent)
    tax_percent = Decimal("0") if practice.tax_exempt else settings.TAX_RATE_PERCENT
    tax = percent_of(subtotal + surcharge - discount, tax_percent)
    invoice = Invoice(
        number=next_number("INV", year=issued_on.year),
        case=case,
        practice=practice,
        issued_on=issued_on,
        due_on=issued_on + datetime.timedelta(days=payment_terms_days(practice)),
        currency=settings.CURRENCY,
        subtotal=subtotal,
        rush_percent=rush_percent,
        surcharge=surcharge,
        discount_percent=practice.discount_percent,
        discount=discount,
        tax_percent=tax_percent,
        tax=tax,
        total=subtotal + surcharge - discount + tax,
    )
    _refresh_status(invoice)
    invoice.save()
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    # The practice's credit (an earlier overpayment) is used first.
    _apply_practice_credit(practice, issued_on)
    invoice.refresh_from_db()
    invoice_issued.send(sender=Invoice, invoice=invoice)
    return invoice


def on_case_moved(sender, *, case, from_status, to_status, actor=None, **kwargs):
    """The lifecycle signal (cases.signals): an invoice when a case ships; a full credit of the
    original's invoice when a remake that is the lab's responsibility is submitted."""
    if to_status == Status.SHIPPED:
        invoice_case(case=case)
    elif (
        to_status == Status.SUBMITTED
        and from_status == Status.DRAFT
        and case.remake_of_id
        and case.remake_responsibility == RemakeResponsibility.LAB
    ):
        original = Invoice.objects.filter(case_id=case.remake_of_id).first()
        if original is not None and original.creditable > 0:
            _credit(
                invoice=original,
                amount=original.creditable,
                reason=f"Remake {case.number} is the lab's responsibility: {case.remake_reason}"[:2000],
                kind=CreditKind.REMAKE,
                actor=actor,
                today=None,
            )


# ---- credit notes -------------------------------------------------------------------------------


def _credit(*, invoice: Invoice, amount: Decimal, reason: str, kind: str, actor, today) -> CreditNote:
    _lock_practice(invoice.practice_id)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.creditable <= 0:
        raise NothingToCredit(f"Invoice {invoice.number} has nothing left to credit.", field="amount")
    if amount > invoice.creditable:
        raise BillingInputError(
            f"At most {invoice.creditable} {invoice.currency} of invoice {invoice.number} can still be credited.",
            field="amount",
        )
    issued_on = _today(today)
    note = CreditNote.objects.create(
        number=next_number("CN", year=issued_on.year),
        invoice=invoice,
        practice_id=invoice.practice_id,
        issued_on=issued_on,
        amount=amount,
        reason=reason,
        kind=kind,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    invoice.amount_credited += amount
    # Money already paid beyond what is now owed goes back to the practice as credit.
    excess = invoice.amount_paid - (invoice.total - invoice.amount_credited)
    if excess > 0:
        _release_allocations(invoice, excess, issued_on)
    _save_settlement(invoice)
    if excess > 0:
        _apply_practice_credit(invoice.practice, issued_on)
    return note


def _release_allocations(invoice: Invoice, excess: Decimal, day: datetime.date) -> None:
    """Take `excess` of the payments on `invoice` back (newest payment first): negative
    allocation rows, and the money becomes its payment's unallocated credit."""
    per_payment = (
        PaymentAllocation.objects.filter(invoice=invoice)
        .values("payment_id")
        .annotate(net=Sum("amount"))
        .order_by("-payment_id")
    )
    for row in per_payment:
        if excess <= 0:
            break
        take = min(row["net"], excess)
        if take <= 0:
            continue
        payment = Payment.objects.select_for_update().get(pk=row["payment_id"])
        PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=-take, allocated_on=day)
        if not payment.is_reversed:
            payment.unallocated += take
            payment.save(update_fields=["unallocated"])
        invoice.amount_paid -= take
        excess -= take


@transaction.atomic
def issue_credit_note(
    *, invoice: Invoice, amount, reason: str, actor, today: datetime.date | None = None, request=None
) -> CreditNote:
    """A manager's (partial) credit: never more than what remains creditable."""
    ensure(policy.can_manage_billing(actor), "Only managers issue credit notes.")
    amount = parse_amount(amount)
    reason = (reason or "").strip()
    if not reason:
        raise BillingInputError("Say why the invoice is credited.", field="reason")
    return _credit(invoice=invoice, amount=amount, reason=reason, kind=CreditKind.MANUAL, actor=actor, today=today)


@transaction.atomic
def void_invoice(*, invoice: Invoice, reason: str, actor, today: datetime.date | None = None) -> CreditNote:
    """Voiding is a full credit note of what remains creditable, never a delete."""
    ensure(policy.can_manage_billing(actor), "Only managers void invoices.")
    reason = (reason or "").strip()
    if not reason:
        raise BillingInputError("Say why the invoice is voided.", field="reason")
    invoice = Invoice.objects.get(pk=invoice.pk)
    return _credit(
        invoice=invoice, amount=invoice.creditable, reason=reason, kind=CreditKind.VOID, actor=actor, today=today
    )


# ---- payments -----------------------------------------------------------------------------------


@dataclass
class AllocationInput:
    invoice: int
    amount: object


def _allocate(payment: Payment, invoice: Invoice, amount: Decimal, day: datetime.date) -> None:
    PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=amount, allocated_on=day)
    invoice.amount_paid += amount
    _save_settlement(invoice)
    payment.unallocated -= amount


def _open_invoices(practice_id):
    return (
        Invoice.objects.select_for_update()
        .filter(practice_id=practice_id, status__in=[InvoiceStatus.OPEN, InvoiceStatus.PARTIALLY_PAID])
        .order_by("issued_on", "id")
    )


def _allocate_oldest_first(payment: Payment, invoices: list[Invoice], day: datetime.date) -> None:
    for invoice in invoices:
        if payment.unallocated <= 0:
            break
        if invoice.balance <= 0:
            continue
        _allocate(payment, invoice, min(invoice.balance, payment.unallocated), day)


def _apply_practice_credit(practice: Practice, day: datetime.date) -> None:
    """Unallocated money of earlier payments goes to the oldest open invoices (the caller holds
    the practice's lock)."""
    credits = list(
        Payment.objects.select_for_update()
        .filter(practice_id=practice.pk, unallocated__gt=0, reversed_on__isnull=True)
        .order_by("received_on", "id")
    )
    if not credits:
        return
    invoices = list(_open_invoices(practice.pk))
    for payment in credits:
        _allocate_oldest_first(payment, invoices, day)
        payment.save(update_fields=["unallocated"])


def practice_credit(practice_id) -> Decimal:
    return (
        Payment.objects.filter(practice_id=practice_id, unallocated__gt=0, reversed_on__isnull=True).aggregate(
            total=Sum("unallocated")
        )["total"]
        or ZERO
    )


@transaction.atomic
def record_payment(
    *,
    practice: Practice,
    amount,
    received_on: datetime.date,
    method: str,
    reference: str = "",
    allocations: list[AllocationInput] | None = None,
    actor,
    today: datetime.date | None = None,
    request=None,
) -> Payment:
    """Record a payment. Without allocations, the practice's earlier credit and then this payment
    go to the oldest open invoices; with them, exactly those; what is left is practice credit."""
    ensure(policy.can_manage_billing(actor), "Only managers record payments.")
    amount = parse_amount(amount)
    today = _today(today)
    if received_on is None:
        raise BillingInputError("Give the day the payment was received.", field="received_on")
    if received_on > today:
        raise BillingInputError("A payment cannot be received in the future.", field="received_on")
    if method not in PaymentMethod.values:
        raise BillingInputError(f"Choose a method: {', '.join(PaymentMethod.values)}.", field="method")
    reference = (reference or "").strip()
    if len(reference) > 100:
        raise BillingInputError("A reference has at most 100 characters.", field="reference")
    practice = _lock_practice(practice.pk)
    payment = Payment(
        practice=practice,
        received_on=received_on,
        amount=amount,
        method=method,
        reference=reference,
        unallocated=amount,
        recorded_by=actor,
    )
    if allocations:
        wanted: dict[int, Decimal] = {}
        for index, allocation in enumerate(allocations):
            value = parse_amount(allocation.amount, field=f"allocations[{index}].amount")
            try:
                invoice_id = int(allocation.invoice)
            except (TypeError, ValueError):
                raise BillingInputError(
                    "An invoice id is a whole number.", field=f"allocations[{index}].invoice"
                ) from None
            wanted[invoice_id] = wanted.get(invoice_id, ZERO) + value
        if sum(wanted.values(), ZERO) > amount:
            raise BillingInputError("The allocations add up to more than the payment.", field="allocations")
        invoices = {
            invoice.pk: invoice
            for invoice in Invoice.objects.select_for_update()
            .filter(pk__in=list(wanted), practice_id=practice.pk)
            .order_by("id")
        }
        for invoice_id, value in wanted.items():
            invoice = invoices.get(invoice_id)
            if invoice is None:
                raise NotFound(f"Invoice {invoice_id} is not one of {practice.name}'s invoices.", field="allocations")
            if value > invoice.balance:
                raise BillingInputError(
                    f"Invoice {invoice.number} has {invoice.balance} {invoice.currency} left to pay.",
                    field="allocations",
                )
        payment.save()
        for invoice_id, value in wanted.items():
            _allocate(payment, invoices[invoice_id], value, today)
    else:
        # The practice's earlier credit is used first, then this payment.
        _apply_practice_credit(practice, today)
        payment.save()
        _allocate_oldest_first(payment, list(_open_invoices(practice.pk)), today)
    payment.save(update_fields=["unallocated"])
    return payment


@transaction.atomic
def reverse_payment(*, payment: Payment, reason: str, actor, today: datetime.date | None = None) -> Payment:
    """A bounced cheque: the payment stays, marked reversed with the reason; its allocations are
    taken back (negative rows), so the invoices it paid are open again."""
    ensure(policy.can_manage_billing(actor), "Only managers reverse payments.")
    reason = (reason or "").strip()
    if not reason:
        raise BillingInputError("Say why the payment is reversed.", field="reason")
    _lock_practice(payment.practice_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.is_reversed:
        raise AlreadyReversed("This payment was already reversed.")
    today = max(_today(today), payment.received_on)
    per_invoice = PaymentAllocation.objects.filter(payment=payment).values("invoice_id").annotate(net=Sum("amount"))
    nets = {row["invoice_id"]: row["net"] for row in per_invoice if row["net"] > 0}
    for invoice in Invoice.objects.select_for_update().filter(pk__in=list(nets)).order_by("id"):
        PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=-nets[invoice.pk], allocated_on=today)
        invoice.amount_paid -= nets[invoice.pk]
        _save_settlement(invoice)
    payment.reversed_on = today
    payment.reversal_reason = reason
    payment.reversed_by = actor
    payment.unallocated = ZERO
    payment.save(update_fields=["reversed_on", "reversal_reason", "reversed_by", "unallocated"])
    return payment


# ---- the price list -----------------------------------------------------------------------------

PRODUCT_FIELDS = ("price", "unit", "turnaround_days", "active", "name", "category")


def _log(*, actor, field: str, old, new, product=None, practice=None) -> None:
    if str(old) != str(new):
        PriceChange.objects.create(
            product=product,
            practice=practice,
            field=field,
            old_value=str(old)[:100],
            new_value=str(new)[:100],
            changed_by=actor,
        )


@transaction.atomic
def update_product(*, product: Product, actor, changes: dict) -> Product:
    """Change a product of the price list (items already on cases and issued invoices keep their
    prices); each change is recorded in the price history."""
    ensure(policy.can_edit_prices(actor), "Only managers edit the price list.")
    product = Product.objects.select_for_update().get(pk=product.pk)
    if "price" in changes:
        changes["price"] = parse_amount(changes["price"], field="price", allow_zero=True)
    for name in PRODUCT_FIELDS:
        if name in changes:
            _log(actor=actor, field=name, old=getattr(product, name), new=changes[name], product=product)
            setattr(product, name, changes[name])
    product.full_clean()
    product.save()
    return product


@transaction.atomic
def create_product(
    *, actor, code: str, name: str, category: str, unit: str, price, turnaround_days: int, active: bool = True
) -> Product:
    """Add a product to the price list (code unique, whatever its case; price and turnaround not
    negative); each of its values is recorded in the price history, as edits are."""
    ensure(policy.can_edit_prices(actor), "Only managers edit the price list.")
    code = str(code or "").strip()
    if not code:
        raise BillingInputError("Give the product a code.", field="code")
    if Product.objects.filter(code__iexact=code).exists():
        raise BillingInputError(f"A product with the code {code} already exists.", field="code")
    if turnaround_days is None or int(turnaround_days) < 0:
        raise BillingInputError("The turnaround is 0 or more working days.", field="turnaround_days")
    product = Product(
        code=code,
        name=str(name or "").strip(),
        category=category,
        unit=unit,
        price=parse_amount(price, field="price", allow_zero=True),
        turnaround_days=int(turnaround_days),
        active=bool(active),
    )
    try:
        product.full_clean()
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise BillingInputError(errors[0], field=field) from None
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:  # the same code added at the same moment
        raise BillingInputError(f"A product with the code {code} already exists.", field="code") from None
    for field in PRODUCT_FIELDS:
        _log(actor=actor, field=field, old="", new=getattr(product, field), product=product)
    return product


@transaction.atomic
def set_practice_terms(
    *, practice: Practice, actor, discount_percent, tax_exempt: bool, payment_terms_days: int | None
) -> Practice:
    ensure(policy.can_edit_prices(actor), "Only managers change a practice's terms.")
    try:
        discount = Decimal(str(discount_percent))
    except (InvalidOperation, ValueError):
        raise BillingInputError("Enter a percentage such as 5 or 7.5.", field="discount_percent") from None
    if not discount.is_finite() or not 0 <= discount <= 100 or discount != discount.quantize(Decimal("0.01")):
        raise BillingInputError("A discount is between 0 and 100 %, at most two decimals.", field="discount_percent")
    if payment_terms_days is not None and not 0 <= int(payment_terms_days) <= 365:
        raise BillingInputError("Payment terms are 0 to 365 days.", field="payment_terms_days")
    practice = _lock_practice(practice.pk)
    _log(actor=actor, field="discount_percent", old=practice.discount_percent, new=discount, practice=practice)
    _log(actor=actor, field="tax_exempt", old=practice.tax_exempt, new=bool(tax_exempt), practice=practice)
    _log(
        actor=actor,
        field="payment_terms_days",
        old=practice.payment_terms_days if practice.payment_terms_days is not None else "",
        new=payment_terms_days if payment_terms_days is not None else "",
        practice=practice,
    )
    practice.discount_percent = discount
    practice.tax_exempt = bool(tax_exempt)
    practice.payment_terms_days = payment_terms_days
    practice.save(update_fields=["discount_percent", "tax_exempt", "payment_terms_days", "updated_at"])
    return practice


@transaction.atomic
def set_practice_price(*, practice: Practice, product: Product, price, actor) -> PracticePrice | None:
    """A practice's own price for a product; an empty price removes it (back to the list price)."""
    ensure(policy.can_edit_prices(actor), "Only managers change a practice's prices.")
    current = PracticePrice.objects.select_for_update().filter(practice=practice, product=product).first()
    old = current.price if current else ""
    if price in (None, ""):
        if current:
            current.delete()
            _log(actor=actor, field="override", old=old, new="", product=product, practice=practice)
        return None
    value = parse_amount(price, field="price", allow_zero=True)
    if current is None:
        current = PracticePrice(practice=practice, product=product, price=value)
    current.price = value
    current.save()
    _log(actor=actor, field="override", old=old, new=value, product=product, practice=practice)
    return current
