"""The scan station: a ticket's QR (the case URL) or a case number starts or finishes the case's
current step for the signed-in technician; unknown and invisible codes say so without leaking."""

import pytest
from django.urls import reverse

from cases.models import TimelineEvent
from production.models import CaseStep, StepStatus
from tests.factories import TechnicianFactory
from tests.production.helpers import floor, received_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def tech(client):
    tech = TechnicianFactory()
    client.force_login(tech)
    return tech


def _scan(client, code):
    return client.post(reverse("production:scan"), {"code": code})


def test_a_case_number_starts_then_finishes_the_current_step(client, tech):
    f = floor(technician=tech)
    case = received_case(f["product"])
    page = _scan(client, case.number)
    assert f"Started Models on {case.number}".encode() in page.content
    assert b'aria-live="assertive"' in page.content
    page = _scan(client, case.number)
    assert f"Finished Models on {case.number}".encode() in page.content
    page = _scan(client, case.number)
    assert b"Started CAD design" in page.content
    step = CaseStep.objects.get(case=case, name="Models")
    assert step.status == StepStatus.DONE and step.technician_id == tech.pk


def test_a_ticket_qr_is_the_case_url(client, tech):
    f = floor(technician=tech)
    case = received_case(f["product"])
    page = _scan(client, f"https://lab.example.test/cases/{case.pk}/")
    assert b"Started Models" in page.content


def test_unknown_code_says_so_and_leaks_nothing(client, tech):
    page = _scan(client, "2026-99999")
    assert b"No case matches that code." in page.content
    assert _scan(client, "https://x.test/cases/987654/").content.count(b"No case matches that code.") == 1


def test_every_scan_lands_on_the_timeline(client, tech):
    f = floor()  # the technician is in no department: the scan is refused, and still recorded
    case = received_case(f["product"])
    page = _scan(client, case.number)
    assert b"none of its ready steps is in your departments" in page.content
    assert TimelineEvent.objects.filter(case=case, body__startswith="Scanned at the scan station").exists()


def test_the_scan_page_has_one_focused_input(client, tech):
    page = client.get(reverse("production:scan")).content.decode()
    assert page.count('name="code"') == 1 and "autofocus" in page


def test_an_empty_or_overlong_scan_says_no_case_matches(client, tech):
    assert b"No case matches that code." in _scan(client, "").content
    assert b"No case matches that code." in _scan(client, "x" * 400).content


def test_a_lowercase_case_number_is_found(client, tech):
    f = floor(technician=tech)
    case = received_case(f["product"], number="2026-T77777")
    assert b"Started Models on 2026-T77777" in _scan(client, "2026-t77777").content
    assert case.steps.get(position=1).status == StepStatus.IN_PROGRESS
