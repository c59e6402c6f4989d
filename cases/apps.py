from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from accounts import audit
        from cases import receivers  # noqa: F401  (connects the ship-by receivers)
        from cases.selectors import audit_case_labels

        audit.register_case_labeller(audit_case_labels)
