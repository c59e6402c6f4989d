"""The Friday recap (DESIGN §14): each dentist gets, in one e-mail, their open cases with status
and due date, what shipped this week, and what waits for their approval. Nothing is sent to a
dentist with nothing to report, nor to one who turned the recap off.

It runs as a periodic task (dentallab.schedule) on Fridays at WEEKLY_RECAP_HOUR in the lab's
TIME_ZONE; `manage.py send_weekly_recap --dry-run` shows what it would send. Built from three
queries over all dentists at once (not per dentist), so 500 dentists and 100,000 cases take
seconds (bench/recap.py, docs/performance.md).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from accounts.models import User
from accounts.roles import Role
from cases.lifecycle import OPEN_STATUSES
from cases.models import Case, Status
from dentallab import schedule
from dentallab.mail import queue_emails, render_email
from notifications.events import Channel, Event
from notifications.models import NotificationPreference
from shipping.models import ShipmentCase

FRIDAY = 4


def next_recap_due(now: datetime.datetime) -> datetime.datetime:
    """The next Friday at WEEKLY_RECAP_HOUR:00 in the lab's time zone, strictly after `now`."""
    local = timezone.localtime(now)
    days = (FRIDAY - local.weekday()) % 7
    due = timezone.make_aware(
        datetime.datetime.combine(
            local.date() + datetime.timedelta(days=days), datetime.time(settings.WEEKLY_RECAP_HOUR)
        )
    )
    if due <= now:
        due = timezone.make_aware(
            datetime.datetime.combine(
                due.date() + datetime.timedelta(days=7), datetime.time(settings.WEEKLY_RECAP_HOUR)
            )
        )
    return due


def week_start(now: datetime.datetime) -> datetime.datetime:
    """Monday 00:00 of `now`'s week, in the lab's time zone."""
    local = timezone.localtime(now)
    monday = local.date() - datetime.timedelta(days=local.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))


@dataclass
class Recap:
    dentist: User
    open_cases: list = field(default_factory=list)  # (number, patient, status label, due day, url)
    awaiting: list = field(default_factory=list)
    shipped: list = field(default_factory=list)  # (number, patient, shipped day, courier, tracking, url…)

    @property
    def is_empty(self) -> bool:
        return not (self.open_cases or self.awaiting or self.shipped)


OPEN_COLUMNS = ("pk", "number", "patient_name", "status", "due_date", "dentist_id", "practice_id")


def build_recaps(now: datetime.datetime | None = None, *, dentists=None) -> list[Recap]:
    """The recap of every active dentist (or of `dentists`), empty ones included."""
    now = now or timezone.now()
    people = list(
        (dentists if dentists is not None else User.objects.all())
        .filter(role=Role.DENTIST, is_active=True, practice__isnull=False)
        .only("pk", "name", "email", "practice_id")
        .order_by("pk")
    )
    by_id = {user.pk: Recap(dentist=user) for user in people}
    practice_of = {user.pk: user.practice_id for user in people}
    detail = reverse("cases:detail", args=[0]).rstrip("/").rsplit("/", 1)[0]  # "/cases"
    site = settings.SITE_URL

    def url(pk: int) -> str:
        return f"{site}{detail}/{pk}/"

    labels = dict(Status.choices)
    day_labels: dict = {}

    def day(value) -> str:
        """ "Fri 4 Dec": formatted once per distinct date (a template's date filter per line was
        most of the recap's time at 100,000 cases)."""
        if value is None:
            return ""
        if value not in day_labels:
            day_labels[value] = f"{value:%a} {value.day} {value:%b}"
        return day_labels[value]

    open_rows = (
        Case.objects.filter(dentist_id__in=by_id)
        .filter(status__in=OPEN_STATUSES)
        .order_by("dentist_id", "due_date", "number")
        .values_list(*OPEN_COLUMNS)
    )
    for pk, number, patient, status, due, dentist_id, practice_id in open_rows.iterator(chunk_size=5000):
        if practice_of[dentist_id] != practice_id:  # only ever their own practice's cases
            continue
        row = (number, patient, labels[status], day(due), url(pk))
        recap = by_id[dentist_id]
        recap.open_cases.append(row)
        if status == Status.AWAITING_APPROVAL:
            recap.awaiting.append(row)

    shipped_rows = list(
        Case.objects.filter(dentist_id__in=by_id, shipped_at__gte=week_start(now), shipped_at__lte=now)
        .order_by("dentist_id", "shipped_at")
        .values_list("pk", "number", "patient_name", "shipped_at", "dentist_id", "practice_id")
    )
    tracking = {
        case_id: (courier, template, number)
        for case_id, courier, template, number in ShipmentCase.objects.filter(
            case_id__in=[row[0] for row in shipped_rows]
        ).values_list(
            "case_id",
            "shipment__courier__name",
            "shipment__courier__tracking_url_template",
            "shipment__tracking_number",
        )
    }
    for pk, number, patient, shipped_at, dentist_id, practice_id in shipped_rows:
        if practice_of[dentist_id] != practice_id:
            continue
        courier, template, tracking_number = tracking.get(pk, ("", "", ""))
        tracking_url = (
            template.replace("{tracking}", quote(tracking_number, safe="")) if template and tracking_number else ""
        )
        by_id[dentist_id].shipped.append(
            (number, patient, day(timezone.localdate(shipped_at)), courier, tracking_number, tracking_url, url(pk))
        )
    return list(by_id.values())


def recipients_wanting_recap(recaps: list[Recap]) -> list[Recap]:
    """Those with something to say, whose recap e-mail is not turned off."""
    off = set(
        NotificationPreference.objects.filter(
            event=Event.WEEKLY_RECAP, channel=Channel.EMAIL, enabled=False
        ).values_list("user_id", flat=True)
    )
    return [recap for recap in recaps if not recap.is_empty and recap.dentist.pk not in off]


def render_recap(recap: Recap, *, lab_name: str, now: datetime.datetime) -> tuple[str, str, str]:
    context = {
        "lab_name": lab_name,
        "recap": recap,
        "dentist": recap.dentist,
        "week_of": timezone.localdate(week_start(now)),
        "today": timezone.localdate(now),
        "site_url": settings.SITE_URL,
        "preferences_url": f"{settings.SITE_URL}{reverse('notifications:preferences')}",
    }
    return render_email("notifications/email/weekly_recap", context)


def weekly_recap_emails(now: datetime.datetime | None = None) -> list[dict]:
    """The e-mails the recap would send now: [{"to", "subject", "text", "html", "kind"}]."""
    from notifications.services import lab_name

    now = now or timezone.now()
    lab = lab_name()
    emails = []
    for recap in recipients_wanting_recap(build_recaps(now)):
        subject, text, html = render_recap(recap, lab_name=lab, now=now)
        emails.append(
            {"to": recap.dentist.email, "subject": subject, "text": text, "html": html, "kind": "weekly_recap"}
        )
    return emails


@task()
def send_weekly_recaps() -> dict:
    """The periodic task: enqueue next week's run first, then queue this week's e-mails."""
    schedule.ensure_scheduled()
    emails = weekly_recap_emails()
    queue_emails(emails)
    return {"queued": len(emails)}
