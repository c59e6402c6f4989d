from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.reports_page, name="page"),
    path("reports/<slug:section>.csv", views.section_csv, name="section_csv"),
]
