"""CSV export of the filtered case list: same filters as the page, prices only for who may see
them, an audit record, and cells a spreadsheet will not run as formulas."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.audit import AuditAction, AuditEvent
from tests.case_pages import make_lab, make_many_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab():
    return make_lab()


def _rows(response):
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_lists_the_cases_with_items_teeth_and_total_for_a_manager(client, lab):
    client.force_login(lab.manager)
    rows = _rows(client.get(reverse("cases:export"), {"search": lab.case.number}))
    header, row = rows
    assert header[-1] == "Total" and header[:3] == ["Case", "Status", "Priority"]
    record = dict(zip(header, row, strict=True))
    assert record["Case"] == lab.case.number and record["Status"] == "Submitted"
    assert record["Patient"] == "JD-1042" and record["Pan"] == "P-7"
    assert record["Items"] == "Zirconia crown ×2 (11, 21); E.max bridge unit ×1 (36)"
    assert record["Total"] == "390.00"


def test_a_technician_gets_no_prices(client, lab):
    client.force_login(lab.technician)
    header, *_ = _rows(client.get(reverse("cases:export")))
    assert "Total" not in header


def test_a_dentist_gets_their_own_practices_cases_with_prices(client, lab):
    client.force_login(lab.dentist)
    header, *rows = _rows(client.get(reverse("cases:export")))
    assert "Total" in header
    assert [row[0] for row in rows] == [lab.case.number]


def test_the_export_applies_the_same_filters_as_the_page(client, lab):
    cases = make_many_cases(lab, 15)
    client.force_login(lab.manager)
    params = {"status": ["received", "shipped"], "ordering": "number"}
    _, *rows = _rows(client.get(reverse("cases:export"), params))
    page = client.get(reverse("cases:list"), params)
    assert [row[0] for row in rows] == [case.number for case in page.context["cases"]]
    assert {row[0] for row in rows} == {c.number for c in cases if c.status in ("received", "shipped")}


def test_an_invalid_filter_is_a_400(client, lab):
    client.force_login(lab.manager)
    response = client.get(reverse("cases:export"), {"late": "perhaps"})
    assert response.status_code == 400 and b"late" in response.content


def test_the_export_is_audited_without_patient_data(client, lab):
    client.force_login(lab.manager)
    client.get(reverse("cases:export"), {"search": "JD-1042"})
    event = AuditEvent.objects.get(action=AuditAction.CASE_EXPORTED)
    assert event.actor == lab.manager
    assert event.detail == {"count": 1, "filters": ["search"]}
    assert "JD-1042" not in str(event.detail)


def test_formula_like_cells_are_defused(client, lab):
    lab.case.patient_name = "=HYPERLINK(1)"
    lab.case.save()
    client.force_login(lab.manager)
    header, row = _rows(client.get(reverse("cases:export"), {"search": "HYPERLINK"}))
    assert dict(zip(header, row, strict=True))["Patient"] == "'=HYPERLINK(1)"


def test_the_export_needs_a_signed_in_user(client, lab):
    assert client.get(reverse("cases:export")).status_code == 302


def test_the_export_costs_few_queries_for_many_cases(client, lab, django_assert_max_num_queries):
    make_many_cases(lab, 60)
    client.force_login(lab.manager)
    with django_assert_max_num_queries(10):
        _rows(client.get(reverse("cases:export")))
