"""A practice's transit days: edited on the practice page, shown by the API, and moving its open
cases' ship-by dates at once."""

import datetime

import pytest

from cases.models import Case, Status
from tests.factories import CaseFactory, DentistFactory, ManagerFactory, PracticeFactory
from workcalendar.calendar import add_working_days, lab_today, subtract_working_days

pytestmark = pytest.mark.django_db


def test_a_manager_sets_transit_days_and_open_cases_follow(client):
    practice = PracticeFactory(name="Harbour Dental")
    dentist = DentistFactory(practice=practice)
    due = add_working_days(lab_today() + datetime.timedelta(days=10), 0)
    case = CaseFactory(dentist=dentist, status=Status.IN_PRODUCTION, due_date=due)
    client.force_login(ManagerFactory())
    page = client.get(f"/practices/{practice.pk}/")
    assert "Transit (working days)" in page.content.decode()
    response = client.post(
        f"/practices/{practice.pk}/", {"name": "Harbour Dental", "transit_days": "3", "active": "on"}
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.transit_days == 3
    assert Case.objects.get(pk=case.pk).ship_by == subtract_working_days(due, 3)
    body = client.get("/api/practices/").json()
    assert {row["name"]: row["transit_days"] for row in body["results"]}["Harbour Dental"] == 3


@pytest.mark.parametrize("value", ["-1", "31", "two"])
def test_bad_transit_days_are_a_field_error(client, value):
    practice = PracticeFactory()
    client.force_login(ManagerFactory())
    response = client.post(f"/practices/{practice.pk}/", {"name": "X", "transit_days": value, "active": "on"})
    assert response.status_code in (200, 400)
    assert "transit_days" in response.context["form"].errors
