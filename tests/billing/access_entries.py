"""The billing app's rows for the URL access matrix (tests/access_matrix.py).

Money is for managers, admins and the practice's own dentists: technicians get 403 on every page,
PDF and endpoint; another practice's dentist gets 404 on the documents of `w.practice`. Writes
(payments, credits, voids, reversals, the price list, the export) are managers' (403)."""

import datetime
import itertools

_codes = itertools.count(1)


def _invoice(w):
    from cases.models import Status
    from cases.services import transition_case
    from production.selectors import qc_items_for
    from production.services import tick_qc
    from tests.factories import CaseFactory, CaseItemFactory

    case = CaseFactory(dentist=w.users["dentist"], practice=w.practice, status=Status.QUALITY_CHECK)
    CaseItemFactory(case=case)
    # The QC checklist of the item's category (production) is ticked before a case may ship.
    tick_qc(case=case, actor=w.users["admin"], item_ids=[item.pk for item in qc_items_for(case)])
    return transition_case(case=case, to=Status.SHIPPED, actor=w.users["admin"]).invoice


def _credit_note(w):
    from billing.services import issue_credit_note

    return issue_credit_note(invoice=_invoice(w), amount="1.00", reason="Access test", actor=w.users["admin"])


def _payment(w):
    from billing.services import record_payment

    return record_payment(
        practice=w.practice, amount="5.00", received_on=datetime.date.today(), method="cash", actor=w.users["admin"]
    )


def _product(w):
    from tests.factories import ProductFactory

    return ProductFactory()


def billing_access(Check, roles) -> dict:
    practice_docs = roles(anonymous=302, admin=200, manager=200, technician=403, dentist=200, other_dentist=404)
    billing_home = roles(anonymous=302, admin=200, manager=200, technician=403, dentist=200, other_dentist=200)
    managers = roles(anonymous=302, admin=200, manager=200, technician=403, dentist=403, other_dentist=403)
    managers_post = roles(anonymous=302, admin=302, manager=302, technician=403, dentist=403, other_dentist=403)
    api_list = roles(anonymous=401, admin=200, manager=200, technician=403, dentist=200, other_dentist=200)
    api_docs = roles(anonymous=401, admin=200, manager=200, technician=403, dentist=200, other_dentist=404)
    api_create = roles(anonymous=401, admin=201, manager=201, technician=403, dentist=403, other_dentist=403)
    today = datetime.date.today().isoformat()
    return {
        # --- pages ---
        "billing:home": [Check(billing_home)],
        "billing:invoice": [Check(practice_docs, kwargs=lambda w: {"pk": _invoice(w).pk})],
        "billing:invoice_pdf": [Check(practice_docs, kwargs=lambda w: {"pk": _invoice(w).pk})],
        "billing:invoice_credit": [
            Check(
                managers_post,
                method="post",
                kwargs=lambda w: {"pk": _invoice(w).pk},
                data=lambda w: {"amount": "1.00", "reason": "Shade"},
            )
        ],
        "billing:invoice_void": [
            Check(
                managers_post,
                method="post",
                kwargs=lambda w: {"pk": _invoice(w).pk},
                data=lambda w: {"void-reason": "x"},
            )
        ],
        "billing:credit_note_pdf": [Check(practice_docs, kwargs=lambda w: {"pk": _credit_note(w).pk})],
        "billing:payment_create": [
            Check(managers),
            Check(
                managers_post,
                method="post",
                data=lambda w: {"practice": w.practice.pk, "amount": "10", "received_on": today, "method": "cash"},
            ),
        ],
        "billing:payment_reverse": [
            Check(
                managers_post,
                method="post",
                kwargs=lambda w: {"pk": _payment(w).pk},
                data=lambda w: {"reason": "Bounced"},
            )
        ],
        "billing:statement": [Check(practice_docs, data=lambda w: {"practice": w.practice.pk, "month": today[:7]})],
        "billing:statement_pdf": [Check(practice_docs, data=lambda w: {"practice": w.practice.pk, "month": today[:7]})],
        "billing:export": [
            Check(managers),
            Check(
                managers,
                data=lambda w: {"layout": "xero", "kind": "invoices", "start": "2026-01-01", "end": today},
                note="the CSV itself",
            ),
        ],
        "billing:prices": [Check(managers)],
        "billing:product_edit": [
            Check(managers, kwargs=lambda w: {"pk": _product(w).pk}),
            Check(
                managers_post,
                method="post",
                kwargs=lambda w: {"pk": _product(w).pk},
                data=lambda w: {
                    "name": "Crown",
                    "category": "crown_bridge",
                    "unit": "tooth",
                    "price": "99.00",
                    "turnaround_days": 5,
                    "active": "on",
                },
            ),
        ],
        "billing:product_new": [
            Check(managers),
            Check(
                managers_post,
                method="post",
                data=lambda w: {
                    "code": f"NEW-{next(_codes)}",
                    "name": "Night guard",
                    "category": "crown_bridge",
                    "unit": "case",
                    "price": "45.00",
                    "turnaround_days": 0,
                    "active": "on",
                },
            ),
        ],
        "billing:practice_terms": [
            Check(managers, kwargs=lambda w: {"pk": w.practice.pk}),
            Check(
                managers_post,
                method="post",
                kwargs=lambda w: {"pk": w.practice.pk},
                data=lambda w: {"discount_percent": "5", "payment_terms_days": "30"},
            ),
        ],
        # --- API ---
        "billing_api:invoices": [Check(api_list)],
        "billing_api:invoice": [Check(api_docs, kwargs=lambda w: {"pk": _invoice(w).pk})],
        "billing_api:invoice_pdf": [Check(api_docs, kwargs=lambda w: {"pk": _invoice(w).pk})],
        "billing_api:credit_notes": [
            Check(api_list),
            Check(
                api_create,
                method="post",
                data=lambda w: {"invoice": _invoice(w).pk, "amount": "1.00", "reason": "Shade"},
            ),
        ],
        "billing_api:credit_note": [Check(api_docs, kwargs=lambda w: {"pk": _credit_note(w).pk})],
        "billing_api:credit_note_pdf": [Check(api_docs, kwargs=lambda w: {"pk": _credit_note(w).pk})],
        "billing_api:payments": [
            Check(api_list),
            Check(
                api_create,
                method="post",
                data=lambda w: {"practice": w.practice.pk, "amount": "10.00", "received_on": today, "method": "cash"},
            ),
        ],
        "billing_api:payment": [Check(api_docs, kwargs=lambda w: {"pk": _payment(w).pk})],
        "billing_api:payment_reverse": [
            Check(
                roles(anonymous=401, admin=200, manager=200, technician=403, dentist=403, other_dentist=404),
                method="post",
                kwargs=lambda w: {"pk": _payment(w).pk},
                data=lambda w: {"reason": "Bounced"},
            )
        ],
        "billing_api:practice_statement": [
            Check(api_docs, kwargs=lambda w: {"pk": w.practice.pk}),
            Check(api_docs, kwargs=lambda w: {"pk": w.practice.pk}, data=lambda w: {"format": "pdf"}, note="the PDF"),
        ],
    }
