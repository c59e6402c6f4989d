"""/reports/ (DESIGN §17): managers only; charts as SVG beside their tables; CSV of exactly those rows."""

import csv
import io

import pytest

from tests.factories import DentistFactory, ManagerFactory, TechnicianFactory
from tests.reports.helpers import PERIOD

# The scorecard is PostgreSQL SQL (reports.selectors.scorecard answers 503 elsewhere).
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_a_manager_sees_every_chart_with_its_table(client, period):
    client.force_login(ManagerFactory())
    response = client.get("/reports/", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    keys = ("weekly", "on_time", "turnaround", "remakes_reason", "remakes_responsibility", "wip", "practices")
    for key in (*keys, "departments", "revenue"):  # the last two from production and billing
        assert f'id="{key}"' in html and f"/reports/{key}.csv" in html
    assert html.count('<svg class="report-chart"') == 9
    assert "<script" not in html.split("<main", 1)[1]  # charts need no script
    assert "Open margin" in html and "75.0%" in html and "Median turnaround, working days" in html and ">3.5<" in html


@pytest.mark.parametrize("factory", [TechnicianFactory, DentistFactory])
def test_technicians_and_dentists_are_refused(client, db, factory):
    client.force_login(factory())
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/practices.csv").status_code == 403


def test_a_bad_date_is_shown_next_to_its_field(client, db):
    client.force_login(ManagerFactory())
    response = client.get("/reports/", {"from": "2026-02-30"})
    assert response.status_code == 400
    assert 'id="id_from-error"' in response.content.decode()


def test_the_csv_holds_exactly_the_rows_of_the_table(client, period):
    client.force_login(ManagerFactory())
    page = client.get("/reports/", PERIOD)
    section = next(s for s in page.context["sections"] if s.key == "practices")
    response = client.get("/reports/practices.csv", PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [section.header, *section.rows]
    assert rows[1][:4] == ["Alpha Dental", "3", "2", "66.7%"]


def test_csv_cells_that_start_like_a_formula_are_neutralised(client, period):
    from cases.models import Case

    Case.objects.filter(remake_reason="Open margin").update(remake_reason="=HYPERLINK(1)")
    client.force_login(ManagerFactory())
    text = client.get("/reports/remakes_reason.csv", PERIOD).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text


def test_an_unknown_table_is_404(client, db):
    client.force_login(ManagerFactory())
    assert client.get("/reports/nothing.csv").status_code == 404


def test_the_page_takes_a_bounded_number_of_queries(client, period, django_assert_max_num_queries):
    client.force_login(ManagerFactory())
    with django_assert_max_num_queries(26):
        client.get("/reports/", PERIOD)


def extra_section(user, filters, cache):
    from reports.report_sections import Section

    return Section(
        "revenue", "Revenue by practice", "From another app.", ["Practice", "Revenue"], [["=Alpha", "10.00"]]
    )


def test_another_app_adds_a_section_through_settings(client, period, settings):
    settings.REPORT_SECTIONS = {"revenue": "tests.reports.test_reports_page.extra_section"}
    client.force_login(ManagerFactory())
    assert "Revenue by practice" in client.get("/reports/", PERIOD).content.decode()
    text = client.get("/reports/revenue.csv", PERIOD).content.decode("utf-8-sig")
    assert text.splitlines() == ["Practice,Revenue", "'=Alpha,10.00"]


def test_a_section_given_as_a_dict_gets_its_chart_drawn():
    from reports.report_sections import as_section

    found = as_section(
        {
            "key": "x", "title": "X", "note": "", "header": ["A", "B"], "rows": [["a", "1"]],
            "chart": {"kind": "bars", "chart_id": "chart-x", "title": "X chart", "rows": [("a", 1)]},
        }
    )  # fmt: skip
    assert found.chart.startswith('<svg class="report-chart"') and 'id="chart-x-title"' in found.chart
    with pytest.raises(ValueError):
        as_section({**found.__dict__, "chart": {"kind": "_svg"}})
