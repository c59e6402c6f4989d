"""The working-day calendar against real public holidays (the `holidays` package) and closed days."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from workcalendar import calendar as cal
from workcalendar.conf import validate_settings
from workcalendar.models import ClosedDay

D = datetime.date
pytestmark = pytest.mark.django_db


def test_weekends_are_not_working_days():
    assert cal.is_working_day(D(2026, 12, 7))  # Monday
    assert not cal.is_working_day(D(2026, 12, 5))  # Saturday
    assert not cal.is_working_day(D(2026, 12, 6))  # Sunday


def test_us_thanksgiving_is_skipped():
    assert not cal.is_working_day(D(2026, 11, 26))
    assert cal.add_working_days(D(2026, 11, 25), 1) == D(2026, 11, 27)
    assert cal.add_working_days(D(2026, 11, 25), 2) == D(2026, 11, 30)
    assert cal.subtract_working_days(D(2026, 11, 27), 1) == D(2026, 11, 25)


def test_a_closed_day_is_skipped_at_once():
    assert cal.add_working_days(D(2026, 12, 7), 1) == D(2026, 12, 8)
    ClosedDay.objects.create(date=D(2026, 12, 8), reason="Stocktaking")
    assert not cal.is_working_day(D(2026, 12, 8))
    assert cal.add_working_days(D(2026, 12, 7), 1) == D(2026, 12, 9)


def test_a_closed_day_takes_effect_inside_a_scope(django_assert_num_queries):
    with cal.calendar_scope():
        with django_assert_num_queries(1):
            for n in range(30):
                cal.add_working_days(D(2026, 12, 1), n)
        ClosedDay.objects.create(date=D(2026, 12, 2), reason="Training")
        assert cal.add_working_days(D(2026, 12, 1), 1) == D(2026, 12, 3)


def test_easter_monday_in_england(settings):
    settings.LAB_HOLIDAYS_COUNTRY = "GB"
    settings.LAB_HOLIDAYS_SUBDIV = "ENG"
    assert not cal.is_working_day(D(2026, 4, 6))  # Easter Monday
    assert not cal.is_working_day(D(2026, 4, 3))  # Good Friday
    assert cal.add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    assert cal.is_working_day(D(2026, 11, 26))  # no Thanksgiving in England
    assert cal.holiday_name(D(2026, 4, 6)) == "Easter Monday"


def test_zero_days_means_the_day_itself_or_the_nearest_working_day():
    assert cal.add_working_days(D(2026, 12, 7), 0) == D(2026, 12, 7)
    assert cal.add_working_days(D(2026, 12, 5), 0) == D(2026, 12, 7)
    assert cal.subtract_working_days(D(2026, 12, 6), 0) == D(2026, 12, 4)
    assert cal.subtract_working_days(D(2026, 12, 4), 0) == D(2026, 12, 4)


def test_working_days_between_counts_the_half_open_interval():
    assert cal.working_days_between(D(2026, 11, 20), D(2026, 11, 30)) == 5
    assert cal.working_days_between(D(2026, 12, 7), D(2026, 12, 7)) == 0
    assert cal.working_days_between(D(2026, 11, 30), D(2026, 11, 20)) == -5


def test_working_days_lists_the_next_ones():
    assert cal.working_days(D(2026, 11, 26), 3) == [D(2026, 11, 27), D(2026, 11, 30), D(2026, 12, 1)]
    assert cal.working_days(D(2026, 11, 27), 2) == [D(2026, 11, 27), D(2026, 11, 30)]
    assert cal.working_days(D(2026, 11, 27), 0) == []


def test_working_weekdays_setting(settings):
    settings.LAB_WORKING_WEEKDAYS = "1,2,3,4,5,6"
    assert cal.is_working_day(D(2026, 12, 5))  # Saturday
    assert not cal.is_working_day(D(2026, 12, 6))


@pytest.mark.parametrize(
    "name,value",
    [
        ("LAB_HOLIDAYS_COUNTRY", "XX"),
        ("LAB_HOLIDAYS_COUNTRY", ""),
        ("LAB_HOLIDAYS_SUBDIV", "ZZ"),
        ("LAB_WORKING_WEEKDAYS", "0,1"),
        ("LAB_WORKING_WEEKDAYS", "mon"),
        ("LAB_WORKING_WEEKDAYS", ""),
    ],
)
def test_bad_settings_refuse_to_start(settings, name, value):
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured):
        validate_settings()


def test_lab_today_uses_the_lab_time_zone(settings, monkeypatch):
    from django.utils import timezone

    settings.TIME_ZONE = "Pacific/Auckland"
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.UTC))
    assert cal.lab_today() == D(2026, 12, 8)
