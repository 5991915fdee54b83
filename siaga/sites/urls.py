from django.urls import path

from siaga.sites import views

app_name = "sites"

urlpatterns = [
    path("tps/", views.tps_list, name="tps_list"),
    path("tps/<int:pk>/", views.tps_detail, name="tps_detail"),
    path("tps/<int:pk>/ubah/", views.tps_edit, name="tps_edit"),
    path("tps/impor/", views.tps_import, name="tps_import"),
    path("lokasi-khusus/", views.lokasi_khusus_types, name="lokasi_khusus_types"),
    path("lokasi-khusus/<int:pk>/", views.lokasi_khusus_type_edit, name="lokasi_khusus_type_edit"),
    path("objek-vital/", views.vital_object_list, name="vital_object_list"),
    path("objek-vital/<int:pk>/", views.vital_object_detail, name="vital_object_detail"),
    path("objek-vital/<int:pk>/ubah/", views.vital_object_edit, name="vital_object_edit"),
    path("peta/tps.json", views.tps_points, name="map_tps"),
    path("peta/objek-vital.geojson", views.vital_objects_geojson, name="map_vital_objects"),
]
