"""The month's statement run (DESIGN §13): every active practice with an e-mail address gets its
statement for the month as a PDF attachment. `send_statements(month)` queues the e-mails (the
outbox and its send task, dentallab.mail); `run_monthly_statements` is the same as a task, which
the management command enqueues (or runs at once with --now)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from accounts.models import LabProfile, Practice
from billing.documents import statement_pdf
from billing.money import fmt
from billing.signals import statement_ready
from billing.statements import compute_statement, parse_month
from dentallab.mail import queue_email, render_email


def previous_month(today: datetime.date) -> datetime.date:
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def send_statements(month: datetime.date) -> int:
    """Queue every active practice's statement for `month`; returns how many were queued."""
    lab = LabProfile.current().legal_name or "Your dental laboratory"
    sent = 0
    for practice in Practice.objects.filter(active=True).exclude(email="").order_by("name"):
        statement = compute_statement(practice, month)
        pdf = statement_pdf(statement, currency=settings.CURRENCY)
        context = {
            "practice": practice,
            "statement": statement,
            "lab": lab,
            "currency": settings.CURRENCY,
            "closing": fmt(statement.closing_balance),
        }
        subject, text, html = render_email("billing/email/statement", context)
        with transaction.atomic():
            queue_email(
                to=[practice.email],
                subject=subject,
                text=text,
                html=html,
                kind="statement",
                attachments=[(f"statement-{statement.month_label}.pdf", pdf, "application/pdf")],
            )
            statement_ready.send(sender=Practice, practice=practice, month=month, pdf=pdf)
        sent += 1
    return sent


@task()
def run_monthly_statements(month: str) -> dict:
    return {"month": month, "queued": send_statements(parse_month(month))}


def next_statement_due(now: datetime.datetime) -> datetime.datetime:
    """The next MONTHLY_STATEMENT_DAY at 06:00 in the lab's time zone, strictly after `now`."""
    local = timezone.localtime(now)
    day = settings.MONTHLY_STATEMENT_DAY
    due = timezone.make_aware(datetime.datetime.combine(local.date().replace(day=day), datetime.time(6)))
    if due <= now:
        first_next = (local.date().replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        due = timezone.make_aware(datetime.datetime.combine(first_next.replace(day=day), datetime.time(6)))
    return due


@task()
def send_last_months_statements() -> dict:
    """The periodic run (when MONTHLY_STATEMENT_DAY is set): enqueue next month's run first, then
    queue last month's statements."""
    from dentallab import schedule

    schedule.ensure_scheduled()
    month = previous_month(timezone.localdate())
    return {"month": f"{month:%Y-%m}", "queued": send_statements(month)}
