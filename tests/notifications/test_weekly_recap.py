"""The Friday recap (DESIGN §14), from a hand-worked example: a dentist's open cases with status and
due date, what shipped this week, what awaits their approval; nothing for a dentist with nothing to
say or who turned it off; only their own practice's cases."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import Status
from dentallab.models import OutgoingEmail
from notifications.models import NotificationPreference
from notifications.recap import next_recap_due, week_start, weekly_recap_emails
from tests.factories import CaseFactory, DentistFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def at(*args):
    return datetime.datetime(*args, tzinfo=CHICAGO)


def test_the_recap_is_due_on_friday_afternoon_in_the_labs_time_zone(settings):
    settings.TIME_ZONE = "America/Chicago"
    settings.WEEKLY_RECAP_HOUR = 15
    timezone.activate(CHICAGO)
    try:
        # Wednesday 2 Dec 2026 → Friday 4 Dec 15:00 Chicago (21:00 UTC).
        assert next_recap_due(at(2026, 12, 2, 10)) == at(2026, 12, 4, 15)
        assert next_recap_due(at(2026, 12, 2, 10)).astimezone(datetime.UTC).hour == 21
        # Friday 14:59 → today 15:00; Friday 15:00 itself → next Friday.
        assert next_recap_due(at(2026, 12, 4, 14, 59)) == at(2026, 12, 4, 15)
        assert next_recap_due(at(2026, 12, 4, 15)) == at(2026, 12, 11, 15)
        # Saturday, just after midnight UTC on Friday evening in Chicago → still that Friday is gone.
        assert next_recap_due(datetime.datetime(2026, 12, 5, 2, tzinfo=datetime.UTC)) == at(2026, 12, 11, 15)
        assert week_start(at(2026, 12, 4, 15)) == at(2026, 11, 30, 0)
    finally:
        timezone.deactivate()


@pytest.fixture
def week(lab, settings):
    settings.SITE_URL = "https://lab.example.com"
    friday = timezone.make_aware(datetime.datetime(2026, 12, 4, 15))
    monday = timezone.make_aware(datetime.datetime(2026, 11, 30, 9))
    d = lab.dentist
    CaseFactory(dentist=d, practice=lab.practice, number="2026-00101", patient_name="JD-1", status=Status.IN_PRODUCTION,
                due_date=datetime.date(2026, 12, 8))  # fmt: skip
    CaseFactory(dentist=d, practice=lab.practice, number="2026-00102", patient_name="JD-2",
                status=Status.AWAITING_APPROVAL, due_date=datetime.date(2026, 12, 10))  # fmt: skip
    CaseFactory(dentist=d, practice=lab.practice, number="2026-00103", patient_name="JD-3", status=Status.SHIPPED,
                shipped_at=monday)  # fmt: skip
    CaseFactory(dentist=d, practice=lab.practice, number="2026-00104", patient_name="JD-4", status=Status.DELIVERED,
                shipped_at=monday - datetime.timedelta(days=7))  # last week: not in this recap  # fmt: skip
    CaseFactory(dentist=d, practice=lab.practice, number="2026-00105", patient_name="JD-5", status=Status.DRAFT)
    CaseFactory(dentist=d, practice=lab.practice, number="2026-00106", patient_name="JD-6", status=Status.CANCELLED)
    DentistFactory(practice=lab.practice, email="quiet@practice.test")  # nothing to say: no e-mail
    return friday


def test_the_recap_lists_open_cases_approvals_and_this_weeks_shipments(lab, week):
    emails = weekly_recap_emails(week)
    assert [e["to"] for e in emails] == [lab.dentist.email]
    [email] = emails
    assert email["subject"] == "DentalLab: your cases this week (4 Dec)"
    text = email["text"]
    assert "WAITING FOR YOUR APPROVAL (1)\n- 2026-00102 · JD-2 · due Thu 10 Dec" in text
    assert (
        "OPEN CASES (2)\n- 2026-00101 · JD-1 · In production · due Tue 8 Dec\n"
        "- 2026-00102 · JD-2 · Awaiting approval · due Thu 10 Dec" in text
    )
    assert "SHIPPED THIS WEEK (1)\n- 2026-00103 · JD-3 · Mon 30 Nov" in text
    for absent in ("2026-00104", "2026-00105", "2026-00106"):
        assert absent not in text
    assert "https://lab.example.com/cases/" in email["html"] and "2026-00102" in email["html"]


def test_a_dentist_sees_only_their_own_practices_cases_and_can_turn_it_off(lab, week):
    CaseFactory(dentist=lab.dentist, practice=lab.other_practice, number="2026-00199", status=Status.RECEIVED)
    assert "2026-00199" not in weekly_recap_emails(week)[0]["text"]
    NotificationPreference.objects.create(user=lab.dentist, event="weekly_recap", channel="email", enabled=False)
    assert weekly_recap_emails(week) == []


def test_the_command_previews_with_dry_run_and_queues_without(lab, week, capsys):
    call_command("send_weekly_recap", "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run: 1 recap e-mail(s) would be sent; nothing was queued." in out and lab.dentist.email in out
    assert not OutgoingEmail.objects.exists()
    call_command("send_weekly_recap")
    assert list(OutgoingEmail.objects.values_list("kind", flat=True)) == ["weekly_recap"]


def test_the_scheduled_task_queues_the_recaps_and_schedules_next_week(lab, week, run_tasks, settings):
    from django_tasks_db.models import DBTaskResult

    from dentallab.models import ScheduledRun
    from notifications.recap import send_weekly_recaps

    DBTaskResult.objects.all().delete()
    ScheduledRun.objects.all().delete()  # as on a fresh database
    send_weekly_recaps.enqueue()
    run_tasks()  # the recap task, then the e-mail it queued
    assert OutgoingEmail.objects.get(kind="weekly_recap").status == "sent"
    [next_run] = DBTaskResult.objects.filter(task_path="notifications.recap.send_weekly_recaps", status="READY")
    assert timezone.localtime(next_run.run_after).weekday() == 4 and next_run.run_after > timezone.now()
