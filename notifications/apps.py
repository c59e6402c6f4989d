from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from dentallab import schedule
        from notifications import receivers  # noqa: F401  (case moves and notes → notifications)
        from notifications.recap import next_recap_due, send_weekly_recaps

        schedule.register("weekly_recap", send_weekly_recaps, next_due=next_recap_due)
