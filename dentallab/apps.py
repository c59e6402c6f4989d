from django.apps import AppConfig


class DentalLabConfig(AppConfig):
    name = "dentallab"
    verbose_name = "DentalLab"

    def ready(self):
        from dentallab import checks  # noqa: F401  (registers the system checks)
