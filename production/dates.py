"""The working-day calendar as production uses it: `workcalendar.calendar` (the one calendar of
DESIGN §12) and the few walks the planner needs on top of it."""

import datetime

from workcalendar.calendar import (
    add_working_days,
    calendar_scope,
    is_working_day,
    lab_today,
    subtract_working_days,
    working_days,
)

__all__ = [
    "add_working_days",
    "calendar_scope",
    "is_working_day",
    "lab_today",
    "next_working_days",
    "on_or_before",
    "previous_working_day",
]


def on_or_before(day: datetime.date) -> datetime.date:
    """`day` if the lab works then, else the working day before it."""
    return subtract_working_days(day, 0)


def previous_working_day(day: datetime.date) -> datetime.date:
    return subtract_working_days(day, 1)


def next_working_days(start: datetime.date, count: int) -> list[datetime.date]:
    """`count` working days from `start` (start itself when the lab works that day)."""
    return working_days(start, count)
