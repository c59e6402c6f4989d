"""The working-day calendar as production sees it: `workcalendar.calendar` when installed (the one
calendar of DESIGN §12), else Monday to Friday."""

import datetime

from django.utils import timezone

try:  # pragma: no cover - which branch runs depends on whether workcalendar is merged
    from workcalendar.calendar import add_working_days, is_working_day, lab_today, subtract_working_days
except ImportError:  # pragma: no cover

    def lab_today() -> datetime.date:
        return timezone.localdate()

    def is_working_day(day: datetime.date) -> bool:
        return day.weekday() < 5

    def add_working_days(start: datetime.date, n: int) -> datetime.date:
        day, left = start, max(n, 0)
        while left:
            day += datetime.timedelta(days=1)
            if is_working_day(day):
                left -= 1
        return day

    def subtract_working_days(end: datetime.date, n: int) -> datetime.date:
        day, left = end, max(n, 0)
        while left:
            day -= datetime.timedelta(days=1)
            if is_working_day(day):
                left -= 1
        return day


__all__ = [
    "add_working_days",
    "is_working_day",
    "lab_today",
    "next_working_days",
    "on_or_before",
    "previous_working_day",
]


def on_or_before(day: datetime.date) -> datetime.date:
    """`day` if the lab works then, else the working day before it."""
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def previous_working_day(day: datetime.date) -> datetime.date:
    return subtract_working_days(day, 1)


def next_working_days(start: datetime.date, count: int) -> list[datetime.date]:
    """`count` working days from `start` (start itself when the lab works that day)."""
    days, day = [], start
    while len(days) < count:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days
