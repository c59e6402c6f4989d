"""The case list's filters and search (cases/filters.py), shared by the list page and the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Status
from cases.selectors import case_filter, case_list
from tests.factories import CaseFactory, DentistFactory, ManagerFactory, PracticeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def numbers(queryset):
    return sorted(case.number for case in queryset)


@pytest.fixture
def manager():
    return ManagerFactory()


def test_status_filter_accepts_several_values_repeated_or_comma_separated(manager):
    a = CaseFactory(status=Status.RECEIVED)
    b = CaseFactory(status=Status.IN_DESIGN)
    CaseFactory(status=Status.SHIPPED)
    assert numbers(case_list(manager, {"status": "received,in_design"})) == numbers([a, b])
    from django.http import QueryDict

    assert numbers(case_list(manager, QueryDict("status=received&status=in_design"))) == numbers([a, b])


def test_an_unknown_status_is_an_error_naming_the_field(manager):
    with pytest.raises(ValidationError) as exc:
        list(case_list(manager, {"status": "lost"}))
    assert "status" in exc.value.message_dict


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("practice", "abc"),
        ("practice", "999999"),
        ("dentist", "x"),
        ("priority", "urgent"),
        ("due_before", "tomorrow"),
        ("due_after", "2026-13-40"),
        ("late", "maybe"),
        ("ordering", "password"),
    ],
)
def test_invalid_filter_values_are_errors_naming_the_field(manager, param, value):
    with pytest.raises(ValidationError) as exc:
        case_list(manager, {param: value})
    assert list(exc.value.message_dict) == [param]


def test_practice_dentist_and_priority_filters(manager):
    dentist = DentistFactory()
    mine = CaseFactory(dentist=dentist, priority="rush")
    CaseFactory(dentist=dentist, priority="normal")
    CaseFactory(priority="rush")
    assert numbers(case_list(manager, {"practice": dentist.practice_id, "priority": "rush"})) == [mine.number]
    assert len(case_list(manager, {"dentist": dentist.pk})) == 2


def test_due_range_is_inclusive(manager):
    on_first = CaseFactory(due_date=datetime.date(2026, 3, 1))
    on_last = CaseFactory(due_date=datetime.date(2026, 3, 31))
    CaseFactory(due_date=datetime.date(2026, 4, 1))
    CaseFactory(due_date=None)
    found = case_list(manager, {"due_after": "2026-03-01", "due_before": "2026-03-31"})
    assert numbers(found) == numbers([on_first, on_last])


def test_late_filter_agrees_with_is_late(manager):
    yesterday = TODAY - datetime.timedelta(days=1)
    cases = [
        CaseFactory(status=Status.IN_PRODUCTION, due_date=yesterday),
        CaseFactory(status=Status.DRAFT, due_date=yesterday),
        CaseFactory(status=Status.SHIPPED, due_date=yesterday),
        CaseFactory(status=Status.CANCELLED, due_date=yesterday),
        CaseFactory(status=Status.IN_PRODUCTION, due_date=TODAY),
        CaseFactory(status=Status.RECEIVED, due_date=None),
    ]
    late = case_list(manager, {"late": "true"})
    not_late = case_list(manager, {"late": "false"})
    assert numbers(late) == numbers(case for case in cases if case.is_late)
    assert numbers(not_late) == numbers(case for case in cases if not case.is_late)
    assert numbers(late) == numbers([cases[0], cases[1]])


@pytest.mark.parametrize("term", ["00042", "jane", "JANE DOE", "pan-7", "Pan-77"])
def test_search_matches_number_patient_or_pan_case_insensitively(manager, term):
    target = CaseFactory(number="2026-00042", patient_name="Jane Doe", pan_number="PAN-77")
    CaseFactory(number="2026-00043", patient_name="John Roe", pan_number="B12")
    assert numbers(case_list(manager, {"search": term})) == [target.number]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("number", ["2026-00001", "2026-00002", "2026-00003"]),
        ("-number", ["2026-00003", "2026-00002", "2026-00001"]),
        ("patient_name", ["2026-00002", "2026-00003", "2026-00001"]),
        ("practice", ["2026-00003", "2026-00001", "2026-00002"]),
        ("-due_date", ["2026-00001", "2026-00003", "2026-00002"]),
    ],
)
def test_ordering(manager, ordering, expected):
    practices = [PracticeFactory(name=name) for name in ("B practice", "C practice", "A practice")]
    for index, (patient, due) in enumerate([("Zed", 30), ("Amy", 10), ("Bob", 20)]):
        CaseFactory(
            number=f"2026-0000{index + 1}",
            patient_name=patient,
            dentist=DentistFactory(practice=practices[index]),
            due_date=TODAY + datetime.timedelta(days=due),
        )
    assert [case.number for case in case_list(manager, {"ordering": ordering})] == expected


def test_a_dentist_filters_only_within_their_practice():
    dentist = DentistFactory()
    own = CaseFactory(dentist=dentist)
    other = CaseFactory()
    assert numbers(case_list(dentist, {})) == [own.number]
    with pytest.raises(ValidationError) as exc:
        case_list(dentist, {"practice": other.practice_id})
    assert "practice" in exc.value.message_dict
    assert numbers(case_list(dentist, {"search": other.number})) == []


def test_the_filter_form_shows_errors_next_to_the_field(manager):
    filterset = case_filter(manager, {"due_before": "soon"})
    assert not filterset.is_valid()
    assert "due_before" in filterset.form.errors
    assert "is-invalid" in filterset.form.fields["due_before"].widget.attrs["class"]


@pytest.mark.parametrize("value", [None, "", "PRACTICE"])
def test_the_fast_select_writes_the_same_html_as_djangos(manager, value):
    import re

    from django import forms

    from cases.filters import FastSelect

    practices = [PracticeFactory(name=name) for name in ("Ann & Bo <Dental>", "Zed Dental")]
    choices = [("", "Any")] + [(practice.pk, practice.name) for practice in practices]
    value = practices[1].pk if value == "PRACTICE" else value
    attrs = {"class": "form-select is-invalid", "aria-invalid": "true"}

    def norm(html):
        return re.sub(r">\s+<", "><", str(html).strip())

    fast = FastSelect(attrs=attrs, choices=choices).render("practice", value, {"id": "id_practice"})
    slow = forms.Select(attrs=attrs, choices=choices).render("practice", value, {"id": "id_practice"})
    assert norm(fast) == norm(slow)
    assert "&lt;Dental&gt;" in fast
