from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "production"
    verbose_name = "Production floor"

    def ready(self):
        from cases.signals import case_dates_changed, case_moved
        from production.services import on_case_dates_changed, on_case_moved

        # Steps are created and planned when a case is received, re-planned on resume, cancelled with
        # the case; leaving quality check for shipped needs every QC item ticked (cases.signals).
        case_moved.connect(on_case_moved, dispatch_uid="production.on_case_moved")
        # A due date edited after receipt, or ship-by moved by transit days or closed days: the steps
        # not yet started are planned again against the new date.
        case_dates_changed.connect(on_case_dates_changed, dispatch_uid="production.on_case_dates_changed")
