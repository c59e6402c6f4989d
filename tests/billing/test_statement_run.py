import datetime

import pytest
from django.core.management import call_command

from billing.statement_run import run_monthly_statements, send_statements
from dentallab.models import OutgoingEmail
from tests.billing.helpers import shipped_case
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def test_the_statement_run_queues_each_practice_its_pdf():
    practice = PracticeFactory(email="office@bright.test")
    PracticeFactory(email="")  # no address: skipped
    shipped_case(practice)
    month = datetime.date.today().replace(day=1)
    assert send_statements(month) == 1
    email = OutgoingEmail.objects.get(kind="statement")
    assert email.to == ["office@bright.test"]
    assert f"{month:%Y-%m}" in email.subject and "100.00" in email.text
    attachment = email.attachments.get()
    assert attachment.filename == f"statement-{month:%Y-%m}.pdf" and attachment.mimetype == "application/pdf"
    assert bytes(attachment.content).startswith(b"%PDF")


def test_the_run_is_a_task_and_a_command(capsys):
    PracticeFactory(email="office@x.test")
    assert run_monthly_statements.call(f"{datetime.date.today():%Y-%m}")["queued"] == 1
    call_command("send_statements", "--month", f"{datetime.date.today():%Y-%m}", "--now")
    assert "Queued 1 statement" in capsys.readouterr().out
    call_command("send_statements")
    assert "Enqueued the statement run" in capsys.readouterr().out


def test_the_command_refuses_a_malformed_month():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_statements", "--month", "2026-13")
    assert not OutgoingEmail.objects.exists()


def test_the_periodic_run_is_due_on_the_configured_day(settings):
    from django.utils import timezone

    from billing.statement_run import next_statement_due

    settings.MONTHLY_STATEMENT_DAY = 3
    now = timezone.make_aware(datetime.datetime(2026, 12, 7, 12))
    assert timezone.localtime(next_statement_due(now)).date() == datetime.date(2027, 1, 3)
    now = timezone.make_aware(datetime.datetime(2026, 12, 1, 12))
    assert timezone.localtime(next_statement_due(now)).date() == datetime.date(2026, 12, 3)


def test_the_periodic_task_sends_last_months_statements():
    from billing.statement_run import send_last_months_statements

    PracticeFactory(email="office@y.test")
    assert send_last_months_statements.call()["queued"] == 1
