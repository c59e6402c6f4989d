"""GET/POST /api/cases/ and GET/PATCH /api/cases/{id}/ (DESIGN §8)."""

import datetime

import pytest

from accounts.audit import AuditAction, AuditEvent
from cases.models import Case, Status
from tests.factories import (
    CaseFactory,
    CaseItemFactory,
    DentistFactory,
    ManagerFactory,
    ProductFactory,
    TechnicianFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/api/cases/"


def detail(case):
    return f"/api/cases/{case.pk}/"


@pytest.fixture
def api(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_the_list_is_paginated_with_the_contract_shape(api):
    manager = ManagerFactory()
    for _ in range(3):
        CaseItemFactory()
    body = api(manager).get(LIST, {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2
    assert "page=2" in body["next"] and body["previous"] is None
    case = body["results"][0]
    for key in (
        "id", "number", "status", "priority", "practice", "dentist", "patient_name", "due_date", "received_at",
        "shipped_at", "pan_number", "shade", "instructions", "items", "created_at", "updated_at",
    ):  # fmt: skip
        assert key in case
    assert set(case["practice"]) == {"id", "name"} and set(case["dentist"]) == {"id", "name"}
    assert {"id", "product", "teeth", "shade", "material", "quantity", "unit_price"} <= set(case["items"][0])


def test_page_size_defaults_to_25_and_is_capped_at_100(api):
    manager = ManagerFactory()
    dentist = DentistFactory()
    Case.objects.bulk_create(
        Case(number=f"2026-B{n:05d}", practice=dentist.practice, dentist=dentist, patient_name=f"P{n}")
        for n in range(120)
    )
    client = api(manager)
    assert len(client.get(LIST).json()["results"]) == 25
    assert len(client.get(LIST, {"page_size": 1000}).json()["results"]) == 100
    assert len(client.get(LIST, {"page_size": 7, "page": 2}).json()["results"]) == 7
    response = client.get(LIST, {"page": 99})
    assert response.status_code == 404 and "message" in response.json()


@pytest.mark.parametrize("page_size", [1, 10, 100])
def test_the_list_costs_the_same_few_queries_whatever_the_page_size(api, django_assert_max_num_queries, page_size):
    manager = ManagerFactory()
    product = ProductFactory()
    for _ in range(12):
        case = CaseFactory(assigned_technician=TechnicianFactory(), remake_of=CaseFactory(), remake_reason="Fit")
        CaseItemFactory(case=case, product=product)
        CaseItemFactory(case=case)
    client = api(manager)
    with django_assert_max_num_queries(5):
        response = client.get(LIST, {"page_size": page_size, "ordering": "practice", "search": "patient"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(page_size, 24)


def test_filters_reach_the_api_and_bad_values_answer_400_naming_the_field(api):
    manager = ManagerFactory()
    rush = CaseFactory(priority="rush", status=Status.RECEIVED)
    CaseFactory(priority="normal")
    client = api(manager)
    body = client.get(LIST, {"priority": "rush", "status": "received,in_design"}).json()
    assert [case["number"] for case in body["results"]] == [rush.number]
    response = client.get(LIST, {"due_before": "next tuesday"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["due_before"]
    assert response.json()["message"].startswith("due_before:")


def test_prices_are_hidden_from_technicians_only(api):
    item = CaseItemFactory(quantity=2)
    for user, sees in [(ManagerFactory(), True), (TechnicianFactory(), False), (item.case.dentist, True)]:
        case = api(user).get(detail(item.case)).json()
        assert ("unit_price" in case["items"][0]) is sees
        assert ("total" in case) is sees
        if sees:
            assert case["total"] == f"{item.unit_price * 2:.2f}"


def test_reading_a_case_is_audited(api):
    case = CaseFactory()
    manager = ManagerFactory()
    assert api(manager).get(detail(case)).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, case_id=case.pk, actor=manager).exists()


def test_a_dentist_creates_a_case_for_their_own_practice(api):
    dentist = DentistFactory()
    crown = ProductFactory(turnaround_days=5)
    response = api(dentist).post(
        LIST,
        {
            "patient_name": "Chart 1042",
            "shade": "a3",
            "items": [{"product": crown.pk, "teeth": [21, 11], "shade": "2m2", "quantity": 2}],
            "submit": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == Status.SUBMITTED
    assert body["practice"]["id"] == dentist.practice_id and body["dentist"]["id"] == dentist.pk
    assert body["shade"] == "A3"
    assert body["items"][0]["teeth"] == [11, 21] and body["items"][0]["shade"] == "2M2"
    assert body["items"][0]["unit_price"] == f"{crown.price:.2f}"


def test_a_dentist_cannot_create_for_another_practice_which_answers_as_a_missing_one(api):
    dentist, other = DentistFactory(), DentistFactory()
    response = api(dentist).post(
        LIST,
        {
            "practice": other.practice_id,
            "dentist": other.pk,
            "patient_name": "X",
            "items": [{"product": ProductFactory().pk, "teeth": [11]}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"practice", "dentist"}
    assert not Case.objects.exists()


def test_lab_staff_create_for_a_practice_and_its_dentist(api):
    dentist = DentistFactory()
    response = api(TechnicianFactory()).post(
        LIST,
        {
            "practice": dentist.practice_id,
            "dentist": dentist.pk,
            "patient_name": "AB",
            "priority": "rush",
            "items": [{"product": ProductFactory().pk, "teeth": [36]}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == Status.DRAFT and response.json()["priority"] == "rush"
    assert "unit_price" not in response.json()["items"][0]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"items": [{"teeth": [11]}]}, "items[0].product"),
        ({"items": [{"product": "PRODUCT", "teeth": [19]}]}, "items[0].teeth"),
        ({"items": [{"product": "PRODUCT", "teeth": []}]}, "items[0].teeth"),
        ({"items": [{"product": "PRODUCT", "teeth": [11], "shade": "Z9"}]}, "items[0].shade"),
        ({"items": [{"product": "PRODUCT", "teeth": [11], "quantity": 0}]}, "items[0].quantity"),
        ({"items": []}, "items"),
        ({"shade": "purple"}, "shade"),
        ({"patient_name": ""}, "patient_name"),
        ({"priority": "asap"}, "priority"),
        ({"due_date": "someday"}, "due_date"),
        ({"dentist": "OTHER_DENTIST"}, "dentist"),
    ],
)
def test_invalid_cases_answer_400_naming_the_field_and_save_nothing(api, payload, field):
    dentist = DentistFactory()
    product = ProductFactory()
    body = {
        "practice": dentist.practice_id,
        "dentist": dentist.pk,
        "patient_name": "AB",
        "items": [{"product": product.pk, "teeth": [11]}],
    }
    body.update(payload)
    for item in body["items"]:
        if item.get("product") == "PRODUCT":
            item["product"] = product.pk
    if body["dentist"] == "OTHER_DENTIST":
        body["dentist"] = DentistFactory().pk
    response = api(ManagerFactory()).post(LIST, body, content_type="application/json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"], response.json()
    assert response.json()["message"]
    assert not Case.objects.exists()


def test_patch_edits_rx_fields_with_a_timeline_event(api):
    case = CaseFactory(status=Status.RECEIVED)
    response = api(ManagerFactory()).patch(
        detail(case), {"shade": "b1", "due_date": "2026-12-01", "pan_number": "P-9"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["shade"], response.json()["due_date"]) == ("B1", "2026-12-01")
    case.refresh_from_db()
    assert case.pan_number == "P-9" and case.due_date == datetime.date(2026, 12, 1)
    assert case.events.filter(kind="edit").exists()


def test_patch_refuses_the_status_and_unknown_fields_naming_them(api):
    case = CaseFactory(status=Status.RECEIVED)
    response = api(ManagerFactory()).patch(
        detail(case), {"status": "shipped", "number": "X"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "number"}
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_a_dentist_may_edit_only_before_the_lab_receives_the_case(api):
    dentist = DentistFactory()
    submitted = CaseFactory(dentist=dentist, status=Status.SUBMITTED)
    received = CaseFactory(dentist=dentist, status=Status.RECEIVED)
    client = api(dentist)
    assert (
        client.patch(detail(submitted), {"instructions": "Matte"}, content_type="application/json").status_code == 200
    )
    response = client.patch(detail(received), {"instructions": "Matte"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["message"]


def test_lab_staff_assign_a_technician_and_dentists_may_not(api):
    case = CaseFactory(status=Status.RECEIVED)
    tech = TechnicianFactory()
    response = api(ManagerFactory()).patch(
        detail(case), {"assigned_technician": tech.pk}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["assigned_technician"]["id"] == tech.pk
    dentist_case = CaseFactory(status=Status.SUBMITTED)
    response = api(dentist_case.dentist).patch(
        detail(dentist_case), {"instructions": "x", "assigned_technician": tech.pk}, content_type="application/json"
    )
    assert response.status_code == 403
    dentist_case.refresh_from_db()
    assert dentist_case.instructions == "" and dentist_case.assigned_technician is None


def test_reading_one_case_costs_a_constant_few_queries(api, django_assert_max_num_queries):
    case = CaseFactory(assigned_technician=TechnicianFactory())
    for _ in range(5):
        CaseItemFactory(case=case)
    client = api(ManagerFactory())
    # session, user, case with its joins, items with products, audit record
    with django_assert_max_num_queries(5):
        assert client.get(detail(case)).status_code == 200


def test_notes_and_events_are_paginated(api):
    from cases.services import add_note

    case = CaseFactory()
    manager = ManagerFactory()
    for n in range(30):
        add_note(case=case, actor=manager, body=f"Note {n}")
    client = api(manager)
    notes = client.get(f"/api/cases/{case.pk}/notes/").json()
    assert notes["count"] == 30 and len(notes["results"]) == 25
    assert notes["results"][0]["body"] == "Note 29"
    events = client.get(f"/api/cases/{case.pk}/events/", {"page": 2, "page_size": 20}).json()
    assert events["count"] == 30 and len(events["results"]) == 10 and events["next"] is None
