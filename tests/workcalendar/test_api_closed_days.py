"""GET|POST /api/closed-days/, DELETE /api/closed-days/{id}/: managers write, lab staff read,
dentists are refused; bad input gets a field error and nothing is saved."""

import datetime

import pytest

from workcalendar.calendar import is_working_day, lab_today
from workcalendar.models import ClosedDay

pytestmark = pytest.mark.django_db
URL = "/api/closed-days/"


def _next_weekday(offset=7):
    day = lab_today() + datetime.timedelta(days=offset)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def test_a_manager_closes_the_lab_and_the_calendar_skips_the_day(api, people):
    day = _next_weekday()
    response = api(people.manager).post(URL, {"date": day.isoformat(), "reason": "Stocktaking"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body == {"id": body["id"], "date": day.isoformat(), "reason": "Stocktaking"}
    assert not is_working_day(day)
    listed = api(people.technician).get(URL).json()
    assert listed == [body]


@pytest.mark.parametrize(
    "payload,field,message",
    [
        ({"date": "2020-01-06", "reason": "Too late"}, "date", "has passed"),
        ({"date": None, "reason": "No date"}, "date", "Enter the date"),
        ({"reason": "No date"}, "date", "Enter the date"),
        ({"date": "next tuesday", "reason": "x"}, "date", "Date has wrong format"),
        ({"date": "FUTURE", "reason": "   "}, "reason", "Say why"),
        ({"date": "FUTURE"}, "reason", "Say why"),
        ({"date": "FUTURE", "reason": "x" * 201}, "reason", "under 200"),
    ],
)
def test_bad_input_names_the_field(api, people, payload, field, message):
    if payload.get("date") == "FUTURE":
        payload = {**payload, "date": _next_weekday().isoformat()}
    response = api(people.manager).post(URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"message", "detail", "code", "errors"}
    assert message in " ".join(body["errors"][field])
    assert not ClosedDay.objects.exists()


def test_a_duplicate_is_refused_with_a_field_error(api, people):
    day = _next_weekday()
    ClosedDay.objects.create(date=day, reason="Training")
    response = api(people.admin).post(URL, {"date": day.isoformat(), "reason": "Again"}, format="json")
    assert response.status_code == 400
    assert "already closed" in response.json()["errors"]["date"][0]
    assert ClosedDay.objects.get().reason == "Training"


def test_today_may_be_closed(api, people):
    response = api(people.manager).post(URL, {"date": lab_today().isoformat(), "reason": "Burst pipe"}, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("role", ["technician", "dentist"])
def test_only_managers_write(api, people, role):
    response = api(getattr(people, role)).post(
        URL, {"date": _next_weekday().isoformat(), "reason": "Mine"}, format="json"
    )
    assert response.status_code == 403
    assert not ClosedDay.objects.exists()


def test_dentists_do_not_see_the_lab_calendar(api, people):
    assert api(people.dentist).get(URL).status_code == 403


def test_a_manager_opens_the_lab_again(api, people):
    day = _next_weekday()
    closed = ClosedDay.objects.create(date=day, reason="Training")
    assert not is_working_day(day)
    assert api(people.technician).delete(f"{URL}{closed.pk}/").status_code == 403
    assert api(people.manager).delete(f"{URL}{closed.pk}/").status_code == 204
    assert is_working_day(day)
    assert api(people.manager).delete(f"{URL}{closed.pk}/").status_code == 404


def test_a_past_closed_day_stays(api, people):
    closed = ClosedDay.objects.create(date=datetime.date(2020, 1, 6), reason="Old")
    response = api(people.manager).delete(f"{URL}{closed.pk}/")
    assert response.status_code == 409
    assert response.json()["code"] == "closed_day_in_past"


def test_the_list_filters_by_dates_in_one_query(api, people, django_assert_max_num_queries):
    start = _next_weekday()
    for offset in range(5):
        ClosedDay.objects.create(date=start + datetime.timedelta(days=offset * 7), reason=f"Day {offset}")
    client = api(people.manager)
    with django_assert_max_num_queries(3):
        body = client.get(URL, {"start": (start + datetime.timedelta(days=7)).isoformat()}).json()
    assert [row["reason"] for row in body] == ["Day 1", "Day 2", "Day 3", "Day 4"]
    assert client.get(URL, {"start": "soon"}).status_code == 400


def test_odd_ids_and_far_dates(api, people):
    client = api(people.manager)
    assert client.delete(f"{URL}abc/").status_code == 404
    assert client.delete(f"{URL}99999999999999999999/").status_code == 404
    response = client.post(URL, {"date": "9999-12-31", "reason": "Forever"}, format="json")
    assert response.status_code == 400 and "two years" in response.json()["errors"]["date"][0]
