"""Defects of issue 15 on the case list and the case page: lifecycle sort, empty due dates last,
a reversed due range said next to the fields, full technician names, flash sentences, names'
case kept in the timeline."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import Case, Status
from cases.selectors import case_list
from cases.services import assign_technician, transition_case
from tests.case_pages import make_lab
from tests.factories import CaseFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab():
    return make_lab()


def _numbers(response):
    return [case.number for case in response.context["cases"]]


def test_sorting_by_status_follows_the_lifecycle_both_ways(client, lab):
    for status in ("shipped", "awaiting_approval", "draft", "quality_check", "cancelled", "in_design"):
        CaseFactory(dentist=lab.dentist, status=status)
    client.force_login(lab.manager)
    order = [Status.values.index(s) for s in Case.objects.values_list("status", flat=True)]
    assert order  # the lab's cases
    listed = client.get(reverse("cases:list"), {"ordering": "status", "page_size": 100}).context["cases"]
    ranks = [Status.values.index(case.status) for case in listed]
    assert ranks == sorted(ranks)
    listed = client.get(reverse("cases:list"), {"ordering": "-status", "page_size": 100}).context["cases"]
    ranks = [Status.values.index(case.status) for case in listed]
    assert ranks == sorted(ranks, reverse=True)


def test_cases_without_a_due_date_sort_last_in_both_directions(client, lab):
    Case.objects.update(due_date=None)
    today = datetime.date(2026, 6, 1)
    dated = [CaseFactory(dentist=lab.dentist, due_date=today + datetime.timedelta(days=n)) for n in (3, 1, 2)]
    client.force_login(lab.manager)
    for ordering, expected in (("due_date", [1, 2, 3]), ("-due_date", [3, 2, 1])):
        listed = list(client.get(reverse("cases:list"), {"ordering": ordering, "page_size": 100}).context["cases"])
        dates = [case.due_date for case in listed]
        assert dates[:3] == [today + datetime.timedelta(days=n) for n in expected], ordering
        assert all(d is None for d in dates[3:]) and len(dates) == len(dated) + 2


def test_a_reversed_due_range_is_an_error_next_to_both_fields(client, lab):
    client.force_login(lab.manager)
    response = client.get(reverse("cases:list"), {"due_after": "2026-05-10", "due_before": "2026-05-01"})
    assert response.status_code == 400
    form = response.context["filter_form"]
    assert form.errors["due_after"] == ["The start of the due range is after its end."]
    assert form.errors["due_before"] == ["Pick a date on or after “Due from”."]
    assert "The start of the due range is after its end." in response.content.decode()


def test_the_technician_select_shows_full_names_only(client, lab):
    TechnicianFactory(name="Taylor Technician-Longname", email="taylor.tech@lab.test")
    client.force_login(lab.manager)
    html = client.get(reverse("cases:detail", args=[lab.case.pk])).content.decode()
    assert ">Taylor Technician-Longname</option>" in html
    assert "taylor.tech@lab.test" not in html


def test_the_timeline_keeps_names_as_written(client, lab):
    tech = TechnicianFactory(name="Taylor McTech")
    assign_technician(case=lab.case, technician=tech, actor=lab.manager)
    client.force_login(lab.manager)
    html = client.get(reverse("cases:detail", args=[lab.case.pk])).content.decode()
    assert "assigned to Taylor McTech" in html


def test_the_flash_after_a_move_is_a_sentence(client, lab):
    client.force_login(lab.technician)
    client.post(reverse("cases:move", args=[lab.case.pk]), {"to": "received"})
    response = client.get(reverse("cases:detail", args=[lab.case.pk]))
    assert [str(m) for m in response.context["messages"]] == [f"Case {lab.case.number} has been received."]


def test_the_hold_reason_shows_beside_the_status_on_the_case_page_and_the_list(client, lab):
    transition_case(case=lab.case, to="received", actor=lab.technician)
    transition_case(case=lab.case, to="on_hold", actor=lab.manager, note="Waiting for the bite registration")
    for user in (lab.technician, lab.dentist):
        client.force_login(user)
        page = client.get(reverse("cases:detail", args=[lab.case.pk])).content.decode()
        assert 'data-testid="hold-reason"><span class="fw-semibold">On hold:</span> Waiting for the bite' in page
        listing = client.get(reverse("cases:list")).content.decode()
        assert "Waiting for the bite registration</div>" in listing


def test_the_list_pays_one_query_for_hold_reasons_however_many(client, lab, django_assert_max_num_queries):
    for n in range(5):
        case = CaseFactory(dentist=lab.dentist, status="received")
        transition_case(case=case, to="on_hold", actor=lab.manager, note=f"Reason {n}")
    client.force_login(lab.manager)
    client.get(reverse("cases:list"))  # warm caches (counts, content types)
    with django_assert_max_num_queries(14) as captured:
        html = client.get(reverse("cases:list")).content.decode()
    assert all(f"Reason {n}" in html for n in range(5))
    assert sum("cases_timelineevent" in q["sql"] for q in captured.captured_queries) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.parametrize(
    ("ordering", "index"),
    [("status", "case_status_rank"), ("-status", "case_status_rank"), ("-due_date", "case_due_desc")],
)
def test_lifecycle_and_due_date_orderings_read_an_index(lab, ordering, index):
    """On 100,000 cases a page is an index scan (bench/cases.py); on a tiny test table the planner
    is left no sort, so it must find an index whose order matches the query's."""
    queryset = case_list(lab.manager, {"ordering": ordering})[:25]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for method in ("seqscan", "sort", "incremental_sort", "bitmapscan"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
