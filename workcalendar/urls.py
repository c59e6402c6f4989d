from django.urls import path

from workcalendar import views

app_name = "workcalendar"

urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("closed-days/<int:pk>/delete/", views.closed_day_delete, name="closed_day_delete"),
]
