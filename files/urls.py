from django.urls import path

from files import views

app_name = "files"

urlpatterns = [
    path("cases/<int:case_id>/files/", views.case_files, name="case_files"),
    path("cases/<int:case_id>/files/list/", views.case_files_list, name="case_files_list"),
]
