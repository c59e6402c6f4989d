"""/calendar/: the coming weeks' closed days and public holidays; managers add and remove closed
days there, technicians read, dentists are refused."""

import datetime

import pytest

from workcalendar.calendar import lab_today
from workcalendar.models import ClosedDay

pytestmark = pytest.mark.django_db


def _future(days=10):
    return lab_today() + datetime.timedelta(days=days)


def test_a_manager_adds_a_closed_day(client, people):
    client.force_login(people.manager)
    response = client.post("/calendar/", {"date": _future().isoformat(), "reason": "Stocktaking"}, follow=True)
    assert ClosedDay.objects.get().reason == "Stocktaking"
    page = response.content.decode()
    assert "The lab is closed on" in page and "Stocktaking" in page and "Lab closed" in page


def test_bad_input_shows_next_to_the_field(client, people):
    client.force_login(people.manager)
    response = client.post("/calendar/", {"date": "2020-01-06", "reason": ""})
    errors = response.context["form"].errors
    assert "has passed" in errors["date"][0]
    assert "Say why" in errors["reason"][0]
    assert not ClosedDay.objects.exists()
    ClosedDay.objects.create(date=_future(), reason="Training")
    response = client.post("/calendar/", {"date": _future().isoformat(), "reason": "Again"})
    assert "already closed" in response.context["form"].errors["date"][0]


def test_the_page_lists_public_holidays(client, people, settings):
    settings.LAB_HOLIDAYS_COUNTRY = "US"
    client.force_login(people.technician)
    response = client.get("/calendar/")
    assert response.status_code == 200
    names = [day.label for day in response.context["days"] if day.kind == "holiday"]
    assert names, "twelve weeks always hold a US federal holiday"
    assert response.context["form"] is None  # technicians read only
    assert "Close the lab" not in response.content.decode()


def test_a_manager_removes_a_closed_day(client, people):
    closed = ClosedDay.objects.create(date=_future(), reason="Training")
    client.force_login(people.technician)
    assert client.post(f"/calendar/closed-days/{closed.pk}/delete/").status_code == 403
    client.force_login(people.manager)
    response = client.post(f"/calendar/closed-days/{closed.pk}/delete/", follow=True)
    assert "open again" in response.content.decode()
    assert not ClosedDay.objects.exists()


def test_roles(client, people):
    client.force_login(people.dentist)
    assert client.get("/calendar/").status_code == 403
    client.force_login(people.technician)
    assert client.post("/calendar/", {"date": _future().isoformat(), "reason": "x"}).status_code == 403
    assert not ClosedDay.objects.exists()


def test_the_page_reads_closed_days_once(client, people, django_assert_max_num_queries):
    for offset in range(10):
        ClosedDay.objects.create(date=_future(offset + 1), reason=f"Day {offset}")
    client.force_login(people.manager)
    with django_assert_max_num_queries(8):
        assert client.get("/calendar/").status_code == 200
