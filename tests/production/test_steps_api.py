"""GET /api/departments/, /api/cases/{id}/steps/, /api/steps/ and POST start / finish (DESIGN §12)."""

import pytest

from cases.models import Case, Status, TimelineEvent
from cases.services import transition_case
from production import services
from production.models import CaseStep, StepStatus
from tests.factories import DentistFactory, ManagerFactory, TechnicianFactory
from tests.production.helpers import floor, received_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def tech():
    return TechnicianFactory()


def _steps(case):
    return list(CaseStep.objects.filter(case=case).order_by("position"))


def test_departments_list_the_lab_floor(api, tech):
    floor()
    body = api(tech).get("/api/departments/").json()
    assert [d["name"] for d in body] == ["Models", "CAD design", "Milling"]
    assert set(body[0]) == {"id", "name", "daily_capacity"}


def test_a_dentist_sees_no_floor(api):
    f = floor()
    dentist = DentistFactory()
    case = received_case(f["product"], dentist=dentist)
    client = api(dentist)
    assert client.get("/api/departments/").status_code == 403
    assert client.get("/api/steps/").status_code == 403
    assert client.get(f"/api/cases/{case.pk}/steps/").status_code == 403
    assert client.post(f"/api/steps/{_steps(case)[0].pk}/start/").status_code == 403
    assert api(DentistFactory()).get(f"/api/cases/{case.pk}/steps/").status_code == 404


def test_case_steps_have_the_documented_shape(api, tech):
    f = floor()
    case = received_case(f["product"])
    body = api(tech).get(f"/api/cases/{case.pk}/steps/").json()
    assert [s["name"] for s in body] == ["Models", "CAD design", "Milling"]
    first = body[0]
    assert {"id", "department", "name", "position", "status", "technician", "planned_date", "started_at",
            "finished_at"} <= set(first)  # fmt: skip
    assert first["department"] == {"id": f["models"].pk, "name": "Models"}
    assert first["status"] == "ready" and first["technician"] is None


def test_step_list_filters_and_technician_me(api, tech):
    f = floor(technician=tech)
    case = received_case(f["product"])
    received_case(f["product"])
    client = api(tech)
    assert client.get("/api/steps/?status=ready").json()["count"] == 2
    assert client.get(f"/api/steps/?department={f['milling'].pk}").json()["count"] == 2
    client.post(f"/api/steps/{_steps(case)[0].pk}/start/")
    mine = client.get("/api/steps/?technician=me").json()
    assert mine["count"] == 1 and mine["results"][0]["technician"]["id"] == tech.pk
    assert client.get("/api/steps/?status=bogus").status_code == 400


