"""GET /api/reports/scorecard/ (DESIGN §17) against the hand-worked period of tests/reports/helpers.py."""

import pytest

from tests.factories import ManagerFactory, TechnicianFactory
from tests.reports.helpers import PERIOD

# The scorecard is PostgreSQL SQL (reports.selectors.scorecard answers 503 elsewhere).
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

URL = "/api/reports/scorecard/"
FIELDS = {"cases_shipped", "on_time", "on_time_rate", "remakes", "remake_rate", "median_turnaround_days"}


def get(client, **params):
    return client.get(URL, {**PERIOD, **params})


def test_it_answers_the_contract_shape_grouped_by_practice(api, period):
    body = get(api(ManagerFactory()), group_by="practice").json()
    assert set(body) == {"from", "to", "group_by", "rows", "totals"}
    assert (body["from"], body["to"], body["group_by"]) == ("2026-11-02", "2026-11-29", "practice")
    assert set(body["totals"]) == FIELDS
    assert all(set(row) == FIELDS | {"key", "label"} for row in body["rows"])
    rows = {row["label"]: row for row in body["rows"]}
    assert rows["Alpha Dental"] == {
        "key": period["a"].pk, "label": "Alpha Dental", "cases_shipped": 3, "on_time": 2, "on_time_rate": 0.6667,
        "remakes": 1, "remake_rate": 0.3333, "median_turnaround_days": 4.0,
    }  # fmt: skip
    assert rows["Beta Dental"] == {
        "key": period["b"].pk, "label": "Beta Dental", "cases_shipped": 1, "on_time": 1, "on_time_rate": 1.0,
        "remakes": 0, "remake_rate": 0.0, "median_turnaround_days": 1.0,
    }  # fmt: skip


def test_totals_count_every_shipped_case_once(api, period):
    totals = get(api(ManagerFactory())).json()["totals"]
    assert totals == {
        "cases_shipped": 4, "on_time": 3, "on_time_rate": 0.75, "remakes": 1, "remake_rate": 0.25,
        "median_turnaround_days": 3.5,
    }  # fmt: skip


def test_grouped_by_week_every_week_has_a_row(api, period):
    body = get(api(ManagerFactory()), group_by="week").json()
    assert [row["key"] for row in body["rows"]] == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    assert [row["label"] for row in body["rows"]] == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert [row["cases_shipped"] for row in body["rows"]] == [1, 1, 1, 1]
    assert [row["on_time_rate"] for row in body["rows"]] == [1.0, 0.0, 1.0, 1.0]
    assert [row["median_turnaround_days"] for row in body["rows"]] == [4.0, 3.0, 5.0, 1.0]


def test_a_week_without_shipments_has_null_rates(api, period):
    body = get(api(ManagerFactory()), **{"from": "2026-10-05", "to": "2026-10-11"}, group_by="week").json()
    assert body["rows"] == [
        {
            "key": "2026-10-05", "label": "2026-W41", "cases_shipped": 0, "on_time": 0, "on_time_rate": None,
            "remakes": 0, "remake_rate": None, "median_turnaround_days": None,
        }
    ]  # fmt: skip
    assert body["totals"]["on_time_rate"] is None and body["totals"]["median_turnaround_days"] is None


def test_grouped_by_technician_unassigned_cases_have_their_row(api, period):
    rows = get(api(ManagerFactory()), group_by="technician").json()["rows"]
    assert [(r["key"], r["label"], r["cases_shipped"], r["on_time"], r["median_turnaround_days"]) for r in rows] == [
        (period["tech"].pk, "Tess Tech", 2, 1, 3.5),
        (None, "Unassigned", 2, 2, 3.0),
    ]


def test_grouped_by_product_a_case_counts_once_per_product(api, period):
    rows = {r["key"]: r for r in get(api(ManagerFactory()), group_by="product").json()["rows"]}
    x, y, z = period["x"].pk, period["y"].pk, period["z"].pk
    assert (rows[x]["cases_shipped"], rows[x]["on_time"], rows[x]["median_turnaround_days"]) == (2, 1, 3.5)
    assert (rows[y]["cases_shipped"], rows[y]["remakes"], rows[y]["median_turnaround_days"]) == (2, 1, 4.5)
    assert rows[z]["cases_shipped"] == 1 and rows[z]["label"] == "Z1 · Implant crown"


def test_the_category_filter_keeps_cases_with_an_item_of_it(api, period):
    body = get(api(ManagerFactory()), category="implant", group_by="product").json()
    assert body["totals"]["cases_shipped"] == 1
    assert [row["key"] for row in body["rows"]] == [period["z"].pk]


def test_a_dentist_sees_their_own_practice_only(api, period):
    body = get(api(period["dentist_a"])).json()
    assert body["totals"]["cases_shipped"] == 3
    assert [row["label"] for row in body["rows"]] == ["Alpha Dental"]


def test_a_dentist_asking_for_another_practice_gets_404(api, period):
    response = get(api(period["dentist_a"]), practice=period["b"].pk)
    assert response.status_code == 404


def test_a_technician_sees_the_cases_assigned_to_them(api, period):
    assert get(api(period["tech"])).json()["totals"]["cases_shipped"] == 2


def test_a_technician_may_not_ask_for_another_technician(api, period):
    response = get(api(period["tech"]), technician=TechnicianFactory().pk)
    assert response.status_code == 403


def test_anonymous_gets_401(client, db):
    assert client.get(URL).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-11-30", "to": "2026-11-01"}, "from"),
        ({"group_by": "month"}, "group_by"),
        ({"practice": "abc"}, "practice"),
        ({"practice": "999999"}, "practice"),
        ({"category": "gold"}, "category"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "to"),
        ({"from": "0001-01-01"}, "from"),
        ({"to": "9999-12-31"}, "to"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(api, db, params, field):
    response = api(ManagerFactory()).get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and body["message"]


def test_the_defaults_are_the_last_12_weeks_by_practice(api, db):
    body = api(ManagerFactory()).get(URL).json()
    assert body["group_by"] == "practice"
    import datetime

    start, end = datetime.date.fromisoformat(body["from"]), datetime.date.fromisoformat(body["to"])
    assert start.weekday() == 0 and 77 <= (end - start).days <= 83


def test_it_takes_a_constant_number_of_queries(api, period, django_assert_max_num_queries):
    client = api(ManagerFactory())
    with django_assert_max_num_queries(8):
        client.get(URL, {**PERIOD, "group_by": "practice"})
