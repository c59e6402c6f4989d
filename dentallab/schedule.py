"""Periodic tasks (the weekly recap) on any task backend, without a scheduler process.

An app registers a task with the function that gives its next due time:

    schedule.register("weekly_recap", send_weekly_recaps, next_due=next_friday_afternoon)

`ensure_scheduled()` enqueues each registered task's next run with `run_after=due`, once: the
`ScheduledRun` row (name, due) is unique, so calling it again, from anywhere, changes nothing. It
is called after `migrate` (every deploy), by the Vercel cron endpoint, and by each periodic task
when it starts (so the following run is enqueued before this one does its work).
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from dentallab.models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: object  # a django_tasks Task
    next_due: Callable[[datetime.datetime], datetime.datetime]


PERIODIC: dict[str, Periodic] = {}


def register(name: str, task, *, next_due: Callable[[datetime.datetime], datetime.datetime]) -> None:
    PERIODIC[name] = Periodic(name=name, task=task, next_due=next_due)


def ensure_scheduled(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue the next run of every periodic task that is not enqueued yet; the names of those
    enqueued now."""
    now = now or timezone.now()
    enqueued = []
    for periodic in PERIODIC.values():
        due = periodic.next_due(now)
        try:
            with transaction.atomic():
                _, created = ScheduledRun.objects.get_or_create(name=periodic.name, due_at=due)
                if created:
                    periodic.task.using(run_after=due).enqueue()
        except IntegrityError:  # someone else enqueued it at the same moment
            continue
        if created:
            enqueued.append(periodic.name)
            logger.info("scheduled %s for %s", periodic.name, due.isoformat())
    return enqueued
