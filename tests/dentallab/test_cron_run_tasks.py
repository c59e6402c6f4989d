"""POST /api/cron/run-tasks: the queue's worker on Vercel (bearer CRON_SECRET, constant time)."""

import json

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from dentallab.mail import queue_email
from dentallab.models import ScheduledRun

pytestmark = pytest.mark.django_db
URL = "/api/cron/run-tasks"
SECRET = "a-long-random-cron-secret-0123456789"


@pytest.fixture
def cron_secret(settings):
    settings.CRON_SECRET = SECRET
    return SECRET


def test_with_the_secret_it_runs_the_queued_tasks(client, cron_secret):
    queue_email(to="dr@practice.test", subject="Shipped", text="Plain")
    response = client.post(URL, HTTP_AUTHORIZATION=f"Bearer {SECRET}")
    assert response.status_code == 200
    body = response.json()
    assert (body["ran"], body["failed"], body["remaining"]) == (1, 0, 0)
    assert mail.outbox[0].subject == "Shipped"


def test_vercel_crons_get_is_answered_the_same_way(client, cron_secret):
    queue_email(to="dr@practice.test", subject="Shipped", text="Plain")
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {SECRET}").json()["ran"] == 1


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Bearer wrong", f"Basic {SECRET}", f"Bearer {SECRET}x", f"Bearer {SECRET[:-1]}"],
)
def test_without_the_right_secret_it_answers_401_and_runs_nothing(client, cron_secret, header):
    queue_email(to="dr@practice.test", subject="Shipped", text="Plain")
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = client.post(URL, **extra)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated" and response["WWW-Authenticate"].startswith("Bearer")
    assert mail.outbox == [] and DBTaskResult.objects.get(task_path="dentallab.mail.send_email").status == "READY"


@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer anything"])
def test_without_cron_secret_set_it_refuses_everything(client, settings, header):
    settings.CRON_SECRET = ""
    queue_email(to="dr@practice.test", subject="Shipped", text="Plain")
    response = client.post(URL, **({} if header is None else {"HTTP_AUTHORIZATION": header}))
    assert response.status_code == 401
    assert "CRON_SECRET is not set" in response.json()["message"]
    assert mail.outbox == []


def test_it_compares_the_secret_in_constant_time(monkeypatch, client, cron_secret):
    import hmac

    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    client.post(URL, HTTP_AUTHORIZATION="Bearer guess")
    assert calls == [(b"guess", SECRET.encode())]


def test_it_stops_taking_new_tasks_after_its_time_is_up(client, cron_secret, settings):
    settings.CRON_RUN_SECONDS = 0  # the deadline has passed before the first task
    queue_email(to="dr@practice.test", subject="Shipped", text="Plain")
    body = client.post(URL, HTTP_AUTHORIZATION=f"Bearer {SECRET}").json()
    assert (body["ran"], body["remaining"]) == (0, 1)


def test_it_enqueues_the_next_weekly_recap_once(client, cron_secret):
    ScheduledRun.objects.all().delete()
    DBTaskResult.objects.all().delete()
    first = client.post(URL, HTTP_AUTHORIZATION=f"Bearer {SECRET}").json()
    second = client.post(URL, HTTP_AUTHORIZATION=f"Bearer {SECRET}").json()
    assert first["scheduled"] == ["weekly_recap"] and second["scheduled"] == []
    [recap] = DBTaskResult.objects.filter(task_path="notifications.recap.send_weekly_recaps")
    assert recap.status == "READY" and recap.run_after.weekday() in (4, 5)  # a Friday (15:00 lab time)


def test_vercel_json_calls_it_and_gives_the_function_time():
    from tests.fixtures.appserver import PROJECT

    config = json.loads((PROJECT / "vercel.json").read_text())
    assert {"path": "/api/cron/run-tasks", "schedule": "* * * * *"} in config["crons"]
    assert config["functions"]["dentallab/wsgi.py"]["maxDuration"] >= 60  # 50 s of tasks + the request
