from django.urls import path

from production import api

app_name = "production_api"

urlpatterns = [
    path("departments/", api.DepartmentListView.as_view(), name="departments"),
    path("cases/<int:case_id>/steps/", api.CaseStepsView.as_view(), name="case_steps"),
    path("cases/<int:case_id>/qc/", api.CaseQCView.as_view(), name="case_qc"),
    path("steps/", api.StepListView.as_view(), name="steps"),
    path("steps/<int:pk>/start/", api.StepStartView.as_view(), name="step_start"),
    path("steps/<int:pk>/finish/", api.StepFinishView.as_view(), name="step_finish"),
]
