from django.urls import path

from dataio import api

app_name = "dataio_api"

urlpatterns = [
    path("import/<slug:kind>/", api.ImportView.as_view(), name="import"),
    path("export/all.zip", api.ExportZipView.as_view(), name="export_zip"),
    path("export/<slug:kind>.csv", api.ExportCsvView.as_view(), name="export_csv"),
]
