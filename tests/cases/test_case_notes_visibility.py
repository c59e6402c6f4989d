"""Internal notes are lab-only: dentists never see them (notes and events), and cannot write them."""

import pytest
from django.core.exceptions import PermissionDenied

from cases.models import EventKind, Status
from cases.services import add_note, assign_technician
from tests.factories import CaseFactory, DentistFactory, ManagerFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_with_notes():
    case = CaseFactory(status=Status.RECEIVED)
    manager = ManagerFactory()
    add_note(case=case, actor=manager, body="Shared: we received the impression", internal=False)
    add_note(case=case, actor=manager, body="Internal: margin unclear, check with design", internal=True)
    assign_technician(case=case, actor=manager, technician=TechnicianFactory())  # an internal event
    return case


def bodies(response):
    return [item["body"] for item in response.json()["results"]]


def test_lab_staff_see_every_note_newest_first(client, case_with_notes):
    client.force_login(TechnicianFactory())
    response = client.get(f"/api/cases/{case_with_notes.pk}/notes/")
    assert bodies(response) == ["Internal: margin unclear, check with design", "Shared: we received the impression"]
    assert [note["internal"] for note in response.json()["results"]] == [True, False]
    assert set(response.json()["results"][0]) == {"id", "body", "internal", "author", "created_at"}


def test_the_dentist_never_sees_internal_notes_or_events(client, case_with_notes):
    client.force_login(DentistFactory(practice=case_with_notes.practice))
    assert bodies(client.get(f"/api/cases/{case_with_notes.pk}/notes/")) == ["Shared: we received the impression"]
    events = client.get(f"/api/cases/{case_with_notes.pk}/events/").json()["results"]
    assert events and not any(event["internal"] for event in events)
    assert EventKind.ASSIGNMENT not in {event["kind"] for event in events}


def test_events_are_newest_first_and_complete_for_the_lab(client, case_with_notes):
    client.force_login(ManagerFactory())
    events = client.get(f"/api/cases/{case_with_notes.pk}/events/").json()["results"]
    assert [event["kind"] for event in events] == [EventKind.ASSIGNMENT, EventKind.NOTE, EventKind.NOTE]
    stamps = [event["created_at"] for event in events]
    assert stamps == sorted(stamps, reverse=True)


def test_a_dentist_cannot_write_an_internal_note(client, case_with_notes):
    client.force_login(DentistFactory(practice=case_with_notes.practice))
    url = f"/api/cases/{case_with_notes.pk}/notes/"
    response = client.post(url, {"body": "secret?", "internal": True}, content_type="application/json")
    assert response.status_code == 403
    assert not case_with_notes.events.filter(body="secret?").exists()
    response = client.post(url, {"body": "Please use A2"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["internal"] is False


def test_lab_staff_write_internal_notes(client, case_with_notes):
    client.force_login(TechnicianFactory())
    response = client.post(
        f"/api/cases/{case_with_notes.pk}/notes/",
        {"body": "Remake the die", "internal": True},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["internal"] is True


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "x" * 5001}])
def test_an_empty_or_huge_note_is_a_400_naming_body(client, case_with_notes, body):
    client.force_login(ManagerFactory())
    response = client.post(f"/api/cases/{case_with_notes.pk}/notes/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["body"]


def test_the_service_refuses_an_internal_note_from_a_dentist(case_with_notes):
    dentist = DentistFactory(practice=case_with_notes.practice)
    with pytest.raises(PermissionDenied):
        add_note(case=case_with_notes, actor=dentist, body="Hello", internal=True)
    assert add_note(case=case_with_notes, actor=dentist, body="Hello").internal is False
