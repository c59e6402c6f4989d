"""Lots per case item (DESIGN §15): GET|POST /api/cases/{id}/lots/ and the case page's form share
one service, so they refuse the same things."""

import datetime

import pytest
from freezegun import freeze_time

from cases.models import Status
from tests.factories import DentistFactory, LotFactory, ManagerFactory, TechnicianFactory
from tests.traceability.helpers import traceable_case
from traceability.models import LotUsage

pytestmark = pytest.mark.django_db


def record(client, case, item, lot):
    return client.post(f"/api/cases/{case.pk}/lots/", {"item": item.pk, "lot": lot.pk}, content_type="application/json")


def test_a_technician_records_a_lot_on_an_item(api):
    case, item = traceable_case(Status.IN_PRODUCTION)
    lot = LotFactory(lot_number="ZR-2410-A")
    response = record(api(TechnicianFactory()), case, item, lot)
    assert response.status_code == 201
    body = response.json()
    assert body["item"] == item.pk and body["lot"] == lot.pk and body["lot_number"] == "ZR-2410-A"
    listed = api(TechnicianFactory()).get(f"/api/cases/{case.pk}/lots/").json()
    assert [row["lot"] for row in listed["results"]] == [lot.pk]


@freeze_time("2026-11-30 10:00:00")
def test_a_lot_expiring_today_may_be_used_but_not_one_that_expired_yesterday(api):
    case, item = traceable_case(Status.IN_PRODUCTION)
    client = api(TechnicianFactory())
    assert record(client, case, item, LotFactory(expires_on=datetime.date(2026, 11, 30))).status_code == 201
    response = record(client, case, item, LotFactory(lot_number="OLD-1", expires_on=datetime.date(2026, 11, 29)))
    assert response.status_code == 409
    assert "expired on 29 Nov 2026" in response.json()["errors"]["lot"][0]


def test_a_quarantined_lot_is_refused_with_its_reason(api):
    case, item = traceable_case(Status.IN_PRODUCTION)
    lot = LotFactory(status="quarantined", status_reason="Supplier field safety notice")
    response = record(api(TechnicianFactory()), case, item, lot)
    assert response.status_code == 409
    assert "quarantined: Supplier field safety notice" in response.json()["message"]
    assert not LotUsage.objects.exists()


def test_the_same_lot_twice_on_one_item_is_refused(api):
    case, item = traceable_case(Status.IN_PRODUCTION)
    lot = LotFactory()
    client = api(TechnicianFactory())
    assert record(client, case, item, lot).status_code == 201
    response = record(client, case, item, lot)
    assert response.status_code == 409 and response.json()["code"] == "duplicate_usage"
    assert LotUsage.objects.count() == 1


def test_an_item_of_another_case_is_refused_naming_the_item(api):
    case, _ = traceable_case(Status.IN_PRODUCTION)
    _, other_item = traceable_case(Status.IN_PRODUCTION)
    response = record(api(TechnicianFactory()), case, other_item, LotFactory())
    assert response.status_code == 400 and "item" in response.json()["errors"]


def test_dentists_cannot_record_lots_and_another_practice_sees_nothing(api):
    case, item = traceable_case(Status.IN_PRODUCTION)
    own = DentistFactory(practice=case.practice)
    assert record(api(own), case, item, LotFactory()).status_code == 403
    assert api(DentistFactory()).get(f"/api/cases/{case.pk}/lots/").status_code == 404


def test_after_shipping_only_a_manager_may_correct_lots(api):
    case, item = traceable_case(Status.DELIVERED)
    assert record(api(TechnicianFactory()), case, item, LotFactory()).status_code == 403
    assert record(api(ManagerFactory()), case, item, LotFactory()).status_code == 201


def test_the_case_page_form_refuses_a_quarantined_lot_with_the_same_reason(api):
    case, item = traceable_case(Status.IN_PRODUCTION)
    lot = LotFactory(status="quarantined", status_reason="Recall 7")
    client = api(TechnicianFactory())
    response = client.post(f"/traceability/cases/{case.pk}/lots/", {"item": item.pk, "lot": lot.pk}, follow=True)
    # The menu offers only usable lots; scanning the quarantined lot's code reaches the service.
    lot.material.gtin = "04012345000016"
    lot.material.save()
    response = client.post(
        f"/traceability/cases/{case.pk}/lots/",
        {"item": item.pk, "barcode": f"(01)04012345000016(10){lot.lot_number}"},
        follow=True,
    )
    assert "quarantined: Recall 7" in response.content.decode()
    assert not LotUsage.objects.exists()


def test_scanning_a_lots_barcode_on_the_case_page_records_it(api):
    case, item = traceable_case(Status.IN_PRODUCTION)
    lot = LotFactory(lot_number="LD-77120", material__gtin="07612345000022")
    response = api(TechnicianFactory()).post(
        f"/traceability/cases/{case.pk}/lots/",
        {"item": item.pk, "barcode": "]C1" + "0107612345000022" + "10LD-77120"},
        follow=True,
    )
    assert "Lot LD-77120" in response.content.decode()
    assert LotUsage.objects.get().lot == lot


def test_every_demo_material_gtin_has_a_valid_check_digit():
    from traceability.demo import MATERIALS
    from traceability.gs1 import normalize_gtin

    for _name, _maker, gtin, _category, _country in MATERIALS:
        assert normalize_gtin(gtin) == gtin
