"""The case list page: filters, search, sortable headers, pagination, markers, query budget."""

import pytest
from django.urls import reverse

from cases.models import Case, Status
from tests.case_pages import make_lab, make_many_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab():
    return make_lab()


def _numbers(response):
    return [case.number for case in response.context["cases"]]


def test_the_lab_sees_every_practices_cases_and_a_dentist_only_their_own(client, lab):
    client.force_login(lab.manager)
    assert set(_numbers(client.get(reverse("cases:list")))) == {lab.case.number, lab.other_case.number}
    client.force_login(lab.dentist)
    response = client.get(reverse("cases:list"))
    assert _numbers(response) == [lab.case.number]
    assert 'name="practice"' not in response.content.decode()


def test_filters_by_status_priority_and_late(client, lab):
    cases = make_many_cases(lab, 22)
    client.force_login(lab.technician)
    response = client.get(reverse("cases:list"), {"status": ["received", "in_design"], "page_size": 100})
    assert set(_numbers(response)) == {c.number for c in cases if c.status in ("received", "in_design")}
    late = {c.number for c in cases if c.is_late}
    assert set(_numbers(client.get(reverse("cases:list"), {"late": "true", "page_size": 100}))) == late
    rush = {c.number for c in cases if c.priority == "rush"}
    assert set(_numbers(client.get(reverse("cases:list"), {"priority": "rush", "page_size": 100}))) == rush


def test_search_finds_number_patient_and_pan(client, lab):
    client.force_login(lab.manager)
    for term in ("2026-00001", "jd-10", "P-7"):
        assert _numbers(client.get(reverse("cases:list"), {"search": term})) == [lab.case.number], term


def test_an_invalid_filter_is_a_400_with_the_error_next_to_the_field(client, lab):
    client.force_login(lab.manager)
    response = client.get(reverse("cases:list"), {"due_after": "soon", "late": "maybe"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid date." in html and "Use true or false." in html
    assert _numbers(response) == []


def test_headers_sort_and_flip_direction(client, lab):
    make_many_cases(lab, 5)
    client.force_login(lab.manager)
    response = client.get(reverse("cases:list"), {"ordering": "number", "status": "draft"})
    numbers = _numbers(response)
    assert numbers == sorted(numbers)
    header = response.context["headers"]["number"]
    assert header["active"] and header["aria_sort"] == "ascending" and "ordering=-number" in header["url"]
    assert "status=draft" in header["url"]
    numbers = _numbers(client.get(reverse("cases:list"), {"ordering": "-number"}))
    assert numbers == sorted(numbers, reverse=True)


def test_pages_of_25_with_links_that_keep_the_filters(client, lab):
    make_many_cases(lab, 30)
    client.force_login(lab.manager)
    response = client.get(reverse("cases:list"), {"search": "Patient"})
    assert len(response.context["cases"]) == 25
    assert response.context["page"].paginator.count == 30
    html = response.content.decode()
    assert "search=Patient&amp;page=2" in html
    second = client.get(reverse("cases:list"), {"search": "Patient", "page": 2})
    assert len(second.context["cases"]) == 5


def test_rows_mark_late_and_rush_cases_and_show_status_badges(client, lab):
    make_many_cases(lab, 12)
    client.force_login(lab.manager)
    html = client.get(reverse("cases:list"), {"page_size": 50}).content.decode()
    assert 'class="marker marker-late"' in html and 'class="marker marker-rush"' in html
    assert 'class="status-badge status-in_production"' in html


@pytest.mark.parametrize("role", ["manager", "dentist"])
def test_the_list_costs_the_same_few_queries_whatever_the_page_size(client, lab, role, django_assert_max_num_queries):
    make_many_cases(lab, 8)
    client.force_login(lab.users()[role])
    with django_assert_max_num_queries(9) as small:
        client.get(reverse("cases:list"), {"page_size": 25})
    make_many_cases(lab, 100)
    # + 1: the hold reasons of the page's on-hold cases (one query, paid only when one is listed).
    with django_assert_max_num_queries(len(small.captured_queries) + 1):
        response = client.get(reverse("cases:list"), {"page_size": 100, "ordering": "due_date"})
    assert len(response.context["cases"]) == 100
    assert Case.objects.filter(status=Status.DRAFT).exists()
