"""dentallab.mail: every e-mail goes to the outbox and is sent by a task, retried with backoff."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dentallab.mail import ERASED, queue_email, retry_email
from dentallab.models import EmailStatus, OutgoingEmail

pytestmark = pytest.mark.django_db


def email_tasks():
    """The send tasks (the weekly recap, scheduled after migrate, waits in the same table)."""
    return DBTaskResult.objects.filter(task_path="dentallab.mail.send_email")


class BrokenBackend:
    """A mail server that is down: every send raises."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def __exit__(self, *exc):
        return False


@pytest.fixture
def broken_mail(settings):
    settings.EMAIL_BACKEND = "tests.dentallab.test_mail_outbox.BrokenBackend"


def test_queueing_stores_the_email_and_one_task_but_sends_nothing_yet():
    email = queue_email(to="dr@practice.test", subject="Hello", text="Plain", html="<p>Rich</p>", kind="test")
    assert (email.status, email.attempts, email.to) == (EmailStatus.PENDING, 0, ["dr@practice.test"])
    [task] = email_tasks()
    assert task.task_path == "dentallab.mail.send_email" and task.args_kwargs == {"args": [email.pk], "kwargs": {}}
    assert mail.outbox == []


def test_the_task_sends_plain_text_and_html(run_tasks):
    email = queue_email(to=["a@x.test", "b@x.test"], subject="Case shipped", text="Plain body", html="<p>Rich</p>")
    assert run_tasks()["ran"] == 1
    [message] = mail.outbox
    assert message.to == ["a@x.test", "b@x.test"] and message.subject == "Case shipped"
    assert message.body == "Plain body"
    assert message.alternatives[0][0] == "<p>Rich</p>" and message.alternatives[0][1] == "text/html"
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.sent_at is not None and email.attempts == 1


def test_attachments_go_with_the_email(run_tasks):
    queue_email(
        to="office@practice.test",
        subject="Statement",
        text="Attached.",
        attachments=[("s.pdf", b"%PDF-1.4", "application/pdf")],
    )
    run_tasks()
    assert mail.outbox[0].attachments == [("s.pdf", b"%PDF-1.4", "application/pdf")]


def test_an_email_queued_in_a_transaction_that_rolls_back_is_never_sent(run_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_email(to="dr@practice.test", subject="Hello", text="Plain")
        raise RuntimeError("the write that queued it failed")
    assert not OutgoingEmail.objects.exists() and not email_tasks().exists()
    run_tasks()
    assert mail.outbox == []


def test_a_failed_send_is_recorded_and_retried_with_backoff(broken_mail, settings, run_tasks):
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    before = timezone.now()
    email = queue_email(to="dr@practice.test", subject="Hello", text="Plain")
    result = run_tasks()
    assert (result["ran"], result["failed"]) == (1, 1)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.RETRYING, 1)
    assert "ConnectionRefusedError" in email.last_error
    # 60 s × 4^0 after the failure; the task that failed is visible as failed, the retry waits.
    assert (
        before + datetime.timedelta(seconds=59)
        < email.next_attempt_at
        < timezone.now() + datetime.timedelta(seconds=61)
    )
    assert email_tasks().filter(status="FAILED").count() == 1
    [waiting] = email_tasks().filter(status="READY")
    assert abs((waiting.run_after - email.next_attempt_at).total_seconds()) < 1
    assert run_tasks()["ran"] == 0  # not before its time


def test_the_backoff_grows_four_times_each_attempt_until_it_gives_up(broken_mail, settings, run_tasks):
    settings.EMAIL_RETRY_BASE_SECONDS = 0  # every retry due at once, to run them all here
    settings.EMAIL_MAX_ATTEMPTS = 4
    email = queue_email(to="dr@practice.test", subject="Hello", text="Plain")
    assert run_tasks()["ran"] == 4
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == (EmailStatus.FAILED, 4, None)
    assert email_tasks().filter(status="FAILED").count() == 4
    from dentallab.mail import retry_delay

    settings.EMAIL_RETRY_BASE_SECONDS = 60
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [60, 240, 960, 3840, 15360]


def test_an_admin_sends_a_failed_email_again_and_nothing_is_lost(broken_mail, settings, run_tasks):
    settings.EMAIL_RETRY_BASE_SECONDS = 0
    settings.EMAIL_MAX_ATTEMPTS = 1
    email = queue_email(to="dr@practice.test", subject="Hello", text="Plain")
    run_tasks()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    assert retry_email(email) is True
    run_tasks()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and mail.outbox[0].subject == "Hello"
    assert retry_email(email) is False  # sent is sent


def test_a_one_time_link_is_erased_from_the_outbox_once_sent(run_tasks):
    email = queue_email(to="new@lab.test", subject="Invitation", text="https://lab/welcome/x/token/", sensitive=True)
    run_tasks()
    email.refresh_from_db()
    assert "token" in mail.outbox[0].body
    assert email.text == ERASED and email.html == ""


def test_an_email_sent_already_is_not_sent_twice(run_tasks):
    email = queue_email(to="dr@practice.test", subject="Hello", text="Plain")
    run_tasks()
    from dentallab.mail import send_email

    send_email.enqueue(email.pk)  # a duplicate task (a retry after a crash, say)
    run_tasks()
    assert len(mail.outbox) == 1


def test_admins_see_pending_and_failed_emails(client, broken_mail, settings, run_tasks):
    from tests.factories import AdminFactory

    settings.EMAIL_MAX_ATTEMPTS = 1
    queue_email(to="dr@practice.test", subject="Will fail", text="Plain")
    run_tasks()
    queue_email(to="dr@practice.test", subject="Still waiting", text="Plain")
    client.force_login(AdminFactory())
    page = client.get("/admin/dentallab/outgoingemail/?status__exact=failed")
    assert page.status_code == 200 and b"Will fail" in page.content and b"Still waiting" not in page.content
    page = client.get("/admin/dentallab/outgoingemail/?status__exact=pending")
    assert b"Still waiting" in page.content
    assert client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED").status_code == 200
