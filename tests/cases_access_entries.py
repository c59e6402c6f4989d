"""The cases app's rows for the URL access matrix (tests/access_matrix.py), registered there with

    from tests.cases_access_entries import cases_access
    ACCESS.update(cases_access(Check, roles))

Every object built here belongs to `w.practice` with `w.users["dentist"]` as its dentist; the
other practice's dentist gets 404 for it (never 403). Pages: anonymous visitors are sent to sign
in (302), a page action answers with a redirect to the case page and a message (302) — also when
the service refuses the move (the friendly message of tests/cases/test_case_detail_page.py); a role that
may never take the action gets 403. API: anonymous 401, JSON bodies, services' refusals are 403
(role) and 409 (a move that does not exist from the current status).
"""

from cases.models import Status
from tests.factories import CaseFactory, CaseItemFactory, ProductFactory


def _case(w, status=Status.SUBMITTED, **fields):
    """A case of `w.practice` by its dentist, with one line."""
    case = CaseFactory(dentist=w.users["dentist"], practice=w.practice, status=status, **fields)
    CaseItemFactory(case=case, product=ProductFactory())
    return case


def _pk(status=Status.SUBMITTED):
    return lambda w: {"pk": _case(w, status).pk}


def _items(product, initial=0) -> dict:
    return {
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": str(initial),
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "30",
        "items-0-product": product.pk,
        "items-0-teeth": "11, 21",
        "items-0-shade": "A2",
        "items-0-quantity": "2",
    }


def _new_case_form(w, **extra) -> dict:
    """The new-case form; a dentist's form has no practice and dentist fields (their own)."""
    return {
        "practice": w.practice.pk,
        "dentist": w.users["dentist"].pk,
        "patient_name": "JD-1042",
        "priority": "normal",
        "shade": "A2",
        **_items(ProductFactory()),
        **extra,
    }


def _edit_form(w) -> dict:
    return {"patient_name": "JD-1042", "priority": "rush", "instructions": "Light contacts", **_items(ProductFactory())}


def _new_case_json(w) -> dict:
    return {
        "practice": w.practice.pk,
        "dentist": w.users["dentist"].pk,
        "patient_name": "JD-1042",
        "items": [{"product": ProductFactory().pk, "teeth": [11]}],
    }


