from django.urls import path

from reports import api

app_name = "reports_api"

urlpatterns = [
    path("reports/scorecard/", api.ScorecardView.as_view(), name="scorecard"),
]
