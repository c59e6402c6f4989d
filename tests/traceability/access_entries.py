"""The traceability app's rows for the URL access matrix (tests/access_matrix.py).

Materials and lots are the lab's: managers and admins write them, technicians read them, a dentist
gets 403 on the lists and pages (a missing right on the action) and 404 on one lot through the
API. A case's lots and statement follow the case: the other practice's dentist gets 404.
"""

import io

from cases.models import Status
from tests.factories import CaseFactory, CaseItemFactory, LotFactory, MaterialFactory, ProductFactory


def _case(w, status=Status.IN_PRODUCTION, traceable=False):
    case = CaseFactory(dentist=w.users["dentist"], practice=w.practice, status=status)
    CaseItemFactory(case=case, product=ProductFactory(requires_traceability=traceable))
    return case


def _shipped_case(w):
    """A case that left quality check through the lifecycle, so it has its statement."""
    from cases.services import transition_case
    from production.selectors import qc_items_for
    from production.services import tick_qc

    case = _case(w, status=Status.QUALITY_CHECK)
    # The QC checklist of the item's category (production) is ticked before a case may ship.
    tick_qc(case=case, actor=w.users["admin"], item_ids=[item.pk for item in qc_items_for(case)])
    return transition_case(case=case, to=Status.SHIPPED, actor=w.users["admin"])


def _usage_body(w):
    """The item of the case the URL was just built for (kwargs are built first)."""
    from cases.models import CaseItem

    item = CaseItem.objects.filter(case__practice=w.practice).latest("id")
    return {"item": item.pk, "lot": LotFactory().pk}


def _lot_form(w):
    return {"material": MaterialFactory().pk, "lot_number": "LOT-A1", "expires_on": "2030-01-31"}


def _usage_kwargs(w):
    from traceability.models import LotUsage

    case = _case(w)
    item = case.items.first()
    usage = LotUsage.objects.create(case=case, item=item, lot=LotFactory(), product_name="Crown", teeth=[11])
    return {"pk": usage.pk}


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def traceability_access(Check, roles) -> dict:
    lab_read = roles(anonymous=302, admin=200, manager=200, technician=200, dentist=403, other_dentist=403)
    managers = roles(anonymous=302, admin=200, manager=200, technician=403, dentist=403, other_dentist=403)
    managers_post = roles(anonymous=302, admin=302, manager=302, technician=403, dentist=403, other_dentist=403)
    case_lab_post = roles(anonymous=302, admin=302, manager=302, technician=302, dentist=403, other_dentist=404)
    api_lab_read = roles(anonymous=401, admin=200, manager=200, technician=200, dentist=403, other_dentist=403)
    api_managers_post = roles(anonymous=401, admin=201, manager=201, technician=403, dentist=403, other_dentist=403)
    api_case = roles(anonymous=401, admin=200, manager=200, technician=200, dentist=200, other_dentist=404)
    return {
        # --- pages ---
        "traceability:materials": [Check(lab_read)],
        "traceability:material_create": [
            Check(managers),
            Check(managers_post, method="post", data=lambda w: {"name": "PMMA disc", "category": "polymer"}),
        ],
        "traceability:material_edit": [Check(managers, kwargs=lambda w: {"pk": MaterialFactory().pk})],
        "traceability:lots": [Check(lab_read)],
        "traceability:lot_create": [
            Check(managers),
            Check(
                managers,
                method="post",
                data=lambda w: {"action": "scan", "barcode": "(01)04012345000016(10)ABC(17)301231"},
                note="reading a barcode re-shows the form filled in",
            ),
            Check(managers_post, method="post", data=_lot_form),
        ],
        "traceability:lot_detail": [Check(lab_read, kwargs=lambda w: {"pk": LotFactory().pk})],
        "traceability:lot_status": [
            Check(
                managers_post,
                method="post",
                kwargs=lambda w: {"pk": LotFactory().pk},
                data=lambda w: {"status": "quarantined", "reason": "Supplier notice"},
            )
        ],
        "traceability:lot_recall_csv": [Check(lab_read, kwargs=lambda w: {"pk": LotFactory().pk})],
        "traceability:lot_certificate": [
            Check(
                roles(anonymous=302, admin=404, manager=404, technician=404, dentist=403, other_dentist=403),
                kwargs=lambda w: {"pk": LotFactory().pk},
                note="a lot without a certificate: nothing to download",
            )
        ],
        "traceability:case_lot_add": [
            Check(
                case_lab_post,
                method="post",
                kwargs=lambda w: {"case_id": _case(w).pk},
                data=lambda w: {"item": "0", "lot": ""},
            )
        ],
        "traceability:usage_remove": [Check(case_lab_post, method="post", kwargs=_usage_kwargs)],
        "traceability:case_declaration": [
            Check(
                case_lab_post,
                method="post",
                kwargs=lambda w: {"case_id": _case(w).pk},
                data=lambda w: {"annex_i_deviations": ""},
            )
        ],
        "traceability:statement_regenerate": [
            Check(
                roles(anonymous=302, admin=302, manager=302, technician=403, dentist=403, other_dentist=403),
                method="post",
                kwargs=lambda w: {"case_id": _shipped_case(w).pk},
                data=lambda w: {"reason": "Lot corrected"},
            )
        ],
        "traceability:lab_profile": [
            Check(managers),
            Check(managers_post, method="post", data=lambda w: {"legal_name": "Acme Dental Lab Ltd"}),
        ],
        "lab_logo": [
            Check(
                roles(anonymous=302, admin=404, manager=404, technician=404, dentist=404, other_dentist=404),
                note="no logo uploaded yet",
            )
        ],
        # --- API ---
        "traceability_api:materials": [
            Check(api_lab_read),
            Check(api_managers_post, method="post", data=lambda w: {"name": "PMMA disc", "gtin": "4012345000016"}),
        ],
        "traceability_api:lots": [
            Check(api_lab_read),
            Check(api_managers_post, method="post", data=_lot_form),
        ],
        "traceability_api:lot_cases": [
            Check(
                roles(anonymous=401, admin=200, manager=200, technician=200, dentist=404, other_dentist=404),
                kwargs=lambda w: {"lot_id": LotFactory().pk},
            )
        ],
        "traceability_api:gs1_parse": [
            Check(
                api_lab_read,
                method="post",
                data=lambda w: {"barcode": "(01)04012345000016(10)ABC123(17)301231"},
            ),
            Check(
                roles(anonymous=401, admin=400, manager=400, technician=400, dentist=403, other_dentist=403),
                method="post",
                data=lambda w: {"barcode": "hello"},
            ),
        ],
        "traceability_api:case_lots": [
            Check(api_case, kwargs=lambda w: {"case_id": _case(w).pk}),
            Check(
                roles(anonymous=401, admin=201, manager=201, technician=201, dentist=403, other_dentist=404),
                method="post",
                kwargs=lambda w: {"case_id": _case(w).pk},
                data=_usage_body,
            ),
        ],
        "traceability_api:case_statement": [
            Check(api_case, kwargs=lambda w: {"case_id": _shipped_case(w).pk}),
            Check(
                roles(anonymous=401, admin=404, manager=404, technician=404, dentist=404, other_dentist=404),
                kwargs=lambda w: {"case_id": _case(w).pk},
                note="404 before the case passes quality check",
            ),
        ],
    }