def cases_access(Check, roles) -> dict:
    page = roles(anonymous=302, admin=200, manager=200, technician=200, dentist=200, other_dentist=404)
    signed_in = roles(anonymous=302, admin=200, manager=200, technician=200, dentist=200, other_dentist=200)
    action = roles(anonymous=302, admin=302, manager=302, technician=302, dentist=302, other_dentist=404)
    lab_action = roles(anonymous=302, admin=302, manager=302, technician=302, dentist=403, other_dentist=404)
    post_only = roles(anonymous=302, admin=405, manager=405, technician=405, dentist=405, other_dentist=405)
    api = roles(anonymous=401, admin=200, manager=200, technician=200, dentist=200, other_dentist=404)
    api_signed_in = roles(anonymous=401, admin=200, manager=200, technician=200, dentist=200, other_dentist=200)
    api_lab_only = roles(anonymous=401, admin=200, manager=200, technician=200, dentist=403, other_dentist=404)
    api_read_only = roles(anonymous=401, admin=405, manager=405, technician=405, dentist=405, other_dentist=405)
    return {
        # --- pages ---
        "cases:list": [
            Check(signed_in, note="each sees the cases visible to them (a dentist: their practice's)"),
            Check(
                roles(anonymous=302, admin=200, manager=200, technician=200, dentist=200, other_dentist=400),
                data=lambda w: {"practice": w.practice.pk},
                note="another practice is not a choice: the same answer as a practice that does not exist",
            ),
        ],
        "cases:export": [
            Check(signed_in, note="the list's cases as CSV, prices only for who may see them"),
            Check(
                roles(anonymous=302, admin=200, manager=200, technician=200, dentist=200, other_dentist=400),
                data=lambda w: {"dentist": w.users["dentist"].pk},
                note="another practice's dentist is not a choice",
            ),
        ],
        "cases:due-date": [
            Check(signed_in),
            Check(signed_in, data=lambda w: {"product": ProductFactory().pk}, note="the price list is not scoped"),
        ],
        "cases:create": [
            Check(signed_in, note="a dentist creates cases for their own practice"),
            Check(
                roles(anonymous=302, admin=302, manager=302, technician=302, dentist=302, other_dentist=302),
                method="post",
                data=_new_case_form,
                note="a draft; a dentist's form ignores practice and dentist and uses their own",
            ),
            Check(
                roles(anonymous=302, admin=302, manager=302, technician=400, dentist=302, other_dentist=302),
                method="post",
                data=lambda w: _new_case_form(w, action="submit"),
                note="technicians never submit a case: the form says so (400) and nothing is saved",
            ),
        ],
        "cases:detail": [
            Check(page, kwargs=_pk()),
            Check(page, kwargs=_pk(Status.DRAFT), note="the lab sees drafts too (visible_to)"),
            Check(
                roles(anonymous=302, admin=404, manager=404, technician=404, dentist=404, other_dentist=404),
                kwargs=lambda w: {"pk": 987654},
                note="a case that does not exist answers as another practice's case does",
            ),
        ],
        "cases:ticket": [Check(page, kwargs=_pk())],
        "cases:edit": [
            Check(page, kwargs=_pk(), note="a dentist edits while the case is draft or submitted"),
            Check(action, method="post", kwargs=_pk(), data=_edit_form),
            Check(
                roles(anonymous=302, admin=200, manager=200, technician=200, dentist=403, other_dentist=404),
                kwargs=_pk(Status.RECEIVED),
                note="once the lab has received the case, only the lab edits it",
            ),
            Check(lab_action, method="post", kwargs=_pk(Status.RECEIVED), data=_edit_form),
            Check(
                roles(anonymous=302, admin=403, manager=403, technician=403, dentist=403, other_dentist=404),
                kwargs=_pk(Status.SHIPPED),
                note="nobody edits a shipped case (a remake instead)",
            ),
        ],
        "cases:move": [
            Check(
                action,
                method="post",
                kwargs=_pk(),
                data=lambda w: {"to": Status.CANCELLED},
                note="cancelling a submitted case: lab staff and its dentist; a technician is refused "
                "with a message on the case page (a page action answers with a redirect)",
            ),
            Check(action, method="post", kwargs=_pk(), data=lambda w: {"to": Status.RECEIVED}),
            Check(post_only, kwargs=_pk()),
        ],
        "cases:note": [
            Check(action, method="post", kwargs=_pk(), data=lambda w: {"body": "Please call the practice"}),
            Check(
                action,
                method="post",
                kwargs=_pk(),
                data=lambda w: {"body": "Lab only?", "internal": "on"},
                note="a dentist's form has no internal field: their note is always shared",
            ),
            Check(post_only, kwargs=_pk()),
        ],
        "cases:assign": [
            Check(
                lab_action,
                method="post",
                kwargs=_pk(),
                data=lambda w: {"technician": w.colleague.pk},
                note="only the lab assigns technicians",
            ),
            Check(post_only, kwargs=_pk()),
        ],
        "cases:remake": [
            Check(action, method="post", kwargs=_pk(Status.SHIPPED), data=lambda w: {"reason": "Margin open on 21"}),
            Check(post_only, kwargs=_pk(Status.SHIPPED)),
        ],
        # --- API ---
        "api-case-list": [
            Check(api_signed_in, note="each sees the cases visible to them"),
            Check(
                roles(anonymous=401, admin=200, manager=200, technician=200, dentist=200, other_dentist=400),
                data=lambda w: {"practice": w.practice.pk},
                note="another practice is not a choice: the same answer as a practice that does not exist",
            ),
            Check(
                roles(anonymous=401, admin=201, manager=201, technician=201, dentist=201, other_dentist=400),
                method="post",
                data=_new_case_json,
                note="another practice is not a choice: the same 400 as a practice that does not exist",
            ),
        ],
        "api-case-detail": [
            Check(api, kwargs=_pk()),
            Check(
                roles(anonymous=401, admin=404, manager=404, technician=404, dentist=404, other_dentist=404),
                kwargs=lambda w: {"pk": 987654},
                note="a case that does not exist answers as another practice's case does",
            ),
            Check(api, method="patch", kwargs=_pk(), data=lambda w: {"instructions": "Polish the margins"}),
            Check(
                api_lab_only,
                method="patch",
                kwargs=_pk(Status.RECEIVED),
                data=lambda w: {"instructions": "Polish the margins"},
                note="once the lab has received the case, only the lab edits it",
            ),
            Check(
                api_lab_only,
                method="patch",
                kwargs=_pk(),
                data=lambda w: {"assigned_technician": w.colleague.pk},
                note="only the lab assigns technicians",
            ),
            Check(
                roles(anonymous=401, admin=405, manager=405, technician=405, dentist=405, other_dentist=405),
                method="delete",
                kwargs=_pk(),
                note="cases are cancelled, never deleted",
            ),
        ],
        "api-case-transition": [
            Check(
                api_lab_only,
                method="post",
                kwargs=_pk(),
                data=lambda w: {"to": Status.RECEIVED},
                note="receiving a case is a lab move",
            ),
            Check(
                roles(anonymous=401, admin=200, manager=200, technician=403, dentist=200, other_dentist=404),
                method="post",
                kwargs=_pk(),
                data=lambda w: {"to": Status.CANCELLED},
                note="technicians never cancel; the dentist may before the lab receives the case",
            ),
            Check(
                roles(anonymous=401, admin=200, manager=200, technician=403, dentist=200, other_dentist=404),
                method="post",
                kwargs=_pk(Status.DRAFT),
                data=lambda w: {"to": Status.SUBMITTED},
                note="technicians never submit a case (their moves start at receipt)",
            ),
            Check(
                roles(anonymous=401, admin=200, manager=200, technician=403, dentist=403, other_dentist=404),
                method="post",
                kwargs=_pk(Status.RECEIVED),
                data=lambda w: {"to": Status.CANCELLED, "note": "Patient moved away"},
                note="once received, only managers and admins cancel (with a reason)",
            ),
            Check(
                api,
                method="post",
                kwargs=_pk(Status.AWAITING_APPROVAL),
                data=lambda w: {"to": Status.IN_PRODUCTION},
                note="the dentist approves the design; the lab may move it on too",
            ),
            Check(
                roles(anonymous=401, admin=200, manager=200, technician=200, dentist=403, other_dentist=404),
                method="post",
                kwargs=_pk(Status.IN_DESIGN),
                data=lambda w: {"to": Status.ON_HOLD, "note": "Waiting for a new scan"},
                note="putting a case on hold is a lab move",
            ),
            Check(
                roles(anonymous=401, admin=409, manager=409, technician=409, dentist=409, other_dentist=404),
                method="post",
                kwargs=_pk(),
                data=lambda w: {"to": Status.DELIVERED},
                note="a move that does not exist from the current status",
            ),
            Check(api_read_only, kwargs=_pk(), note="moves are POSTs"),
        ],
        "api-case-notes": [
            Check(api, kwargs=_pk()),
            Check(
                roles(anonymous=401, admin=201, manager=201, technician=201, dentist=201, other_dentist=404),
                method="post",
                kwargs=_pk(),
                data=lambda w: {"body": "Please call the practice"},
            ),
            Check(
                roles(anonymous=401, admin=201, manager=201, technician=201, dentist=403, other_dentist=404),
                method="post",
                kwargs=_pk(),
                data=lambda w: {"body": "Lab only", "internal": True},
                note="internal notes are lab-only",
            ),
        ],
        "api-case-events": [Check(api, kwargs=_pk())],
        "api-product-list": [
            Check(api_signed_in, note="prices are hidden from technicians (tests/access/test_api_access.py)"),
            Check(api_read_only, method="post", data=lambda w: {"code": "X1"}, note="no writes through the API"),
        ],
        "api-practice-list": [
            Check(api_signed_in, note="lab staff see every practice, a dentist their own"),
            Check(api_read_only, method="post", data=lambda w: {"name": "X"}, note="no writes through the API"),
        ],
        "api-schema": [Check(roles(**dict.fromkeys(api, 200)), note="the OpenAPI description is public")],
        "api-docs": [Check(roles(**dict.fromkeys(api, 200)), note="the browsable docs are public")],
    }
