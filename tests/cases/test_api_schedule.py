"""GET /api/schedule/?products=ID,ID&practice=ID&received=YYYY-MM-DD → {"due_date", "ship_by"}."""

import datetime

import pytest

from tests.factories import DentistFactory, ManagerFactory, PracticeFactory, ProductFactory, TechnicianFactory
from workcalendar.models import ClosedDay

pytestmark = pytest.mark.django_db
URL = "/api/schedule/"


@pytest.fixture
def setup():
    practice = PracticeFactory(transit_days=2)
    crown = ProductFactory(turnaround_days=5)
    bridge = ProductFactory(turnaround_days=7)
    return practice, crown, bridge


def test_the_schedule_uses_the_longest_turnaround_and_transit(client, setup):
    practice, crown, bridge = setup
    client.force_login(TechnicianFactory())
    query = {"products": f"{crown.pk},{bridge.pk}", "practice": practice.pk, "received": "2026-11-20"}
    response = client.get(URL, query)
    assert response.status_code == 200
    # Fri 20 Nov + 7 working days (23-25, Thanksgiving skipped, 27, 30, 1, 2) + 2 in transit (3, 4):
    # due Fri 4 Dec, ship by Wed 2 Dec.
    assert response.json() == {"due_date": "2026-12-04", "ship_by": "2026-12-02"}
    ClosedDay.objects.create(date=datetime.date(2026, 11, 30), reason="Stocktaking")
    assert client.get(URL, query).json() == {"due_date": "2026-12-07", "ship_by": "2026-12-03"}


def test_a_dentist_gets_their_own_practice(client, setup):
    _, crown, _ = setup
    dentist = DentistFactory()
    dentist.practice.transit_days = 0
    dentist.practice.save()
    client.force_login(dentist)
    body = client.get(URL, {"products": crown.pk, "received": "2026-11-20"}).json()
    assert body == {"due_date": "2026-11-30", "ship_by": "2026-11-30"}


@pytest.mark.parametrize(
    "query,field",
    [
        ({}, "products"),
        ({"products": ""}, "products"),
        ({"products": "1,x"}, "products"),
        ({"products": "987654"}, "products"),
        ({"products": "CROWN", "received": "tomorrow"}, "received"),
        ({"products": "CROWN", "practice": "abc"}, "practice"),
        ({"products": "CROWN", "practice": "987654"}, "practice"),
        ({"products": "CROWN"}, "practice"),
    ],
)
def test_bad_input_names_the_field(client, setup, query, field):
    _, crown, _ = setup
    query = {key: str(crown.pk) if value == "CROWN" else value for key, value in query.items()}
    client.force_login(ManagerFactory())
    response = client.get(URL, query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_another_practice_is_not_revealed(client, setup):
    practice, crown, _ = setup
    client.force_login(DentistFactory())
    response = client.get(URL, {"products": crown.pk, "practice": practice.pk})
    assert response.status_code == 400 and "practice" in response.json()["errors"]


def test_the_form_suggestion_shows_ship_by(client, setup):
    practice, crown, _ = setup
    client.force_login(ManagerFactory())
    body = client.get("/cases/due-date/", {"product": crown.pk, "practice": practice.pk}).json()
    assert body["ship_by"] and body["transit_days"] == 2
    assert body["ship_by"] < body["due_date"]


def test_the_schedule_costs_a_constant_number_of_queries(client, setup, django_assert_max_num_queries):
    practice, crown, bridge = setup
    for offset in range(20):
        ClosedDay.objects.create(date=datetime.date(2026, 12, 1) + datetime.timedelta(days=offset), reason="x")
    client.force_login(ManagerFactory())
    query = {"products": f"{crown.pk},{bridge.pk}", "practice": practice.pk, "received": "2026-11-20"}
    # session + user, products, practice, closed days (read once for the whole request)
    with django_assert_max_num_queries(5):
        assert client.get(URL, query).status_code == 200


@pytest.mark.parametrize(
    "query,field",
    [
        ({"products": "99999999999999999999999"}, "products"),
        ({"products": "CROWN", "practice": "99999999999999999999999"}, "practice"),
        ({"products": "CROWN", "practice": "PRACTICE", "received": "9999-12-31"}, "received"),
        ({"products": "CROWN", "practice": "PRACTICE", "received": "0001-01-01"}, "received"),
    ],
)
def test_absurd_input_is_a_400_not_a_500(client, setup, query, field):
    practice, crown, _ = setup
    values = {"CROWN": str(crown.pk), "PRACTICE": str(practice.pk)}
    query = {key: values.get(value, value) for key, value in query.items()}
    client.force_login(ManagerFactory())
    response = client.get(URL, query)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_a_due_date_in_year_one_is_refused(client):
    from tests.factories import CaseFactory

    case = CaseFactory(status="received")
    client.force_login(ManagerFactory())
    response = client.patch(f"/api/cases/{case.pk}/", {"due_date": "0001-01-01"}, content_type="application/json")
    assert response.status_code == 400 and "due_date" in response.json()["errors"]
