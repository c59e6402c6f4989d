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

        from django.conf import settings

        if settings.MONTHLY_STATEMENT_DAY:
            from billing.statement_run import next_statement_due, send_last_months_statements
            from dentallab import schedule

            schedule.register("monthly_statements", send_last_months_statements, next_due=next_statement_due)
