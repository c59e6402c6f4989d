from django.apps import AppConfig


class WorkCalendarConfig(AppConfig):
    name = "workcalendar"
    verbose_name = "Working calendar"

    def ready(self) -> None:
        from workcalendar.conf import validate_settings

        validate_settings()

        from django.db.models.signals import post_delete, post_save

        from workcalendar.calendar import forget_closed_days
        from workcalendar.models import ClosedDay

        post_save.connect(forget_closed_days, sender=ClosedDay, dispatch_uid="workcalendar-forget-save")
        post_delete.connect(forget_closed_days, sender=ClosedDay, dispatch_uid="workcalendar-forget-delete")
