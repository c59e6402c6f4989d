"""Who may reach every cases endpoint: each role, the case's own dentist, the OTHER practice's
dentist (404: the case does not exist for them) and anonymous callers."""

import pytest

from cases.models import Status
from tests.factories import (
    AdminFactory,
    CaseFactory,
    CaseItemFactory,
    DentistFactory,
    ManagerFactory,
    ProductFactory,
    TechnicianFactory,
)

pytestmark = pytest.mark.django_db

LAB = ["admin", "manager", "technician"]
EVERYONE = [*LAB, "dentist", "other_dentist"]


@pytest.fixture
def world():
    case = CaseFactory(status=Status.SUBMITTED)
    CaseItemFactory(case=case)
    return {
        "case": case,
        "admin": AdminFactory(),
        "manager": ManagerFactory(),
        "technician": TechnicianFactory(),
        "dentist": DentistFactory(practice=case.practice),
        "other_dentist": DentistFactory(),
    }


# (method, path, body, expected status per caller). {pk} is the case.
ENDPOINTS = [
    ("get", "/api/cases/{pk}/", None, {**dict.fromkeys([*LAB, "dentist"], 200), "other_dentist": 404}),
    (
        "patch",
        "/api/cases/{pk}/",
        {"instructions": "Polish the margins"},
        {**dict.fromkeys([*LAB, "dentist"], 200), "other_dentist": 404},
    ),
    (
        "post",
        "/api/cases/{pk}/transition/",
        {"to": "received"},
        {**dict.fromkeys(LAB, 200), "dentist": 403, "other_dentist": 404},
    ),
    ("get", "/api/cases/{pk}/notes/", None, {**dict.fromkeys([*LAB, "dentist"], 200), "other_dentist": 404}),
    (
        "post",
        "/api/cases/{pk}/notes/",
        {"body": "Please call"},
        {**dict.fromkeys([*LAB, "dentist"], 201), "other_dentist": 404},
    ),
    ("get", "/api/cases/{pk}/events/", None, {**dict.fromkeys([*LAB, "dentist"], 200), "other_dentist": 404}),
    ("get", "/api/cases/", None, dict.fromkeys(EVERYONE, 200)),
    ("get", "/api/products/", None, dict.fromkeys(EVERYONE, 200)),
    ("get", "/api/practices/", None, dict.fromkeys(EVERYONE, 200)),
]
ALL_PATHS = sorted({(method, path) for method, path, _, _ in ENDPOINTS} | {("post", "/api/cases/")})


def call(client, method, path, body, case):
    url = path.format(pk=case.pk)
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS]
)
def test_each_role_gets_the_expected_answer(client, world, who, method, path, body, expected):
    client.force_login(world[who])
    response = call(client, method, path, body, world["case"])
    assert response.status_code == expected[who], response.content
    if response.status_code >= 400:
        assert response.json()["message"]


@pytest.mark.parametrize(("method", "path"), ALL_PATHS, ids=[f"{m} {p}" for m, p in ALL_PATHS])
def test_anonymous_callers_are_refused(client, world, method, path):
    response = call(client, method, path, {}, world["case"])
    assert response.status_code in (401, 403)
    assert response.json()["message"]


@pytest.mark.parametrize("who", ["dentist", "other_dentist"])
def test_the_list_shows_a_dentist_only_their_practice(client, world, who):
    CaseFactory(dentist=world["other_dentist"])
    client.force_login(world[who])
    body = client.get("/api/cases/").json()
    practice_id = world[who].practice_id
    assert body["count"] == 1
    assert {case["practice"]["id"] for case in body["results"]} == {practice_id}


@pytest.mark.parametrize("who", EVERYONE)
def test_unknown_cases_are_404_in_json(client, world, who):
    client.force_login(world[who])
    response = client.get("/api/cases/999999/")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "detail": "Not found.", "code": "not_found", "errors": {}}


@pytest.mark.parametrize("who", EVERYONE)
def test_practices_lab_sees_all_dentist_sees_own(client, world, who):
    client.force_login(world[who])
    ids = {practice["id"] for practice in client.get("/api/practices/").json()["results"]}
    if who in LAB:
        assert ids == {world["dentist"].practice_id, world["other_dentist"].practice_id}
    else:
        assert ids == {world[who].practice_id}


@pytest.mark.parametrize("who", EVERYONE)
def test_products_show_prices_except_to_technicians(client, world, who):
    ProductFactory(code="RETIRED", active=False)
    client.force_login(world[who])
    products = client.get("/api/products/", {"include_inactive": "true"}).json()["results"]
    assert ("price" in products[0]) is (who != "technician")
    assert ("RETIRED" in {product["code"] for product in products}) is (who in ("admin", "manager"))


def _new_case(practice_id, dentist_id, product):
    return {
        "practice": practice_id,
        "dentist": dentist_id,
        "patient_name": "X",
        "items": [{"product": product.pk, "teeth": [11]}],
    }


def test_another_practice_answers_a_dentist_as_a_practice_that_does_not_exist(client, world):
    product = ProductFactory()
    client.force_login(world["other_dentist"])
    other = client.post(
        "/api/cases/",
        _new_case(world["case"].practice_id, world["other_dentist"].pk, product),
        content_type="application/json",
    )
    missing = client.post(
        "/api/cases/", _new_case(987654, world["other_dentist"].pk, product), content_type="application/json"
    )
    assert other.status_code == missing.status_code == 400
    assert other.json()["errors"]["practice"] == [
        message.replace("987654", str(world["case"].practice_id)) for message in missing.json()["errors"]["practice"]
    ]


def test_another_practices_dentist_answers_a_dentist_as_one_that_does_not_exist(client, world):
    product = ProductFactory()
    client.force_login(world["other_dentist"])
    other = client.post(
        "/api/cases/",
        _new_case(world["other_dentist"].practice_id, world["dentist"].pk, product),
        content_type="application/json",
    )
    missing = client.post(
        "/api/cases/",
        _new_case(world["other_dentist"].practice_id, 987654, product),
        content_type="application/json",
    )
    assert other.status_code == missing.status_code == 400
    assert "dentist" in other.json()["errors"]
    assert other.json()["errors"]["dentist"] == [
        message.replace("987654", str(world["dentist"].pk)) for message in missing.json()["errors"]["dentist"]
    ]
    assert not world["case"].practice.cases.exclude(pk=world["case"].pk).exists()
