"""Pickups: dentists request them (date, window, note), they show on the driver's manifest, the lab
marks them done. Page and API share the service's rules."""

import datetime

import pytest
from django.utils import timezone

from shipping.models import Pickup, PickupStatus

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def form(**overrides):
    return {
        "date": TOMORROW.isoformat(),
        "window_start": "14:00",
        "window_end": "16:00",
        "note": "Front desk",
        **overrides,
    }


def test_a_dentist_requests_a_pickup_for_their_practice_on_the_page(client, lab):
    client.force_login(lab.dentist)
    response = client.post("/shipping/pickups/", form(practice=lab.other_practice.pk), follow=True)
    pickup = Pickup.objects.get()
    assert (pickup.practice, pickup.requested_by, pickup.date, pickup.note) == (
        lab.practice,
        lab.dentist,
        TOMORROW,
        "Front desk",
    )
    assert (pickup.window_start, pickup.window_end, pickup.status) == (
        datetime.time(14),
        datetime.time(16),
        "requested",
    )
    assert "Pickup requested for" in response.content.decode()


def test_the_page_reports_bad_input_next_to_the_field(client, lab):
    client.force_login(lab.dentist)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post("/shipping/pickups/", form(date=yesterday, window_start="16:00", window_end="14:00"))
    errors = response.context["form"].errors
    assert errors["date"] == ["Choose today or a later day."] and errors["window_end"] == [
        "The window must end after it starts."
    ]
    assert not Pickup.objects.exists()


def test_the_api_takes_and_lists_pickups(api, lab):
    response = api(lab.dentist).post("/api/pickups/", form(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "id",
        "practice",
        "date",
        "window_start",
        "window_end",
        "note",
        "status",
        "requested_by",
        "created_at",
        "done_at",
    }
    assert (body["practice"], body["date"], body["window_start"], body["status"]) == (
        lab.practice.pk,
        TOMORROW.isoformat(),
        "14:00:00",
        "requested",
    )
    assert api(lab.other_dentist).get("/api/pickups/").json()["count"] == 0
    assert api(lab.manager).get("/api/pickups/").json()["count"] == 1


def test_the_api_refuses_bad_pickups_naming_the_field(api, lab):
    client = api(lab.dentist)
    assert client.post("/api/pickups/", form(window_end="13:00"), format="json").json()["errors"] == {
        "window_end": ["The window must end after it starts."]
    }
    assert "note" in client.post("/api/pickups/", form(note="x" * 600), format="json").json()["errors"]
    assert (
        "practice" in client.post("/api/pickups/", form(practice=lab.other_practice.pk), format="json").json()["errors"]
    )
    assert "practice" in api(lab.manager).post("/api/pickups/", form(), format="json").json()["errors"]
    assert not Pickup.objects.exists()


def test_lab_staff_mark_a_pickup_done_and_dentists_cannot(client, lab):
    pickup = Pickup.objects.create(
        practice=lab.practice, date=TOMORROW, window_start=datetime.time(9), window_end=datetime.time(10)
    )
    client.force_login(lab.dentist)
    assert client.post(f"/shipping/pickups/{pickup.pk}/done/").status_code == 403
    client.force_login(lab.technician)
    response = client.post(f"/shipping/pickups/{pickup.pk}/done/", {"next": "/shipping/manifest/?date=2026-01-01"})
    assert response.status_code == 302 and response["Location"] == "/shipping/manifest/?date=2026-01-01"
    pickup.refresh_from_db()
    assert pickup.status == PickupStatus.DONE and pickup.done_by == lab.technician
    evil = client.post(f"/shipping/pickups/{pickup.pk}/done/", {"next": "https://evil.test/"})
    assert evil["Location"] == "/shipping/pickups/"
