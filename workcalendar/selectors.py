"""Reads of the working calendar for pages and the API."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from workcalendar import policy
from workcalendar.calendar import lab_today, public_holidays_between
from workcalendar.models import ClosedDay


def closed_days_for(user, *, start: datetime.date | None = None, end: datetime.date | None = None):
    """Closed days (dates in [start, end] when given); lab staff only (403 otherwise)."""
    if not policy.can_view_calendar(user):
        raise PermissionDenied("The lab's calendar is for lab staff.")
    queryset = ClosedDay.objects.select_related("created_by").order_by("date")
    if start:
        queryset = queryset.filter(date__gte=start)
    if end:
        queryset = queryset.filter(date__lte=end)
    return queryset


def get_closed_day_for_write(user, pk: int) -> ClosedDay:
    if not policy.can_manage_closed_days(user):
        raise PermissionDenied("Only managers change the lab's closed days.")
    try:
        return ClosedDay.objects.get(pk=pk)
    except ClosedDay.DoesNotExist:
        raise Http404("No such closed day.") from None


@dataclass
class DayOff:
    date: datetime.date
    label: str
    kind: str  # "closed" or "holiday"
    closed_day: ClosedDay | None = None


def days_off_ahead(user, *, weeks: int = 12) -> tuple[datetime.date, datetime.date, list[DayOff]]:
    """Closed days and public holidays from today for `weeks` weeks, in date order (one query)."""
    start = lab_today()
    end = start + datetime.timedelta(weeks=weeks)
    closed = {c.date: c for c in closed_days_for(user, start=start, end=end)}
    days = [DayOff(date=d, label=c.reason, kind="closed", closed_day=c) for d, c in closed.items()]
    days += [DayOff(date=d, label=name, kind="holiday") for d, name in public_holidays_between(start, end)]
    days.sort(key=lambda day: (day.date, day.kind))
    return start, end, days
