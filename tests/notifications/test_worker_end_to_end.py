"""Real parts: the image's worker command (`db_worker`, Procfile's `worker`) in a subprocess against
the test database, sending through Django's SMTP backend to an SMTP server started here
(aiosmtpd); and a dead mail server: the request still succeeds, the task retries, fails visibly,
and nothing is lost."""

import email
import email.policy
import shlex
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from cases.models import Case, Status
from dentallab.mail import retry_email
from dentallab.models import EmailStatus, OutgoingEmail
from tests.fixtures.appserver import DOCKERFILE, PROJECT, free_port, production_env, test_database_url

pytestmark = pytest.mark.django_db(transaction=True)

PROCFILE = dict(line.split(": ", 1) for line in (PROJECT / "Procfile").read_text().splitlines() if line.strip())


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"


@contextmanager
def smtp_server(port=None):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def worker_env(smtp_port: int, **overrides) -> dict:
    return production_env(
        DATABASE_URL=test_database_url(),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="0",
        EMAIL_TIMEOUT="5",
        LOG_FORMAT="text",
        **overrides,
    )


def worker_command(*extra: str) -> list[str]:
    cmd = shlex.split(PROCFILE["worker"])
    assert cmd[:3] == ["python", "manage.py", "db_worker"]
    return [sys.executable, *cmd[1:], *extra]


def ship_a_case(lab) -> Case:
    case = lab.case(number="2026-00042", patient_name="JD-1042")
    client = APIClient()
    client.force_authenticate(lab.technician)
    response = client.post(
        "/api/shipments/",
        {"courier": lab.ups.pk, "tracking_number": "1Z999AA10123456784", "cases": [case.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return case


def test_the_image_documents_the_worker_as_a_second_process_type():
    command = PROCFILE["worker"]
    assert f"dentallab {command}" in DOCKERFILE.replace("\\\n", " ")
    assert command in (PROJECT / "docs" / "deployment.md").read_text()


def test_a_shipped_case_is_emailed_by_the_real_worker_through_smtp(lab, settings):
    case = ship_a_case(lab)
    [queued] = OutgoingEmail.objects.filter(kind="notification:shipped")
    assert queued.status == EmailStatus.PENDING  # the request sent nothing itself
    with smtp_server() as (inbox, port):
        # The worker exactly as the image runs it (long-running), stopped with SIGTERM like a container.
        worker = subprocess.Popen(
            worker_command("--no-startup-delay"), cwd=PROJECT, env=worker_env(port),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            # Shipping also issues the invoice: two e-mails, the tracking one and the invoice one.
            while len(inbox.messages) < 2 and time.monotonic() < deadline and worker.poll() is None:
                time.sleep(0.2)
        finally:
            worker.send_signal(signal.SIGTERM)
            output, _ = worker.communicate(timeout=30)
        assert inbox.messages, output
    assert worker.returncode == 0, output
    assert sorted(m["Subject"] for m in inbox.messages) == [
        "DentalLab: case 2026-00042 · Case shipped",
        "DentalLab: case 2026-00042 · Invoice issued",
    ]
    assert {m["To"] for m in inbox.messages} == {lab.dentist.email}
    [message] = [m for m in inbox.messages if m["Subject"].endswith("Case shipped")]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Case 2026-00042 (JD-1042) has shipped. Sent with UPS, tracking 1Z999AA10123456784." in text
    assert f"{settings.SITE_URL}/cases/{case.pk}/" in text  # rendered when queued
    assert 'href="https://www.ups.com/track?tracknum=1Z999AA10123456784"' in html
    queued.refresh_from_db()
    assert queued.status == EmailStatus.SENT and queued.attempts == 1


def test_a_dead_mail_server_retries_fails_visibly_and_loses_nothing(lab):
    case = ship_a_case(lab)  # the request that caused the e-mail succeeded
    assert Case.objects.get(pk=case.pk).status == Status.SHIPPED
    dead_port = free_port()  # nothing listens here
    env = worker_env(dead_port, EMAIL_RETRY_BASE_SECONDS="0", EMAIL_MAX_ATTEMPTS="3")
    result = subprocess.run(
        worker_command("--batch", "--no-startup-delay"),
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    queued = OutgoingEmail.objects.get(kind="notification:shipped")
    assert (queued.status, queued.attempts) == (EmailStatus.FAILED, 3)
    invoice_mail = OutgoingEmail.objects.get(kind="notification:invoice_issued")
    assert (invoice_mail.status, invoice_mail.attempts) == (EmailStatus.FAILED, 3)
    assert "ConnectionRefusedError" in queued.last_error
    failed = DBTaskResult.objects.filter(task_path="dentallab.mail.send_email", status="FAILED")
    # Three attempts for each of the two e-mails of the shipment (tracking and invoice).
    assert failed.count() == 6 and {t.exception_class_path for t in failed} == {"dentallab.mail.EmailNotSent"}
    # The server comes back; an admin sends it again; it arrives.
    with smtp_server(dead_port) as (inbox, port):
        assert retry_email(queued)
        result = subprocess.run(
            worker_command("--batch", "--no-startup-delay"), cwd=PROJECT, env=worker_env(port),
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
    assert [m["Subject"] for m in inbox.messages] == ["DentalLab: case 2026-00042 · Case shipped"]
    queued.refresh_from_db()
    assert queued.status == EmailStatus.SENT
