"""POST /api/gs1/parse/ and traceability.gs1: GS1-128 / DataMatrix payloads read with biip."""

import datetime

import pytest

from tests.factories import DentistFactory, ManagerFactory, TechnicianFactory
from traceability.gs1 import NotGS1, parse_barcode

pytestmark = pytest.mark.django_db
URL = "/api/gs1/parse/"
GS = "\x1d"


def test_the_bracketed_form_gives_gtin_lot_expiry_and_serial(api):
    body = api(TechnicianFactory()).post(
        URL, {"barcode": "(01)04012345000016(10)ZR-2410-A(17)271231(21)SN42"}, content_type="application/json"
    )
    assert body.status_code == 200
    assert body.json() == {"gtin": "04012345000016", "lot": "ZR-2410-A", "expires_on": "2027-12-31", "serial": "SN42"}


def test_a_datamatrix_payload_with_fnc1_as_gs_and_a_symbology_identifier_is_read():
    data = parse_barcode("]d2" + "0104012345000016" + "10ABC123" + GS + "17300630")
    assert (data.gtin, data.lot, data.expires_on) == ("04012345000016", "ABC123", datetime.date(2030, 6, 30))


def test_a_gs1_128_payload_without_identifier_is_read():
    data = parse_barcode("0104012345000016" + "17300630" + "10LOT7")
    assert (data.gtin, data.lot, data.expires_on, data.serial) == (
        "04012345000016",
        "LOT7",
        datetime.date(2030, 6, 30),
        None,
    )


def test_a_bare_ean13_is_a_gtin_in_its_14_digit_form():
    assert parse_barcode("4012345000016").gtin == "04012345000016"


def test_a_gtin_with_a_wrong_check_digit_is_refused(api):
    # Hand-worked: 4012345000016 has digits 4,0,1,2,3,4,5,0,0,0,0,1 weighted 1,3,1,3…: 4+0+1+6+3+12+5+0+0+0+0+3 = 34,
    # so the check digit is 10 − 4 = 6; 7 is wrong.
    response = api(ManagerFactory()).post(URL, {"barcode": "(01)04012345000017(10)A"}, content_type="application/json")
    assert response.status_code == 400
    assert "check digit" in response.json()["errors"]["barcode"][0]


def test_text_that_is_not_gs1_answers_400_naming_the_barcode(api):
    response = api(ManagerFactory()).post(URL, {"barcode": "hello world"}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert "Not a GS1 barcode" in body["message"] and "barcode" in body["errors"]


def test_an_impossible_expiry_date_is_refused():
    with pytest.raises(NotGS1):
        parse_barcode("(01)04012345000016(17)271341")


def test_control_characters_other_than_gs_are_refused():
    with pytest.raises(NotGS1, match="control characters"):
        parse_barcode("0104012345000016" + "10AB\x07C")


def test_dentists_may_not_use_the_parser(api):
    response = api(DentistFactory()).post(URL, {"barcode": "4012345000016"}, content_type="application/json")
    assert response.status_code == 403
