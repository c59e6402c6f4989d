"""A product that requires traceability cannot leave quality check without a lot on each item: the
rule is a case_moved receiver, so the API, the case page and any other caller of transition_case
agree."""

import pytest

from cases.models import Case, Status
from tests.factories import LotFactory, TechnicianFactory
from tests.traceability.helpers import traceable_case
from traceability.models import LotUsage, Statement

pytestmark = pytest.mark.django_db


def move(client, case, to):
    return client.post(f"/api/cases/{case.pk}/transition/", {"to": to}, content_type="application/json")


def test_the_api_refuses_shipping_an_item_without_a_lot(api):
    case, _ = traceable_case()
    response = move(api(TechnicianFactory()), case, "shipped")
    assert response.status_code == 409
    assert "Full-contour zirconia crown (teeth 11, 21)" in response.json()["message"]
    case.refresh_from_db()
    assert case.status == Status.QUALITY_CHECK and case.shipped_at is None
    assert not Statement.objects.exists()


def test_the_case_page_says_why_and_the_case_stays_in_quality_check(api):
    case, _ = traceable_case()
    response = api(TechnicianFactory()).post(f"/cases/{case.pk}/move/", {"to": "shipped"}, follow=True)
    assert "Record a material lot on every item" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.QUALITY_CHECK


def test_with_a_lot_on_every_item_the_case_ships(api):
    case, item = traceable_case()
    LotUsage.objects.create(case=case, item=item, lot=LotFactory(), product_name="Crown", teeth=[11, 21])
    assert move(api(TechnicianFactory()), case, "shipped").status_code == 200
    assert Case.objects.get(pk=case.pk).status == Status.SHIPPED


def test_rework_back_to_production_needs_no_lot(api):
    case, _ = traceable_case()
    response = api(TechnicianFactory()).post(
        f"/api/cases/{case.pk}/transition/",
        {"to": "in_production", "note": "Open contact"},
        content_type="application/json",
    )
    assert response.status_code == 200


def test_a_quarantined_lot_on_the_case_stops_it_from_shipping(api):
    case, item = traceable_case()
    lot = LotFactory(status="quarantined", status_reason="FSN")
    LotUsage.objects.create(case=case, item=item, lot=lot, product_name="Crown", teeth=[11])
    response = move(api(TechnicianFactory()), case, "shipped")
    assert response.status_code == 409 and "quarantined" in response.json()["message"]
