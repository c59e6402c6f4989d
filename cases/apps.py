from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self):
        from accounts import audit
        from cases.selectors import audit_case_labels

        audit.register_case_labeller(audit_case_labels)
