from django.urls import path

from files import api

app_name = "files_api"

urlpatterns = [
    path("cases/<int:case_id>/files/", api.CaseFilesView.as_view(), name="case_files"),
    path("cases/<int:case_id>/uploads/", api.UploadPlanView.as_view(), name="upload_plan"),
    path("files/<int:file_id>/", api.FileDetailView.as_view(), name="detail"),
    path("files/<int:file_id>/complete/", api.CompleteView.as_view(), name="complete"),
    path("files/<int:file_id>/download/", api.DownloadView.as_view(), name="download"),
]
