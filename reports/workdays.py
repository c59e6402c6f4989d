"""The one working-day function reports use (DESIGN §12, §17): the lab's calendar.

`working_days_between` is the only place reports count working days; it is
`workcalendar.calendar.working_days_between` (working weekdays, public holidays, closed days).
The SQL reads a table of running counts built from it, so the figures and the SQL agree.
"""

import datetime

from workcalendar import calendar

ONE_DAY = datetime.timedelta(days=1)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end]: a case received on Monday and shipped on Tuesday took 1."""
    if end <= start:
        return 0
    return calendar.working_days_between(start, end)


def running_counts(first: datetime.date, last: datetime.date) -> list[int]:
    """counts[i] = working days in (first, first + i] for every day from `first` to `last`, so the
    working days between two days of that span are counts[b] - counts[a] (an array lookup in SQL).
    Built one day at a time from `working_days_between`, with the closed days read once."""
    counts = [0]
    day = first
    with calendar.calendar_scope():
        while day < last:
            counts.append(counts[-1] + working_days_between(day, day + ONE_DAY))
            day += ONE_DAY
    return counts
