from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "files"
    verbose_name = "Files"

    def ready(self):
        from cases.signals import case_moved
        from files.receivers import require_design_file

        case_moved.connect(require_design_file, dispatch_uid="files.require_design_file")
