"""The project's own tables: the e-mail outbox and the schedule of periodic tasks. They import no
app (dentallab's modules never do), so every app may use them."""

from django.db import models
from django.db.models import Q


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RETRYING = "retrying", "Retrying"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutgoingEmail(models.Model):
    """One e-mail to send, kept until it is sent (and after, as a record). A task sends it
    (dentallab.mail.send_email); a failure is recorded here and retried with backoff, so nothing
    is lost when the mail server is down, and admins see what is pending or failed."""

    to = models.JSONField(help_text="Recipient addresses.")
    subject = models.CharField(max_length=255)
    text = models.TextField()
    html = models.TextField(blank=True)
    from_email = models.CharField(max_length=255, blank=True, help_text="Empty: DEFAULT_FROM_EMAIL.")
    reply_to = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=60, blank=True, help_text="What sent it, e.g. invitation, notification.")
    sensitive = models.BooleanField(
        default=False, help_text="Holds a one-time link (invitation, password reset): the body is erased once sent."
    )
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outgoing e-mail"
        verbose_name_plural = "outgoing e-mails"
        indexes = [
            models.Index(fields=["-created_at"], name="email_recent"),
            # What admins look at (pending, retrying, failed): a small partial index.
            models.Index(fields=["status", "-created_at"], condition=~Q(status="sent"), name="email_unsent"),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"


class OutgoingEmailAttachment(models.Model):
    """A file sent with an e-mail (e.g. a monthly statement's PDF). Kept small: e-mails are."""

    email = models.ForeignKey(OutgoingEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    mimetype = models.CharField(max_length=100, default="application/octet-stream")

    def __str__(self):
        return self.filename


class ScheduledRun(models.Model):
    """A periodic task's run, enqueued once (dentallab.schedule): the unique pair makes enqueueing
    the same run twice impossible, whoever asks (the cron endpoint, migrate, the task itself)."""

    name = models.CharField(max_length=100)
    due_at = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_at"]
        constraints = [models.UniqueConstraint(fields=["name", "due_at"], name="scheduled_run_once")]

    def __str__(self):
        return f"{self.name} at {self.due_at:%Y-%m-%d %H:%M}"
