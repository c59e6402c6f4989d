"""Turnaround is counted by the one working-day function (reports.workdays.working_days_between),
the SQL included: it is the lab's calendar (closed days are read from the database)."""

import datetime

import pytest

from reports import workdays
from tests.factories import ManagerFactory
from tests.reports.helpers import PERIOD

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 11, 2), D(2026, 11, 6), 4),  # Monday → Friday: Tue, Wed, Thu, Fri
        (D(2026, 11, 6), D(2026, 11, 9), 1),  # Friday → Monday: the weekend does not count
        (D(2026, 11, 7), D(2026, 11, 8), 0),  # Saturday → Sunday
        (D(2026, 11, 9), D(2026, 11, 9), 0),  # same day
        (D(2026, 11, 9), D(2026, 11, 2), 0),  # backwards
    ],
)
@pytest.mark.django_db
def test_working_days_are_counted_in_start_exclusive_end_inclusive(start, end, expected):
    assert workdays.working_days_between(start, end) == expected


@pytest.mark.django_db
def test_running_counts_agree_with_the_function():
    counts = workdays.running_counts(D(2026, 11, 1), D(2026, 11, 30))
    assert len(counts) == 30
    assert counts[D(2026, 11, 16).toordinal() - D(2026, 11, 1).toordinal()] - counts[8] == 5  # (9 Nov, 16 Nov]


@pytest.mark.django_db
def test_the_labs_public_holidays_are_not_working_days(settings):
    settings.LAB_HOLIDAYS_COUNTRY = "US"
    assert workdays.working_days_between(D(2026, 11, 9), D(2026, 11, 16)) == 4  # Veterans Day, 11 Nov


@pytest.mark.django_db
@pytest.mark.postgres  # through the scorecard API: PostgreSQL SQL
def test_a_holiday_in_the_calendar_shortens_the_turnaround(client, period, monkeypatch):
    """Tuesday 3 November closed: case 1 (2 → 6 Nov) took 3 working days, not 4; Alpha's median
    of 3, 3, 5 is 3."""
    mon_to_fri = workdays.working_days_between

    def with_holiday(start, end):
        return mon_to_fri(start, end) - (1 if start < D(2026, 11, 3) <= end else 0)

    monkeypatch.setattr(workdays, "working_days_between", with_holiday)
    client.force_login(ManagerFactory())
    rows = {r["label"]: r for r in client.get("/api/reports/scorecard/", PERIOD).json()["rows"]}
    assert rows["Alpha Dental"]["median_turnaround_days"] == 3.0
