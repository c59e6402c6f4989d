"""The dentist's (and technician's) own scorecard on the dashboard, through PAGE_PANELS."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Case
from tests.factories import ManagerFactory

# The scorecard is PostgreSQL SQL (reports.selectors.scorecard answers 503 elsewhere).
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _into_last_weeks():
    """Move the hand-worked period into the last 12 weeks (the panel's period)."""
    days = (timezone.localdate() - datetime.date(2026, 11, 30)).days // 7 * 7  # whole weeks: weekdays stay
    shift = datetime.timedelta(days=days)
    for case in Case.objects.all():
        for field in ("received_at", "shipped_at"):
            if getattr(case, field):
                setattr(case, field, getattr(case, field) + shift)
        for field in ("ship_by", "due_date"):
            if getattr(case, field):
                setattr(case, field, getattr(case, field) + shift)
        case.save()


def test_a_dentist_sees_their_practice_scorecard(client, period):
    _into_last_weeks()
    client.force_login(period["dentist_a"])
    html = client.get("/").content.decode()
    assert 'data-testid="own-scorecard"' in html
    assert "Scorecard · Alpha Dental" in html
    assert "66.7%" in html  # 2 of Alpha's 3 shipped cases on time; Beta's case is not theirs


def test_a_technician_sees_their_own_cases(client, period):
    _into_last_weeks()
    client.force_login(period["tech"])
    html = client.get("/").content.decode()
    assert "Scorecard · Your cases" in html and "50.0%" in html


def test_a_manager_has_no_panel(client, period):
    client.force_login(ManagerFactory())
    assert 'data-testid="own-scorecard"' not in client.get("/").content.decode()


def test_a_technician_sees_the_steps_they_finished_per_week(client, period):
    from production.models import CaseStep, Department, StepStatus

    department = Department.objects.create(name="Milling", daily_capacity=10)
    now = timezone.now()
    case = Case.objects.first()
    tech = period["tech"]
    rows = [(0, tech, "done"), (1, tech, "done"), (7, tech, "done"), (0, tech, "in_progress"), (0, None, "done"),
            (200, tech, "done")]  # fmt: skip
    for days_ago, who, status in rows:
        CaseStep.objects.create(
            case=case, department=department, name="Mill", position=1, technician=who, status=status,
            finished_at=now - datetime.timedelta(days=days_ago) if status == StepStatus.DONE else None,
        )  # fmt: skip
    client.force_login(period["tech"])
    html = client.get("/").content.decode()
    assert 'data-testid="own-steps-chart"' in html and 'id="chart-own-steps-title"' in html
    figures = html.split("Steps done</dt>", 1)[1]
    assert (
        '<span class="fs-4 fw-semibold">3</span>' in figures[:200]
    )  # theirs, done, in the 12 weeks: not the running one, another's or older


def test_the_technicians_steps_take_one_query_whatever_their_number(period):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from production.models import CaseStep, Department
    from production.selectors import steps_done_by_week
    from reports.selectors import parse_filters

    department = Department.objects.create(name="Milling", daily_capacity=10)
    filters = parse_filters(period["tech"], {})
    for n in range(5):
        CaseStep.objects.create(
            case=Case.objects.first(), department=department, name="Mill", position=n, technician=period["tech"],
            status="done", finished_at=timezone.now(),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        weeks = steps_done_by_week(period["tech"], filters.weeks(), filters.date_to)
    assert len(queries) == 1 and len(weeks) == 12 and weeks[-1]["steps"] == 5 and sum(w["steps"] for w in weeks) == 5
