import datetime


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """`start` plus `days` working days (Monday-Friday); weekends are skipped."""
    current = start
    remaining = max(days, 0)
    while remaining:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
