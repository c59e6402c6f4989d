"""GET|POST /api/materials/ and /api/lots/ (DESIGN §15): lab data, checked input."""

import pytest

from tests.factories import DentistFactory, LotFactory, ManagerFactory, MaterialFactory, TechnicianFactory
from traceability.models import Lot, Material

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_manager_adds_a_material_and_its_gtin_is_stored_as_14_digits(api):
    response = post(api(ManagerFactory()), "/api/materials/", {"name": "Zirconia", "gtin": "4012345000016"})
    assert response.status_code == 201
    assert response.json()["gtin"] == "04012345000016"


def test_a_gtin_with_a_wrong_check_digit_is_refused_naming_the_field(api):
    response = post(api(ManagerFactory()), "/api/materials/", {"name": "Zirconia", "gtin": "4012345000017"})
    assert response.status_code == 400
    assert "gtin" in response.json()["errors"]
    assert not Material.objects.exists()


def test_a_lot_has_the_contract_shape(api):
    material = MaterialFactory()
    response = post(
        api(ManagerFactory()),
        "/api/lots/",
        {"material": material.pk, "lot_number": "ZR-1", "expires_on": "2030-01-31", "supplier": "Dental supply"},
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "material", "lot_number", "expires_on", "status"}
    assert body["material"] == material.pk and body["expires_on"] == "2030-01-31" and body["status"] == "active"


@pytest.mark.parametrize("lot_number", ["AB\x00C", "AB\x1dC", "AB\tC", "AB\u202eC", "LOT\n1"])
def test_lot_numbers_with_control_characters_are_refused(api, lot_number):
    response = post(api(ManagerFactory()), "/api/lots/", {"material": MaterialFactory().pk, "lot_number": lot_number})
    assert response.status_code == 400
    assert "lot_number" in response.json()["errors"]
    assert not Lot.objects.exists()


@pytest.mark.parametrize("expiry", ["31/12/2027", "2027-13-01", "tomorrow", "2027-02-30"])
def test_a_malformed_expiry_is_refused_naming_the_field(api, expiry):
    response = post(
        api(ManagerFactory()),
        "/api/lots/",
        {"material": MaterialFactory().pk, "lot_number": "A1", "expires_on": expiry},
    )
    assert response.status_code == 400
    assert "expires_on" in response.json()["errors"]
    assert not Lot.objects.exists()


def test_the_same_lot_number_twice_for_one_material_is_a_conflict(api):
    lot = LotFactory()
    response = post(api(ManagerFactory()), "/api/lots/", {"material": lot.material_id, "lot_number": lot.lot_number})
    assert response.status_code == 409


def test_technicians_read_but_do_not_write_and_dentists_get_nothing(api, client):
    LotFactory()
    assert api(TechnicianFactory()).get("/api/lots/").status_code == 200
    assert post(client, "/api/lots/", {"material": MaterialFactory().pk, "lot_number": "X"}).status_code == 403
    dentist = api(DentistFactory())
    assert dentist.get("/api/lots/").status_code == 403
    assert dentist.get("/api/materials/").status_code == 403


def test_the_lot_list_is_paginated_within_a_query_budget(api, django_assert_max_num_queries):
    for _ in range(30):
        LotFactory()
    client = api(ManagerFactory())
    with django_assert_max_num_queries(8):
        body = client.get("/api/lots/", {"page_size": 10}).json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 30


def test_the_lots_page_lists_within_a_query_budget(api, django_assert_max_num_queries):
    for _ in range(30):
        LotFactory()
    client = api(ManagerFactory())
    with django_assert_max_num_queries(12):
        response = client.get("/traceability/lots/")
    assert response.status_code == 200


def test_an_unknown_gtin_on_the_lot_form_offers_to_create_the_material(api):
    client = api(ManagerFactory())
    response = client.post(
        "/traceability/lots/new/", {"action": "scan", "barcode": "(01)04012345000016(10)NEW-1(17)301231"}
    )
    html = response.content.decode()
    assert "Create the material" in html and "gtin=04012345000016" in html
    assert 'value="NEW-1"' in html and 'value="2030-12-31"' in html


def test_a_known_gtin_on_the_lot_form_fills_the_material(api):
    material = MaterialFactory(gtin="04012345000016")
    response = api(ManagerFactory()).post(
        "/traceability/lots/new/", {"action": "scan", "barcode": "0104012345000016" + "10ABC"}
    )
    html = response.content.decode()
    assert f'<option value="{material.pk}" selected>' in html
