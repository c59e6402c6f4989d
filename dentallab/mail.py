"""Every e-mail the app sends goes through here: `queue_email(...)` stores it in the outbox and
enqueues the task that sends it. Nothing is sent inside a request.

    from dentallab.mail import queue_email, render_email

    subject, text, html = render_email("billing/email/statement", {"statement": statement})
    queue_email(to=[practice.email], subject=subject, text=text, html=html, kind="statement",
                attachments=[("statement-2026-05.pdf", pdf_bytes, "application/pdf")])

Call it inside your transaction: with the database task backend the outbox row and the task row
commit or roll back with your write (a case move that fails sends nothing). With another backend
(RQ, Celery) the task is enqueued when the transaction commits. The task's only argument is the
outbox row's id, so no address or content ever sits in a queue.

A failed send is recorded on the row (attempts, last error) and retried after
EMAIL_RETRY_BASE_SECONDS × 4^(attempt-1) (1 min, 4 min, 16 min, 64 min, ~4 h by default) up to
EMAIL_MAX_ATTEMPTS; then the row is `failed`. Admins see pending, retrying and failed e-mails in
Django admin (Outgoing e-mails) and can send them again.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend

from dentallab.models import EmailStatus, OutgoingEmail, OutgoingEmailAttachment

logger = logging.getLogger(__name__)

__all__ = ["EmailNotSent", "queue_email", "render_email", "retry_email", "send_email"]


ERASED = "(Erased after sending: it held a one-time link.)"


class EmailNotSent(Exception):
    """The send failed; the outbox row says why and when it is tried again."""


def render_email(template_base: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) from `<base>_subject.txt`, `<base>.txt` and `<base>.html` (the HTML
    part is optional: an empty string when there is no such template)."""
    subject = " ".join(render_to_string(f"{template_base}_subject.txt", context).split())
    text = render_to_string(f"{template_base}.txt", context)
    try:
        html = render_to_string(f"{template_base}.html", context)
    except Exception as exc:  # noqa: BLE001 — TemplateDoesNotExist: a text-only e-mail
        if type(exc).__name__ != "TemplateDoesNotExist":
            raise
        html = ""
    return subject, text, html


def queue_email(
    *,
    to: str | Iterable[str],
    subject: str,
    text: str,
    html: str = "",
    kind: str = "",
    from_email: str = "",
    reply_to: Iterable[str] = (),
    attachments: Iterable[tuple[str, bytes, str]] = (),
    sensitive: bool = False,
) -> OutgoingEmail:
    """Store an e-mail in the outbox and enqueue the task that sends it (see the module doc).
    `sensitive`: the body holds a one-time link (invitation, password reset), erased once sent."""
    recipients = [to] if isinstance(to, str) else [address for address in to if address]
    if not recipients:
        raise ValueError("An e-mail needs at least one recipient.")
    with transaction.atomic():
        email = OutgoingEmail.objects.create(
            to=recipients,
            subject=subject[:255],
            text=text,
            html=html,
            kind=kind,
            from_email=from_email,
            reply_to=list(reply_to),
            sensitive=sensitive,
        )
        OutgoingEmailAttachment.objects.bulk_create(
            OutgoingEmailAttachment(email=email, filename=name, content=content, mimetype=mimetype)
            for name, content, mimetype in attachments
        )
        _enqueue(email.pk)
    return email


def queue_emails(emails: list[dict]) -> list[OutgoingEmail]:
    """Many e-mails at once (the weekly recap): one insert for the outbox rows, one task each."""
    with transaction.atomic():
        rows = OutgoingEmail.objects.bulk_create(
            OutgoingEmail(
                to=[e["to"]] if isinstance(e["to"], str) else list(e["to"]),
                subject=e["subject"][:255],
                text=e["text"],
                html=e.get("html", ""),
                kind=e.get("kind", ""),
            )
            for e in emails
        )
        for row in rows:
            _enqueue(row.pk)
    return rows


def _enqueue(email_id: int, run_after: datetime.datetime | None = None) -> None:
    task_ = send_email if run_after is None else send_email.using(run_after=run_after)
    if isinstance(task_.get_backend(), DatabaseBackend):
        task_.enqueue(email_id)  # same database: commits or rolls back with the caller
    else:
        transaction.on_commit(lambda: task_.enqueue(email_id))


def retry_delay(attempts: int) -> datetime.timedelta:
    """Backoff after the `attempts`-th failure: base × 4^(attempts-1)."""
    return datetime.timedelta(seconds=settings.EMAIL_RETRY_BASE_SECONDS * 4 ** max(attempts - 1, 0))


def _message(email: OutgoingEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=email.from_email or None,
        to=email.to,
        reply_to=email.reply_to or None,
        connection=connection,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in email.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


@task()
def send_email(email_id: int) -> str:
    """Send one outbox e-mail. The row is locked while it is sent, so two workers never send it
    twice; a row already sent (or given up) is skipped. A failure is recorded, the next attempt
    is enqueued with backoff, and the task itself fails (visible in the task results)."""
    error = None
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status__in=[EmailStatus.PENDING, EmailStatus.RETRYING])
            .first()
        )
        if email is None:
            return "skipped"
        email.attempts += 1
        try:
            with get_connection(fail_silently=False) as connection:
                _message(email, connection).send()
        except Exception as exc:  # noqa: BLE001 — any failure of the mail server is retried
            error = exc
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                email.status, email.next_attempt_at = EmailStatus.FAILED, None
            else:
                email.status = EmailStatus.RETRYING
                email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
                _enqueue(email.pk, run_after=email.next_attempt_at)
        else:
            email.status, email.sent_at, email.next_attempt_at = EmailStatus.SENT, timezone.now(), None
            if email.sensitive:
                email.text, email.html = ERASED, ""
        email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "sent_at", "text", "html"])
    if error is not None:
        # Logged without addresses or content (they may name a patient).
        logger.warning(
            "email %s not sent (attempt %s, %s)", email_id, email.attempts, email.status, extra={"kind": email.kind}
        )
        raise EmailNotSent(f"E-mail {email_id}: {email.last_error}") from error
    return "sent"


def retry_email(email: OutgoingEmail) -> bool:
    """Send a pending, retrying or failed e-mail again now (Django admin's action). False when it
    was already sent."""
    with transaction.atomic():
        updated = OutgoingEmail.objects.filter(pk=email.pk).exclude(status=EmailStatus.SENT)
        if not updated.update(status=EmailStatus.PENDING, next_attempt_at=None, attempts=0):
            return False
        _enqueue(email.pk)
    return True
