"""Reads of invoices, credit notes and payments: visibility and joins in one place. Every read
starts from `visible_to(user)` (a dentist: their own practice's; another practice's: 404) and
refuses technicians (403: no money anywhere)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Practice
from billing import policy
from billing.exceptions import BillingInputError
from billing.models import CreditNote, Invoice, InvoiceLine, InvoiceStatus, Payment, PaymentAllocation


def require_billing(user) -> None:
    if not policy.can_see_billing(user):
        raise PermissionDenied("Billing is for managers and the practices' dentists.")


def require_billing_manager(user) -> None:
    require_billing(user)
    if not policy.can_manage_billing(user):
        raise PermissionDenied("Only managers do that.")


def _date(value: str, field: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BillingInputError("Give a date as YYYY-MM-DD.", field=field) from None


def _practice_id(value: str) -> int | None:
    if not value:
        return None
    if not str(value).isdigit():
        raise BillingInputError("A practice id is a whole number.", field="practice")
    return int(value)


def invoices_for(user, *, practice="", status="", issued_after="", issued_before="", with_lines=True) -> QuerySet:
    require_billing(user)
    invoices = Invoice.objects.visible_to(user).select_related("case", "practice")
    if with_lines:
        invoices = invoices.prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")))
    practice_id = _practice_id(practice)
    if practice_id:
        invoices = invoices.filter(practice_id=practice_id)
    if status:
        if status not in InvoiceStatus.values:
            raise BillingInputError(f"Choose a status: {', '.join(InvoiceStatus.values)}.", field="status")
        invoices = invoices.filter(status=status)
    after, before = _date(issued_after, "issued_after"), _date(issued_before, "issued_before")
    if after:
        invoices = invoices.filter(issued_on__gte=after)
    if before:
        invoices = invoices.filter(issued_on__lte=before)
    return invoices.order_by("-issued_on", "-id")


def get_invoice_for(user, pk) -> Invoice:
    return get_object_or_404(invoices_for(user), pk=pk)


def credit_notes_for(user, *, practice="", invoice="") -> QuerySet:
    require_billing(user)
    notes = CreditNote.objects.visible_to(user).select_related("invoice", "practice")
    practice_id = _practice_id(practice)
    if practice_id:
        notes = notes.filter(practice_id=practice_id)
    if invoice:
        if not str(invoice).isdigit():
            raise BillingInputError("An invoice id is a whole number.", field="invoice")
        notes = notes.filter(invoice_id=int(invoice))
    return notes.order_by("-issued_on", "-id")


def get_credit_note_for(user, pk) -> CreditNote:
    return get_object_or_404(credit_notes_for(user), pk=pk)


def payments_for(user, *, practice="") -> QuerySet:
    require_billing(user)
    payments = (
        Payment.objects.visible_to(user)
        .select_related("practice")
        .prefetch_related(Prefetch("allocations", queryset=PaymentAllocation.objects.select_related("invoice")))
    )
    practice_id = _practice_id(practice)
    if practice_id:
        payments = payments.filter(practice_id=practice_id)
    return payments.order_by("-received_on", "-id")


def get_payment_for(user, pk) -> Payment:
    return get_object_or_404(payments_for(user), pk=pk)


def get_practice_for(user, pk) -> Practice:
    require_billing(user)
    return get_object_or_404(Practice.objects.visible_to(user), pk=pk)
