from django.urls import path

from traceability import views

app_name = "traceability"

urlpatterns = [
    path("traceability/materials/", views.material_list, name="materials"),
    path("traceability/materials/new/", views.material_create, name="material_create"),
    path("traceability/materials/<int:pk>/", views.material_edit, name="material_edit"),
    path("traceability/lots/", views.lot_list, name="lots"),
    path("traceability/lots/new/", views.lot_create, name="lot_create"),
    path("traceability/lots/<int:pk>/", views.lot_detail, name="lot_detail"),
    path("traceability/lots/<int:pk>/status/", views.lot_status, name="lot_status"),
    path("traceability/lots/<int:pk>/recall.csv", views.lot_recall_csv, name="lot_recall_csv"),
    path("traceability/lots/<int:pk>/certificate/", views.lot_certificate, name="lot_certificate"),
    path("traceability/cases/<int:case_id>/lots/", views.case_lot_add, name="case_lot_add"),
    path("traceability/usages/<int:pk>/remove/", views.usage_remove, name="usage_remove"),
    path("traceability/cases/<int:case_id>/declaration/", views.case_declaration, name="case_declaration"),
    path(
        "traceability/cases/<int:case_id>/statement/regenerate/",
        views.statement_regenerate,
        name="statement_regenerate",
    ),
    path("lab-profile/", views.lab_profile, name="lab_profile"),
]
