"""Billing's section of the lab's reports page (DESIGN §17), registered through
settings.REPORT_SECTIONS: revenue and receivables by practice in the period. Billing may not import
reports, so the section is a dict of reports.report_sections.Section's fields with the chart named
as a dict."""

from django.conf import settings
from django.db.models import Q, Sum

from accounts.models import Practice
from accounts.policy import can_manage_lab
from billing.models import CreditNote, Invoice, Payment
from billing.money import ZERO
from dentallab.exceptions import Forbidden


def _by_practice(queryset, practice_id, **sums) -> dict[int, dict]:
    if practice_id is not None:
        queryset = queryset.filter(practice_id=practice_id)
    rows = (
        queryset.order_by()
        .values("practice_id")
        .annotate(**{k: Sum(f, filter=q, default=ZERO) for k, (f, q) in sums.items()})
    )
    return {r["practice_id"]: r for r in rows}


def revenue_by_practice(date_from, date_to, practice_id=None) -> list[dict]:
    """Per practice with any billing up to the period's end (4 queries, whatever the number of
    practices or invoices): invoiced (invoices issued in the period), credits (credit notes issued
    in it), payments (received in it, less payments reversed in it) and the open balance at the
    period's end (everything invoiced up to then less credits and payments; negative: the practice
    is in credit)."""
    period = (date_from, date_to)
    invoices = _by_practice(
        Invoice.objects.filter(issued_on__lte=date_to), practice_id,
        invoiced=("total", Q(issued_on__gte=date_from)), invoiced_to_date=("total", Q()),
    )  # fmt: skip
    credits = _by_practice(
        CreditNote.objects.filter(issued_on__lte=date_to), practice_id,
        credited=("amount", Q(issued_on__gte=date_from)), credited_to_date=("amount", Q()),
    )  # fmt: skip
    payments = _by_practice(
        Payment.objects.filter(received_on__lte=date_to), practice_id,
        received=("amount", Q(received_on__range=period)), reversed=("amount", Q(reversed_on__range=period)),
        received_to_date=("amount", Q()), reversed_to_date=("amount", Q(reversed_on__lte=date_to)),
    )  # fmt: skip
    ids = set(invoices) | set(credits) | set(payments)
    empty: dict = {}
    out = []
    for pk, name in Practice.objects.filter(pk__in=ids).order_by("name", "pk").values_list("pk", "name"):
        i, c, p = invoices.get(pk, empty), credits.get(pk, empty), payments.get(pk, empty)
        out.append(
            {
                "practice_id": pk,
                "practice": name,
                "invoiced": i.get("invoiced", ZERO),
                "credits": c.get("credited", ZERO),
                "payments": p.get("received", ZERO) - p.get("reversed", ZERO),
                "open_balance": i.get("invoiced_to_date", ZERO)
                - c.get("credited_to_date", ZERO)
                - p.get("received_to_date", ZERO)
                + p.get("reversed_to_date", ZERO),
            }
        )
    return out


COLUMNS = ("invoiced", "credits", "payments", "open_balance")


def revenue_and_receivables(user, filters, cache) -> dict:
    if not can_manage_lab(user):  # the reports page is the lab's managers'
        raise Forbidden("Only the lab's managers see revenue and receivables.")
    found = revenue_by_practice(filters.date_from, filters.date_to, filters.practice_id)
    rows = [[r["practice"], *(f"{r[c]:.2f}" for c in COLUMNS)] for r in found]
    if found:
        rows.append(["Total", *(f"{sum((r[c] for r in found), ZERO):.2f}" for c in COLUMNS)])
    currency = settings.CURRENCY
    return {
        "key": "revenue",
        "title": "Revenue and receivables by practice",
        "note": (
            "Invoices and credit notes issued and payments received (less reversals) in the period; the open "
            "balance is what the practice owed at its end (negative: in credit). Technician and category "
            "filters do not apply."
        ),
        "header": [
            "Practice",
            f"Invoiced ({currency})",
            f"Credits ({currency})",
            f"Payments ({currency})",
            f"Open balance ({currency})",
        ],
        "rows": rows,
        "wide": True,
        "chart": {
            "kind": "bars",
            "chart_id": "chart-revenue",
            "title": f"Invoiced by practice in the period, {currency}",
            "rows": [(r["practice"], float(r["invoiced"])) for r in found],
        },
    }
