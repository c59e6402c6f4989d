"""Accounting export (DESIGN §13): invoices, credit notes and payments for a date range as CSV in
the import layouts QuickBooks Online and Xero document.

- QuickBooks Online, invoices: its invoice import columns (InvoiceNo, Customer, InvoiceDate,
  DueDate, Terms, Memo, Item(Product/Service), ItemDescription, ItemQuantity, ItemRate,
  ItemAmount, Currency), one row per line; rush surcharge, discount and tax as lines of their own,
  so the ItemAmounts of an invoice add up to its total. Credit notes as credit memos (the same
  columns with CreditMemoNo / CreditMemoDate); payments as received payments.
- Xero: the sales invoice import template (*ContactName, *InvoiceNumber, Reference, *InvoiceDate,
  *DueDate, *Description, *Quantity, *UnitAmount, *AccountCode, *TaxType, Currency), the credit
  note template (*CreditNoteNumber, *CreditNoteDate) and, for payments, the bank statement import
  (*Date, *Amount, Payee, Description, Reference).

UTF-8 with a BOM-less header row, dot decimals with two places, ISO dates (YYYY-MM-DD); text cells
that a spreadsheet would run as a formula (=, +, -, @, tab, CR) are prefixed with a quote.
"""

from __future__ import annotations

import csv
import datetime
import io

from django.conf import settings
from django.db.models import Prefetch

from billing.models import CreditNote, Invoice, InvoiceLine, Payment
from billing.money import cents

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LAYOUTS = ("quickbooks", "xero")
KINDS = ("invoices", "credit_notes", "payments")
XERO_SALES_ACCOUNT = "200"
XERO_TAX_TYPE = "Tax Exempt"


