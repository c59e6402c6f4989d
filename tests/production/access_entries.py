"""The production app's rows for the URL access matrix (tests/access_matrix.py).

The floor is the lab's: a dentist gets 403 on every page and list (a missing right on the action,
checked before any object), and through the API 404 on another practice's case. Managers and admins
edit departments, routings and the QC checklist; technicians work the steps of their departments
(the World's technician is put in every department the checks build)."""

from cases.models import Status
from tests.factories import CaseFactory, CaseItemFactory, ProductFactory


def _floor(w):
    from tests.production.helpers import floor

    return floor(technician=w.users["technician"])


def _step(w, started=False):
    from production import services
    from tests.production.helpers import received_case

    f = _floor(w)
    case = received_case(f["product"], dentist=w.users["dentist"], actor=w.users["admin"])
    step = case.steps.order_by("position").first()
    if started:
        services.start_step(step=step, actor=w.users["admin"])
    return step


def _qc_case(w):
    from production.models import QCItem

    QCItem.objects.get_or_create(category="crown_bridge", label="Margins")
    case = CaseFactory(dentist=w.users["dentist"], practice=w.practice, status=Status.QUALITY_CHECK)
    CaseItemFactory(case=case, product=ProductFactory(category="crown_bridge"))
    return case


def _qc_item_ids(w):
    from production.models import QCItem

    return {"items": list(QCItem.objects.values_list("pk", flat=True))}


def production_access(Check, roles) -> dict:
    lab = roles(anonymous=302, admin=200, manager=200, technician=200, dentist=403, other_dentist=403)
    lab_post = roles(anonymous=302, admin=302, manager=302, technician=302, dentist=403, other_dentist=403)
    managers = roles(anonymous=302, admin=200, manager=200, technician=403, dentist=403, other_dentist=403)
    managers_post = roles(anonymous=302, admin=302, manager=302, technician=403, dentist=403, other_dentist=403)
    api_lab = roles(anonymous=401, admin=200, manager=200, technician=200, dentist=403, other_dentist=403)
    api_case = roles(anonymous=401, admin=200, manager=200, technician=200, dentist=403, other_dentist=404)
    return {
        # --- pages ---
        "production:board": [Check(lab), Check(lab, kwargs=lambda w: _floor(w) and {}, note="with departments")],
        "production:load": [Check(lab), Check(lab, kwargs=lambda w: _step(w) and {}, note="with planned steps")],
        "production:bench": [Check(lab), Check(lab, kwargs=lambda w: _step(w, True) and {}, note="with work")],
        "production:scan": [
            Check(lab),
            Check(
                lab, method="post", data=lambda w: {"code": "2026-99999"}, note="an unknown code answers on the page"
            ),
        ],
        "production:departments": [Check(managers)],
        "production:department_create": [
            Check(managers),
            Check(managers_post, method="post", data=lambda w: {"name": "Ceramics", "daily_capacity": "12"}),
        ],
        "production:department_edit": [Check(managers, kwargs=lambda w: {"pk": _floor(w)["models"].pk})],
        "production:routings": [Check(managers)],
        "production:routing_edit": [Check(managers, kwargs=lambda w: {"product_id": _floor(w)["product"].pk})],
        "production:qc_items": [
            Check(managers),
            Check(managers_post, method="post", data=lambda w: {"category": "implant", "label": "Screw channel"}),
        ],
        "production:qc_item_remove": [
            Check(managers_post, method="post", kwargs=lambda w: {"pk": _qc_case(w) and _qc_item_ids(w)["items"][0]})
        ],
        "production:step_start": [Check(lab_post, method="post", kwargs=lambda w: {"pk": _step(w).pk})],
        "production:step_finish": [Check(lab_post, method="post", kwargs=lambda w: {"pk": _step(w, True).pk})],
        "production:case_qc": [
            Check(lab_post, method="post", kwargs=lambda w: {"case_id": _qc_case(w).pk}, data=_qc_item_ids)
        ],
        # --- API ---
        "production_api:departments": [Check(api_lab)],
        "production_api:steps": [Check(api_lab)],
        "production_api:case_steps": [Check(api_case, kwargs=lambda w: {"case_id": _step(w).case_id})],
        "production_api:step_start": [Check(api_lab, method="post", kwargs=lambda w: {"pk": _step(w).pk})],
        "production_api:step_finish": [Check(api_lab, method="post", kwargs=lambda w: {"pk": _step(w, True).pk})],
        "production_api:case_qc": [
            Check(api_case, kwargs=lambda w: {"case_id": _qc_case(w).pk}),
            Check(api_case, method="post", kwargs=lambda w: {"case_id": _qc_case(w).pk}, data=_qc_item_ids),
        ],
    }
