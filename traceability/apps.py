from django.apps import AppConfig


class TraceabilityConfig(AppConfig):
    name = "traceability"
    verbose_name = "Traceability"

    def ready(self):
        from cases.signals import case_moved
        from traceability.services import on_case_moved

        # Leaving quality check needs a lot on every traceable item, and issues the statement of
        # manufacture inside the move's transaction (cases.signals).
        case_moved.connect(on_case_moved, dispatch_uid="traceability.on_case_moved")
