"""The one working-day function reports use (DESIGN §12, §17).

`working_days_between` is the only place reports count working days. Until the lab's calendar
(`workcalendar.calendar.working_days_between`: weekdays, public holidays, closed days) is merged,
it counts Monday-Friday like cases/workdays.py; pointing it at workcalendar changes every figure
at once, the SQL included, because the SQL reads a table of running counts built from it.
"""

import datetime

ONE_DAY = datetime.timedelta(days=1)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days in (start, end]: a case received on Monday and shipped on Tuesday took 1."""
    if end <= start:
        return 0
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if day.weekday() < 5:
            count += 1
    return count


def running_counts(first: datetime.date, last: datetime.date) -> list[int]:
    """counts[i] = working days in (first, first + i] for every day from `first` to `last`, so the
    working days between two days of that span are counts[b] - counts[a] (an array lookup in SQL).
    Built one day at a time from `working_days_between`: len(span) calls, each about one day."""
    counts = [0]
    day = first
    while day < last:
        counts.append(counts[-1] + working_days_between(day, day + ONE_DAY))
        day += ONE_DAY
    return counts
