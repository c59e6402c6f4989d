"""PDFs of invoices, credit notes and statements on the lab's letterhead (dentallab/pdf.py, fpdf2:
wheels only, so it runs on Vercel). Every figure printed is the stored (or, for statements, the
computed) figure the JSON gives, formatted with two decimals, so the two agree to the cent."""

from __future__ import annotations

import logging

from accounts.models import LabProfile
from billing.models import CreditNote, Invoice
from billing.money import fmt
from billing.statements import BUCKETS, Statement
from dentallab.pdf import Letterhead, LetterheadPDF

logger = logging.getLogger(__name__)
BUCKET_LABELS = {
    "current": "Current",
    "1_30": "1–30 days",
    "31_60": "31–60 days",
    "61_90": "61–90 days",
    "over_90": "Over 90 days",
}


def _logo(profile: LabProfile) -> bytes | None:
    if not profile.logo:
        return None
    try:
        with profile.logo.open("rb") as handle:
            return handle.read()
    except Exception:  # noqa: BLE001 — a document matters more than its logo
        logger.warning("billing: the lab logo could not be read; printing without it")
        return None


def letterhead() -> Letterhead:
    """The lab's name, address, registration numbers and contact from the lab profile."""
    profile = LabProfile.current()
    registration = [
        ("Tax / VAT", profile.tax_id),
        ("SRN", profile.eu_srn),
        ("MHRA", profile.uk_mhra_number),
        ("FDA", profile.us_fda_establishment),
    ]
    lines = [" · ".join(f"{label} {value}" for label, value in registration if value)]
    lines.append(" · ".join(value for value in (profile.phone, profile.email, profile.website) if value))
    return Letterhead(
        name=profile.legal_name or "Dental laboratory",
        address=profile.address,
        lines=tuple(line for line in lines if line),
        logo=_logo(profile),
    )


def _pdf(title: str, subtitle: str, footer: str) -> LetterheadPDF:
    pdf = LetterheadPDF(letterhead(), title=title, subtitle=subtitle, footer_text=footer)
    pdf.alias_nb_pages()
    pdf.add_page()
    return pdf


def _teeth(teeth) -> str:
    return ", ".join(str(t) for t in teeth or []) or "—"


def invoice_pdf(invoice: Invoice) -> bytes:
    practice = invoice.practice
    pdf = _pdf(
        f"Invoice {invoice.number}",
        f"Issued {invoice.issued_on:%d %B %Y} · due {invoice.due_on:%d %B %Y} · case {invoice.case.number}",
        f"Invoice {invoice.number} · {invoice.currency}",
    )
    pdf.field("Bill to", "\n".join(v for v in (practice.name, practice.address, practice.account_number) if v))
    pdf.field("Case", f"{invoice.case.number} · {invoice.case.patient_name}")
    pdf.field("Status", invoice.get_status_display())
    pdf.heading("Lines")
    pdf.simple_table(
        ["Description", "Teeth", "Qty", "Unit price", "Amount"],
        [
            [line.description, _teeth(line.teeth), str(line.quantity), fmt(line.unit_price), fmt(line.amount)]
            for line in invoice.lines.all()
        ],
        widths=[60, 22, 10, 20, 20],
    )
    pdf.heading("Totals")
    pdf.field("Subtotal", fmt(invoice.subtotal))
    if invoice.surcharge:
        pdf.field(f"Rush surcharge ({invoice.rush_percent}%)", fmt(invoice.surcharge))
    if invoice.discount:
        pdf.field(f"Discount ({invoice.discount_percent}%)", f"-{fmt(invoice.discount)}")
    pdf.field(f"Tax ({invoice.tax_percent}%)", fmt(invoice.tax))
    pdf.field("Total", f"{fmt(invoice.total)} {invoice.currency}")
    if invoice.amount_credited:
        pdf.field("Credited", f"-{fmt(invoice.amount_credited)}")
    if invoice.amount_paid:
        pdf.field("Paid", f"-{fmt(invoice.amount_paid)}")
    pdf.field("Balance due", f"{fmt(invoice.balance)} {invoice.currency}")
    pdf.paragraph(f"Please pay by {invoice.due_on:%d %B %Y}, quoting {invoice.number}.", muted=True)
    return pdf.render()


def credit_note_pdf(note: CreditNote) -> bytes:
    invoice = note.invoice
    pdf = _pdf(
        f"Credit note {note.number}",
        f"Issued {note.issued_on:%d %B %Y} · against invoice {invoice.number}",
        f"Credit note {note.number} · {invoice.currency}",
    )
    practice = note.practice
    pdf.field("Credit to", "\n".join(v for v in (practice.name, practice.address, practice.account_number) if v))
    pdf.field("Invoice", f"{invoice.number} of {invoice.issued_on:%d %B %Y} (total {fmt(invoice.total)})")
    pdf.field("Kind", note.get_kind_display())
    pdf.field("Reason", note.reason)
    pdf.field("Amount credited", f"{fmt(note.amount)} {invoice.currency}")
    return pdf.render()


def statement_pdf(statement: Statement, *, currency: str) -> bytes:
    pdf = _pdf(
        f"Statement of account {statement.month_label}",
        f"{statement.practice_name} · as of {statement.as_of:%d %B %Y}",
        f"Statement {statement.month_label} · {statement.practice_name} · {currency}",
    )
    pdf.field("Opening balance", fmt(statement.opening_balance))
    pdf.heading("Invoices")
    pdf.simple_table(
        ["Number", "Issued", "Total"],
        [[r["number"], r["issued_on"].isoformat(), fmt(r["total"])] for r in statement.invoices]
        or [["None this month", "", ""]],
        widths=[50, 40, 30],
    )
    pdf.heading("Credit notes")
    pdf.simple_table(
        ["Number", "Issued", "Amount"],
        [[r["number"], r["issued_on"].isoformat(), fmt(r["amount"])] for r in statement.credit_notes]
        or [["None this month", "", ""]],
        widths=[50, 40, 30],
    )
    pdf.heading("Payments")
    pdf.simple_table(
        ["Received", "Reference", "Amount"],
        [[r["received_on"].isoformat(), r["reference"] or "—", fmt(r["amount"])] for r in statement.payments]
        or [["None this month", "", ""]],
        widths=[40, 50, 30],
    )
    pdf.heading("Summary")
    pdf.field("Opening balance", fmt(statement.opening_balance))
    pdf.field("Invoices", f"+{fmt(statement.invoiced)}")
    pdf.field("Credit notes", f"-{fmt(statement.credited)}")
    pdf.field("Payments", f"-{fmt(statement.paid)}")
    pdf.field("Closing balance", f"{fmt(statement.closing_balance)} {currency}")
    pdf.heading("Aging (days past due)")
    pdf.simple_table(
        [BUCKET_LABELS[b] for b in BUCKETS],
        [[fmt(statement.aging[b]) for b in BUCKETS]],
    )
    return pdf.render()
