from django.urls import path

from traceability import api

app_name = "traceability_api"

urlpatterns = [
    path("materials/", api.MaterialListView.as_view(), name="materials"),
    path("lots/", api.LotListView.as_view(), name="lots"),
    path("lots/<int:lot_id>/cases/", api.LotCasesView.as_view(), name="lot_cases"),
    path("gs1/parse/", api.GS1ParseView.as_view(), name="gs1_parse"),
    path("cases/<int:case_id>/lots/", api.CaseLotsView.as_view(), name="case_lots"),
    path("cases/<int:case_id>/statement/", api.CaseStatementView.as_view(), name="case_statement"),
]
