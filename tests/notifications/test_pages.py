"""The bell in the header (one indexed query per page), /notifications/, marking read, settings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification, NotificationPreference
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def make(user, n=1, **fields):
    return [
        Notification.objects.create(recipient=user, event="case_received", message=f"Note {i}", **fields)
        for i in range(n)
    ]


def test_the_bell_shows_the_unread_count_in_one_query(client, lab):
    make(lab.dentist, 3)
    make(lab.other_dentist, 5)
    client.force_login(lab.dentist)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/password/change/").content.decode()  # a page with nothing else to count
    assert '<span class="bell-count" aria-hidden="true">3</span>' in html
    assert "Notifications, 3 unread" in html
    bell = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(bell) == 1 and "COUNT(*)" in bell[0] and '"read_at" IS NULL' in bell[0]


def test_the_bell_uses_the_partial_index_of_unread_notifications(lab):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'notification_unread'")
        [(definition,)] = cursor.fetchall()
    assert "(recipient_id) WHERE (read_at IS NULL)" in definition


def test_no_unread_no_badge_and_99_plus_above_99(client, lab):
    client.force_login(lab.dentist)
    assert "bell-count" not in client.get("/password/change/").content.decode()
    make(lab.dentist, 120)
    assert '<span class="bell-count" aria-hidden="true">99+</span>' in client.get("/password/change/").content.decode()


def test_the_page_lists_mine_newest_first_and_open_marks_read(client, lab, django_assert_max_num_queries):
    case = CaseFactory(practice=lab.practice, dentist=lab.dentist)
    [note] = make(lab.dentist, case=case, link=f"/cases/{case.pk}/")
    make(lab.dentist, 30)
    make(lab.other_dentist, 1)
    client.force_login(lab.dentist)
    with django_assert_max_num_queries(8):
        response = client.get("/notifications/")
    assert len(response.context["page"].object_list) == 25 and "Note 29" in response.content.decode()
    response = client.post(f"/notifications/{note.pk}/read/", {"open": "1"})
    assert response["Location"] == f"/cases/{case.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert client.get("/notifications/?show=unread").context["page"].paginator.count == 30
    client.post("/notifications/read-all/")
    assert client.get("/notifications/?show=unread").context["page"].paginator.count == 0


def test_a_link_elsewhere_is_never_followed(client, lab):
    [note] = make(lab.dentist, link="//evil.test/")
    client.force_login(lab.dentist)
    assert client.post(f"/notifications/{note.pk}/read/", {"open": "1"})["Location"] == "/notifications/"


def test_settings_page_saves_choices_and_keeps_on_hold_on(client, lab):
    client.force_login(lab.dentist)
    html = client.get("/notifications/settings/").content.decode()
    assert 'name="on_hold.email" checked disabled' in html
    data = {"case_received.in_app": "on", "shipped.email": "on", "shipped.in_app": "on"}  # on_hold not sent (disabled)
    response = client.post("/notifications/settings/", data, follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    off = set(NotificationPreference.objects.filter(user=lab.dentist, enabled=False).values_list("event", "channel"))
    assert ("case_received", "email") in off and ("shipped", "email") not in off
    assert not any(event == "on_hold" for event, _ in off)
