"""Writes to the working calendar: one transaction each, every rule checked here."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.policy import ensure
from workcalendar import policy
from workcalendar.calendar import forget_closed_days, lab_today
from workcalendar.exceptions import ClosedDayInPast
from workcalendar.models import ClosedDay
from workcalendar.signals import closed_days_changed

REASON_MAX_LENGTH = ClosedDay._meta.get_field("reason").max_length
MAX_DAYS_AHEAD = 2 * 366


@transaction.atomic
def add_closed_day(*, actor: User, date: datetime.date | None, reason: str, request=None) -> ClosedDay:
    """Close the lab on `date` (today or later) for `reason`. Every date planned after it moves."""
    ensure(policy.can_manage_closed_days(actor), "Only managers close the lab for a day.")
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["Say why the lab is closed (e.g. stocktaking, staff training)."]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [f"Keep the reason under {REASON_MAX_LENGTH} characters."]
    if date is None:
        errors["date"] = ["Enter the date the lab is closed."]
    elif date < lab_today():
        errors["date"] = [f"{date:%d %b %Y} has passed: only today or a later day can be closed."]
    elif date > lab_today() + datetime.timedelta(days=MAX_DAYS_AHEAD):
        errors["date"] = ["Close days at most two years ahead."]
    elif ClosedDay.objects.filter(date=date).exists():
        errors["date"] = [f"The lab is already closed on {date:%d %b %Y}."]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            closed = ClosedDay.objects.create(date=date, reason=reason, created_by=actor)
    except IntegrityError:  # added by someone else a moment ago
        raise ValidationError({"date": [f"The lab is already closed on {date:%d %b %Y}."]}) from None
    forget_closed_days()
    closed_days_changed.send(sender=ClosedDay, day=date, actor=actor)
    return closed


@transaction.atomic
def remove_closed_day(*, actor: User, closed_day: ClosedDay, request=None) -> None:
    """Open the lab again on a closed day that has not passed yet."""
    ensure(policy.can_manage_closed_days(actor), "Only managers change the lab's closed days.")
    if closed_day.date < lab_today():
        raise ClosedDayInPast(f"{closed_day.date:%d %b %Y} has passed: it stays in the calendar.", field="date")
    day = closed_day.date
    ClosedDay.objects.filter(pk=closed_day.pk).delete()
    forget_closed_days()
    closed_days_changed.send(sender=ClosedDay, day=day, actor=actor)
