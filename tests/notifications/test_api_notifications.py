"""GET /api/notifications/?unread=true, POST /api/notifications/{id}/read/ and /read-all/,
GET|PUT /api/me/notification-preferences/ (DESIGN §14)."""

import pytest

from notifications.models import Notification
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def make(user, n=1, case=None, read=False):
    from django.utils import timezone

    return [
        Notification.objects.create(
            recipient=user,
            event="case_received",
            case=case,
            message=f"Message {i}",
            read_at=timezone.now() if read else None,
        )
        for i in range(n)
    ]


def test_the_list_has_the_designed_shape_and_filters_unread(api, lab, django_assert_max_num_queries):
    case = CaseFactory(practice=lab.practice, dentist=lab.dentist, number="2026-00042")
    [unread] = make(lab.dentist, case=case)
    make(lab.dentist, 2, read=True)
    make(lab.other_dentist, 3)
    client = api(lab.dentist)
    with django_assert_max_num_queries(3):
        body = client.get("/api/notifications/?unread=true").json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 1
    item = body["results"][0]
    assert set(item) == {"id", "event", "case", "message", "created_at", "read_at"}
    assert item["case"] == {"id": case.pk, "number": "2026-00042"} and item["read_at"] is None
    assert item["id"] == unread.pk and item["event"] == "case_received"
    everything = client.get("/api/notifications/").json()
    assert everything["count"] == 3 and everything["results"][0]["case"] is None  # newest first
    assert client.get("/api/notifications/?unread=false").json()["count"] == 2
    assert client.get("/api/notifications/?unread=maybe").status_code == 400


def test_marking_one_read_and_someone_elses_is_404(api, lab):
    [mine] = make(lab.dentist)
    [theirs] = make(lab.other_dentist)
    client = api(lab.dentist)
    body = client.post(f"/api/notifications/{mine.pk}/read/").json()
    assert body["id"] == mine.pk and body["read_at"] is not None
    first = body["read_at"]
    assert client.post(f"/api/notifications/{mine.pk}/read/").json()["read_at"] == first
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_read_all_marks_only_your_own(api, lab):
    make(lab.dentist, 3)
    make(lab.other_dentist, 2)
    assert api(lab.dentist).post("/api/notifications/read-all/").json() == {"marked_read": 3}
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_preferences_cover_every_event_of_the_role_and_default_to_on(api, lab):
    dentist = api(lab.dentist).get("/api/me/notification-preferences/").json()
    assert list(dentist) == [
        "case_received", "awaiting_approval", "on_hold", "shipped", "lab_note", "invoice_issued",
        "monthly_statement", "weekly_recap",
    ]  # fmt: skip
    assert dentist["shipped"] == {"email": True, "in_app": True} and dentist["weekly_recap"] == {"email": True}
    lab_prefs = api(lab.technician).get("/api/me/notification-preferences/").json()
    assert list(lab_prefs) == [
        "new_submission",
        "design_approved",
        "changes_requested",
        "dentist_note",
        "delivery_confirmed",
    ]


def test_put_changes_what_it_names_and_keeps_the_rest(api, lab):
    client = api(lab.dentist)
    body = client.put(
        "/api/me/notification-preferences/",
        {"shipped": {"email": False}, "weekly_recap": {"email": False}},
        format="json",
    ).json()
    assert body["shipped"] == {"email": False, "in_app": True} and body["weekly_recap"] == {"email": False}
    assert client.get("/api/me/notification-preferences/").json()["case_received"] == {"email": True, "in_app": True}


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"no_such_event": {"email": False}}, "no_such_event", "Unknown event"),
        ({"new_submission": {"email": False}}, "new_submission", "You do not receive this event"),
        ({"shipped": {"sms": True}}, "shipped.sms", "Not a channel"),
        ({"weekly_recap": {"in_app": True}}, "weekly_recap.in_app", "Not a channel"),
        ({"shipped": {"email": "no"}}, "shipped.email", "Use true or false"),
        ({"shipped": False}, "shipped", "Give the channels"),
        ({"on_hold": {"email": False}}, "on_hold.email", "cannot be turned off"),
    ],
)
def test_put_refuses_bad_preferences_whole(api, lab, body, field, fragment):
    client = api(lab.dentist)
    response = client.put("/api/me/notification-preferences/", {**body, "lab_note": {"email": False}}, format="json")
    assert response.status_code == 400
    assert fragment in response.json()["errors"][field][0]
    assert client.get("/api/me/notification-preferences/").json()["lab_note"]["email"] is True  # nothing saved


def test_put_of_a_list_is_a_400(api, lab):
    assert api(lab.dentist).put("/api/me/notification-preferences/", [1, 2], format="json").status_code == 400
