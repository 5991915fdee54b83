from django.urls import path

from siaga.territory import views

app_name = "territory"

urlpatterns = [
    path("kecamatan/", views.kecamatan_list, name="kecamatan_list"),
    path("kecamatan/<int:pk>/", views.kecamatan_detail, name="kecamatan_detail"),
    path("desa/", views.desa_list, name="desa_list"),
    path("desa/<int:pk>/", views.desa_detail, name="desa_detail"),
    path("satuan/", views.police_unit_list, name="police_unit_list"),
    path("satuan/<int:pk>/", views.police_unit_detail, name="police_unit_detail"),
    path("impor/", views.territory_import, name="import"),
    path("peta/kabupaten.geojson", views.kabupaten_geojson, name="map_kabupaten"),
    path("peta/kecamatan.geojson", views.kecamatan_geojson, name="map_kecamatan"),
    path("peta/desa.geojson", views.desa_geojson, name="map_desa"),
    path("peta/satuan.geojson", views.police_units_geojson, name="map_police_units"),
]
