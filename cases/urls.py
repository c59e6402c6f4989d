from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.csv", views.case_export, name="export"),
    path("new/", views.case_create, name="create"),
    path("due-date/", views.due_date_suggestion, name="due-date"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/move/", views.case_move, name="move"),
    path("<int:pk>/notes/", views.case_note, name="note"),
    path("<int:pk>/assign/", views.case_assign, name="assign"),
    path("<int:pk>/remake/", views.case_remake, name="remake"),
    path("<int:pk>/ticket/", views.case_ticket, name="ticket"),
]
