from django.urls import path, register_converter

from dataio import views


class _Format:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class _Kind:
    regex = "practices|dentists|products"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(_Format, "tableformat")
register_converter(_Kind, "importkind")

app_name = "dataio"

urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<importkind:kind>/template.<tableformat:fmt>", views.template, name="template"),
]