def test_start_and_finish_walk_the_case_through_its_lifecycle(api, tech):
    f = floor(technician=tech)
    case = received_case(f["product"])
    client = api(tech)
    models, design, milling = _steps(case)
    response = client.post(f"/api/steps/{models.pk}/start/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_progress" and response.json()["technician"]["id"] == tech.pk
    assert Case.objects.get(pk=case.pk).status == Status.IN_DESIGN
    assert client.post(f"/api/steps/{models.pk}/finish/").json()["status"] == "done"
    assert CaseStep.objects.get(pk=design.pk).status == StepStatus.READY
    client.post(f"/api/steps/{design.pk}/start/")
    client.post(f"/api/steps/{design.pk}/finish/")
    assert Case.objects.get(pk=case.pk).status == Status.IN_PRODUCTION
    client.post(f"/api/steps/{milling.pk}/start/")
    client.post(f"/api/steps/{milling.pk}/finish/")
    assert Case.objects.get(pk=case.pk).status == Status.QUALITY_CHECK
    moves = list(TimelineEvent.objects.filter(case=case, kind="status").values_list("to_status", flat=True))
    assert {"in_design", "in_production", "quality_check"} <= set(moves)


def test_the_design_step_sends_the_design_for_approval_when_the_product_needs_it(api, tech):
    f = floor(technician=tech, approval=True)
    case = received_case(f["product"])
    client = api(tech)
    models, design, milling = _steps(case)
    for step in (models, design):
        client.post(f"/api/steps/{step.pk}/start/")
        client.post(f"/api/steps/{step.pk}/finish/")
    assert Case.objects.get(pk=case.pk).status == Status.AWAITING_APPROVAL
    refused = client.post(f"/api/steps/{milling.pk}/start/")
    assert refused.status_code == 409 and "approve" in refused.json()["message"]


def test_wrong_state_is_409_and_changes_nothing(api, tech):
    f = floor(technician=tech)
    case = received_case(f["product"])
    models, design, _ = _steps(case)
    client = api(tech)
    assert client.post(f"/api/steps/{design.pk}/start/").status_code == 409
    assert client.post(f"/api/steps/{models.pk}/finish/").status_code == 409
    assert client.post(f"/api/steps/{models.pk}/start/").status_code == 200
    second = client.post(f"/api/steps/{models.pk}/start/")
    assert second.status_code == 409 and second.json()["code"] == "step_not_ready"


def test_two_technicians_starting_at_once_one_wins(tech):
    """The second read the step while it was still ready; its conditional update finds it taken."""
    f = floor(technician=tech)
    other = TechnicianFactory()
    f["models"].technicians.add(other)
    case = received_case(f["product"])
    step = _steps(case)[0]
    stale = CaseStep.objects.get(pk=step.pk)
    services.start_step(step=step, actor=tech)
    with pytest.raises(services.StepNotReady):
        services.start_step(step=stale, actor=other)
    assert CaseStep.objects.get(pk=step.pk).technician_id == tech.pk


def test_a_case_on_hold_or_cancelled_is_refused_with_the_reason(api, tech):
    f = floor(technician=tech)
    manager = ManagerFactory()
    case = received_case(f["product"])
    transition_case(case=case, to=Status.ON_HOLD, actor=manager, note="Waiting for a new bite.")
    response = api(tech).post(f"/api/steps/{_steps(case)[0].pk}/start/")
    assert response.status_code == 409
    assert "on hold" in response.json()["message"] and "new bite" in response.json()["message"]
    other = received_case(f["product"])
    transition_case(case=other, to=Status.CANCELLED, actor=manager, note="Patient moved.")
    assert api(manager).post(f"/api/steps/{_steps(other)[0].pk}/start/").status_code == 409


def test_a_technician_outside_the_department_is_refused(api):
    f = floor()
    case = received_case(f["product"])
    response = api(TechnicianFactory()).post(f"/api/steps/{_steps(case)[0].pk}/start/")
    assert response.status_code == 403 and "Models" in response.json()["message"]
    assert api(ManagerFactory()).post(f"/api/steps/{_steps(case)[0].pk}/start/").status_code == 200


def test_step_list_query_count_is_constant(api, tech, django_assert_max_num_queries):
    f = floor(technician=tech)
    for _ in range(6):
        received_case(f["product"])
    with django_assert_max_num_queries(6):
        assert api(tech).get("/api/steps/").status_code == 200


def test_rework_reopens_the_last_step_and_clears_the_checklist(api, tech):
    from production.models import QCCheck, QCItem

    f = floor(technician=tech)
    case = received_case(f["product"])
    client = api(tech)
    for step in _steps(case):
        client.post(f"/api/steps/{step.pk}/start/")
        client.post(f"/api/steps/{step.pk}/finish/")
    item = QCItem.objects.create(category="crown_bridge", label="Margins")
    client.post(f"/api/cases/{case.pk}/qc/", {"items": [item.pk]}, format="json")
    case = transition_case(case=Case.objects.get(pk=case.pk), to=Status.IN_PRODUCTION, actor=tech, note="Chipped.")
    milling = _steps(case)[-1]
    assert milling.status == StepStatus.READY and not QCCheck.objects.filter(case=case).exists()
    client.post(f"/api/steps/{milling.pk}/start/")
    client.post(f"/api/steps/{milling.pk}/finish/")
    assert Case.objects.get(pk=case.pk).status == Status.QUALITY_CHECK


def test_a_routing_is_saved_from_its_page_in_order(client):
    from django.urls import reverse

    f = floor()
    client.force_login(ManagerFactory())
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "0",
            "form-0-department": f["milling"].pk, "form-0-name": "Milling", "form-0-stage": "production",
            "form-1-department": "", "form-1-name": "", "form-1-stage": "production",
            "form-2-department": f["models"].pk, "form-2-name": "Polish", "form-2-stage": "production"}  # fmt: skip
    response = client.post(reverse("production:routing_edit", args=[f["product"].pk]), data)
    assert response.status_code == 302
    assert list(f["product"].routing_steps.order_by("position").values_list("name", flat=True)) == ["Milling", "Polish"]
