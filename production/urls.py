from django.urls import path

from production import views

app_name = "production"

urlpatterns = [
    path("production/", views.board, name="board"),
    path("production/load/", views.load, name="load"),
    path("production/departments/", views.department_list, name="departments"),
    path("production/departments/new/", views.department_create, name="department_create"),
    path("production/departments/<int:pk>/", views.department_edit, name="department_edit"),
    path("production/routing/", views.routing_list, name="routings"),
    path("production/routing/<int:product_id>/", views.routing_edit, name="routing_edit"),
    path("production/qc/", views.qc_items, name="qc_items"),
    path("production/qc/<int:pk>/remove/", views.qc_item_remove, name="qc_item_remove"),
    path("production/steps/<int:pk>/start/", views.step_start, name="step_start"),
    path("production/steps/<int:pk>/finish/", views.step_finish, name="step_finish"),
    path("production/cases/<int:case_id>/qc/", views.case_qc, name="case_qc"),
    path("bench/", views.bench, name="bench"),
    path("scan/", views.scan, name="scan"),
]
