"""Recall (DESIGN §15): the lot page, GET /api/lots/{id}/cases/ and the CSV list every case that
used a lot; quarantining a lot flags its open cases on the case page and the dashboard."""

import csv
import io

import pytest

from cases.models import Status
from tests.factories import DentistFactory, LotFactory, ManagerFactory, TechnicianFactory
from tests.traceability.helpers import traceable_case
from traceability.models import LotUsage

pytestmark = pytest.mark.django_db


def used(lot, status=Status.IN_PRODUCTION, **fields):
    case, item = traceable_case(status, **fields)
    LotUsage.objects.create(case=case, item=item, lot=lot, product_name=item.product.name, teeth=item.teeth)
    return case


def test_the_api_lists_every_case_with_practice_dentist_patient_and_shipped_date(api, django_assert_max_num_queries):
    lot = LotFactory()
    cases = [used(lot, patient_name=f"Chart {n}") for n in range(5)]
    used(LotFactory())  # another lot's case stays out
    client = api(TechnicianFactory())
    with django_assert_max_num_queries(8):
        body = client.get(f"/api/lots/{lot.pk}/cases/").json()
    assert body["count"] == 5
    row = next(r for r in body["results"] if r["id"] == cases[0].pk)
    assert row["practice"] == {"id": cases[0].practice_id, "name": cases[0].practice.name}
    assert row["dentist"]["name"] == cases[0].dentist.name
    assert row["patient_name"] == "Chart 0" and row["shipped_at"] is None


def test_dentists_cannot_see_a_lots_cases(api):
    lot = LotFactory()
    case = used(lot)
    assert api(DentistFactory(practice=case.practice)).get(f"/api/lots/{lot.pk}/cases/").status_code == 404


def test_the_csv_is_formula_safe(api):
    lot = LotFactory()
    used(lot, patient_name='=HYPERLINK("http://evil")')
    response = api(ManagerFactory()).get(f"/traceability/lots/{lot.pk}/recall.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == ["case", "status", "practice", "practice_address", "dentist", "patient", "shipped"]
    assert rows[1][5] == '\'=HYPERLINK("http://evil")'


def test_the_lot_page_lists_the_cases(api):
    lot = LotFactory()
    case = used(lot, patient_name="Chart 10088")
    html = api(TechnicianFactory()).get(f"/traceability/lots/{lot.pk}/").content.decode()
    assert case.number in html and "Chart 10088" in html and case.practice.name in html


def test_quarantining_a_lot_flags_its_open_cases_on_the_case_page_and_the_dashboard(api):
    lot = LotFactory(lot_number="LD-77004")
    open_case = used(lot)
    used(lot, status=Status.DELIVERED)
    manager = api(ManagerFactory())
    manager.post(f"/traceability/lots/{lot.pk}/status/", {"status": "quarantined", "reason": "FSN-2026-014"})
    lot.refresh_from_db()
    assert lot.status == "quarantined"
    page = manager.get(f"/cases/{open_case.pk}/").content.decode()
    assert 'data-testid="case-quarantine-flag"' in page and "FSN-2026-014" in page
    dashboard = manager.get("/").content.decode()
    assert "1 open case used a quarantined lot" in dashboard and open_case.number in dashboard


def test_quarantine_needs_a_reason(api):
    lot = LotFactory()
    response = api(ManagerFactory()).post(
        f"/traceability/lots/{lot.pk}/status/", {"status": "quarantined"}, follow=True
    )
    assert "Say why the lot is quarantined." in response.content.decode()
    lot.refresh_from_db()
    assert lot.status == "active"
