from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self):
        from billing.services import on_case_moved
        from cases.signals import case_moved

        # The invoice is issued inside the `shipped` move's transaction; a lab-responsibility remake
        # credits the original's invoice when it is submitted (cases.signals).
        case_moved.connect(on_case_moved, dispatch_uid="billing.on_case_moved")
