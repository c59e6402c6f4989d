import logging

from django.apps import AppConfig
from django.db import DatabaseError
from django.db.models.signals import post_migrate

logger = logging.getLogger(__name__)


def _schedule_periodic_tasks(sender, **kwargs):
    """Every deploy migrates: make sure each periodic task's next run is enqueued (once)."""
    from dentallab import schedule

    try:
        schedule.ensure_scheduled()
    except DatabaseError:  # migrating backwards: the tables may not be there
        logger.warning("periodic tasks not scheduled: the task tables are not migrated")


class DentalLabConfig(AppConfig):
    name = "dentallab"
    verbose_name = "DentalLab"

    def ready(self):
        from dentallab import checks, fastload  # noqa: F401  (checks registers the system checks)

        fastload.install()
        fastload.install_timestamp_loader()

        post_migrate.connect(_schedule_periodic_tasks, sender=self, dispatch_uid="dentallab-schedule")
