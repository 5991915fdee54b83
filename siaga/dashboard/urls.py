from django.urls import path

from siaga.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.command_map, name="map"),
]
