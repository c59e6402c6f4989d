from django.urls import path

from shipping import views

app_name = "shipping"

urlpatterns = [
    path("ship/", views.ship, name="ship"),
    path("manifest/", views.manifest, name="manifest"),
    path("pickups/", views.pickups, name="pickups"),
    path("pickups/<int:pk>/done/", views.pickup_done, name="pickup_done"),
]
