from django.urls import path

from siaga.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("baru/", views.new_incident, name="new"),
    path("lapor-lapangan/", views.field_report, name="field_report"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/aksi/", views.action, name="action"),
    path("foto/<str:name>", views.photo, name="photo"),
    path("unit/", views.unit_list, name="unit_list"),
    path("unit/<int:pk>/status/", views.unit_action, name="unit_action"),
    path("waktu-respons/", views.response_times, name="response_times"),
    path("peta/kejadian.geojson", views.map_incidents, name="map_incidents"),
    path("peta/unit.geojson", views.map_units, name="map_units"),
]
