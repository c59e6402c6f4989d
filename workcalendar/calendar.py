"""The one working-day calendar (DESIGN §12): every date in the app goes through these functions.

A working day is a working weekday (LAB_WORKING_WEEKDAYS, ISO 1 = Monday … 7 = Sunday, default
Monday-Friday) that is neither a public holiday of LAB_HOLIDAYS_COUNTRY / LAB_HOLIDAYS_SUBDIV
(the `holidays` package) nor a ClosedDay a manager added.

Closed days are read with one query and remembered for the rest of the request (the middleware
opens a scope per request; `calendar_scope()` does the same for commands and bulk jobs). Outside a
scope each public call reads them once. Adding or removing a closed day forgets the remembered set,
so it takes effect at once. Public holidays are computed in memory, once per process and year.
"""

import contextlib
import datetime
from collections.abc import Iterator
from contextvars import ContextVar

from django.utils import timezone

from workcalendar import conf

# Longest stretch without a single working day that is believed (a misconfiguration otherwise).
_MAX_SCAN_DAYS = 366 * 2

_scope: ContextVar[dict | None] = ContextVar("workcalendar_scope", default=None)


def lab_today() -> datetime.date:
    """Today in the lab's TIME_ZONE (not the signed-in user's, not UTC)."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


# --- closed days ---------------------------------------------------------------------------------


def _load_closed_days() -> frozenset[datetime.date]:
    from workcalendar.models import ClosedDay

    return frozenset(ClosedDay.objects.values_list("date", flat=True))


def _closed_days() -> frozenset[datetime.date]:
    memo = _scope.get()
    if memo is None:
        return _load_closed_days()
    if "closed" not in memo:
        memo["closed"] = _load_closed_days()
    return memo["closed"]


def forget_closed_days(**_kwargs) -> None:
    """Drop the remembered closed days (called when one is added or removed)."""
    memo = _scope.get()
    if memo is not None:
        memo.pop("closed", None)


@contextlib.contextmanager
def calendar_scope() -> Iterator[None]:
    """Read closed days at most once inside the block (a request, a command, a bulk job)."""
    if _scope.get() is not None:
        yield
        return
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


# --- the rule ------------------------------------------------------------------------------------


class _Rule:
    """The working-day rule with its inputs fetched once for one public call."""

    __slots__ = ("weekdays", "holidays", "closed")

    def __init__(self) -> None:
        self.weekdays = conf.working_weekdays()
        self.holidays = conf.public_holidays(conf.country(), conf.subdiv())
        self.closed = _closed_days()

    def __call__(self, day: datetime.date) -> bool:
        return day.weekday() in self.weekdays and day not in self.closed and day not in self.holidays

    def step(self, day: datetime.date, direction: int) -> datetime.date:
        """The next (direction 1) or previous (-1) working day strictly after/before `day`."""
        one = datetime.timedelta(days=direction)
        for _ in range(_MAX_SCAN_DAYS):
            day += one
            if self(day):
                return day
        raise RuntimeError("No working day within two years: check LAB_WORKING_WEEKDAYS and the closed days.")


def is_working_day(day: datetime.date) -> bool:
    """A working weekday that is neither a public holiday nor a closed day."""
    return _Rule()(day)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (n = 0: `start` itself if working, else the next one)."""
    if n < 0:
        return subtract_working_days(start, -n)
    rule = _Rule()
    if n == 0:
        return start if rule(start) else rule.step(start, 1)
    day = start
    for _ in range(n):
        day = rule.step(day, 1)
    return day


def subtract_working_days(end: datetime.date, n: int) -> datetime.date:
    """The n-th working day before `end` (n = 0: `end` itself if working, else the previous one)."""
    if n < 0:
        return add_working_days(end, -n)
    rule = _Rule()
    if n == 0:
        return end if rule(end) else rule.step(end, -1)
    day = end
    for _ in range(n):
        day = rule.step(day, -1)
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end]; negative (the count in (end, start]) when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    rule = _Rule()
    count = 0
    day = start
    one = datetime.timedelta(days=1)
    while day < end:
        day += one
        if rule(day):
            count += 1
    return count


def working_days(start: datetime.date, count: int) -> list[datetime.date]:
    """The next `count` working days from `start` (`start` included when it is a working day)."""
    if count <= 0:
        return []
    rule = _Rule()
    day = start if rule(start) else rule.step(start, 1)
    days = [day]
    while len(days) < count:
        day = rule.step(day, 1)
        days.append(day)
    return days


def holiday_name(day: datetime.date) -> str | None:
    """The public holiday's name on `day`, or None."""
    return conf.public_holidays(conf.country(), conf.subdiv()).get(day)


def public_holidays_between(start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, str]]:
    """Public holidays in [start, end], in date order, as (date, name)."""
    cal = conf.public_holidays(conf.country(), conf.subdiv())
    days = []
    day = start
    one = datetime.timedelta(days=1)
    while day <= end:
        name = cal.get(day)
        if name:
            days.append((day, name))
        day += one
    return days
