"""The dentist's (and technician's) own scorecard on the dashboard, through PAGE_PANELS."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Case
from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db


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
