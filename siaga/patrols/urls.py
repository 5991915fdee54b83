from django.urls import path

from siaga.patrols import views

app_name = "patrols"

urlpatterns = [
    path("", views.index, name="index"),
    path("titik/", views.point_list, name="point_list"),
    path("titik/baru/", views.point_edit, name="point_create"),
    path("titik/<int:pk>/", views.point_detail, name="point_detail"),
    path("titik/<int:pk>/ubah/", views.point_edit, name="point_edit"),
    path("unit/", views.unit_list, name="unit_list"),
    path("rencana/baru/", views.plan_create, name="plan_create"),
    path("rencana/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("hari/<int:pk>/", views.day_detail, name="day_detail"),
    path("hari/<int:pk>/laporan.pdf", views.day_pdf, name="day_pdf"),
    path("absen/", views.check_in, name="check_in"),
    path("absen/daftar/", views.checkin_list, name="checkin_list"),
    path("absen/<int:pk>/foto.jpg", views.checkin_photo, name="checkin_photo"),
    path("peta/titik.geojson", views.map_points, name="map_points"),
    path("peta/cakupan.geojson", views.map_heat, name="map_heat"),
]