def text(value) -> str:
    """A text cell, neutralised against formula injection."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def money(value) -> str:
    return f"{cents(value):.2f}"


def _invoice_rows(invoice: Invoice) -> list[tuple[str, str, int, str, str]]:
    """(item, description, quantity, rate, amount) for every line, then surcharge, discount, tax."""
    rows = [
        (line.description, _describe(line), line.quantity, money(line.unit_price), money(line.amount))
        for line in invoice.lines.all()
    ]
    if invoice.surcharge:
        rows.append(
            (
                "Rush surcharge",
                f"Rush surcharge {invoice.rush_percent}%",
                1,
                money(invoice.surcharge),
                money(invoice.surcharge),
            )
        )
    if invoice.discount:
        rows.append(
            ("Discount", f"Discount {invoice.discount_percent}%", 1, money(-invoice.discount), money(-invoice.discount))
        )
    if invoice.tax:
        rows.append(("Tax", f"Tax {invoice.tax_percent}%", 1, money(invoice.tax), money(invoice.tax)))
    return rows


def _describe(line: InvoiceLine) -> str:
    teeth = ", ".join(str(t) for t in line.teeth or [])
    return f"{line.description} (teeth {teeth})" if teeth else line.description


def _invoices(start, end):
    return (
        Invoice.objects.filter(issued_on__range=(start, end))
        .select_related("practice", "case")
        .prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")))
        .order_by("issued_on", "id")
    )


def export_csv(*, layout: str, kind: str, start: datetime.date, end: datetime.date) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    getattr(_Writers, f"{layout}_{kind}")(writer, start, end)
    return buffer.getvalue()


class _Writers:
    @staticmethod
    def quickbooks_invoices(writer, start, end):
        writer.writerow(
            [
                "InvoiceNo",
                "Customer",
                "InvoiceDate",
                "DueDate",
                "Terms",
                "Memo",
                "Item(Product/Service)",
                "ItemDescription",
                "ItemQuantity",
                "ItemRate",
                "ItemAmount",
                "Currency",
            ]
        )
        for invoice in _invoices(start, end):
            terms = f"Net {(invoice.due_on - invoice.issued_on).days}"
            for item, description, quantity, rate, amount in _invoice_rows(invoice):
                writer.writerow(
                    [
                        text(invoice.number),
                        text(invoice.practice.name),
                        invoice.issued_on.isoformat(),
                        invoice.due_on.isoformat(),
                        terms,
                        text(f"Case {invoice.case.number}"),
                        text(item),
                        text(description),
                        quantity,
                        rate,
                        amount,
                        invoice.currency,
                    ]
                )

    @staticmethod
    def quickbooks_credit_notes(writer, start, end):
        writer.writerow(
            ["CreditMemoNo", "Customer", "CreditMemoDate", "Memo", "Item(Product/Service)", "ItemDescription",
             "ItemQuantity", "ItemRate", "ItemAmount", "Currency"]
        )  # fmt: skip
        for note in _credit_notes(start, end):
            writer.writerow(
                [
                    text(note.number),
                    text(note.practice.name),
                    note.issued_on.isoformat(),
                    text(f"Credit of invoice {note.invoice.number}"),
                    "Credit",
                    text(note.reason),
                    1,
                    money(note.amount),
                    money(note.amount),
                    note.invoice.currency,
                ]
            )

    @staticmethod
    def quickbooks_payments(writer, start, end):
        writer.writerow(["PaymentDate", "Customer", "PaymentMethod", "RefNo", "Amount", "Memo", "Currency"])
        for payment in _payments(start, end):
            writer.writerow(
                [
                    payment.received_on.isoformat(),
                    text(payment.practice.name),
                    payment.get_method_display(),
                    text(payment.reference),
                    money(payment.amount),
                    text(
                        f"Reversed {payment.reversed_on:%Y-%m-%d}: {payment.reversal_reason}"
                        if payment.reversed_on
                        else ""
                    ),
                    settings.CURRENCY,
                ]
            )

    @staticmethod
    def xero_invoices(writer, start, end):
        writer.writerow(
            ["*ContactName", "EmailAddress", "*InvoiceNumber", "Reference", "*InvoiceDate", "*DueDate",
             "InventoryItemCode", "*Description", "*Quantity", "*UnitAmount", "*AccountCode", "*TaxType", "Currency"]
        )  # fmt: skip
        for invoice in _invoices(start, end):
            for _item, description, quantity, rate, _amount in _invoice_rows(invoice):
                writer.writerow(
                    [
                        text(invoice.practice.name),
                        text(invoice.practice.email),
                        text(invoice.number),
                        text(f"Case {invoice.case.number}"),
                        invoice.issued_on.isoformat(),
                        invoice.due_on.isoformat(),
                        "",
                        text(description),
                        quantity,
                        rate,
                        XERO_SALES_ACCOUNT,
                        XERO_TAX_TYPE,
                        invoice.currency,
                    ]
                )

    @staticmethod
    def xero_credit_notes(writer, start, end):
        writer.writerow(
            ["*ContactName", "EmailAddress", "*CreditNoteNumber", "Reference", "*CreditNoteDate", "*Description",
             "*Quantity", "*UnitAmount", "*AccountCode", "*TaxType", "Currency"]
        )  # fmt: skip
        for note in _credit_notes(start, end):
            writer.writerow(
                [
                    text(note.practice.name),
                    text(note.practice.email),
                    text(note.number),
                    text(note.invoice.number),
                    note.issued_on.isoformat(),
                    text(note.reason),
                    1,
                    money(note.amount),
                    XERO_SALES_ACCOUNT,
                    XERO_TAX_TYPE,
                    note.invoice.currency,
                ]
            )

    @staticmethod
    def xero_payments(writer, start, end):
        writer.writerow(["*Date", "*Amount", "Payee", "Description", "Reference"])
        for payment in _payments(start, end):
            writer.writerow(
                [
                    payment.received_on.isoformat(),
                    money(payment.amount),
                    text(payment.practice.name),
                    text(f"{payment.get_method_display()} payment"),
                    text(payment.reference),
                ]
            )
            if payment.reversed_on and start <= payment.reversed_on <= end:
                writer.writerow(
                    [
                        payment.reversed_on.isoformat(),
                        money(-payment.amount),
                        text(payment.practice.name),
                        text(f"Reversal: {payment.reversal_reason}"),
                        text(payment.reference),
                    ]
                )


def _credit_notes(start, end):
    return (
        CreditNote.objects.filter(issued_on__range=(start, end))
        .select_related("practice", "invoice")
        .order_by("issued_on", "id")
    )


def _payments(start, end):
    return (
        Payment.objects.filter(received_on__range=(start, end)).select_related("practice").order_by("received_on", "id")
    )
