from django.urls import path

from siaga.posko import views

app_name = "posko"

urlpatterns = [
    path("", views.board, name="board"),
    path("peringatan/", views.alert_list, name="alert_list"),
    path("peringatan/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("peringatan/<int:pk>/terima/", views.alert_acknowledge, name="alert_acknowledge"),
    path("peringatan/<int:pk>/tutup/", views.alert_close, name="alert_close"),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/dibaca/", views.notification_read, name="notifications_read"),
    path("jurnal/", views.journal, name="journal"),
    path("tamu/", views.visitors, name="visitors"),
    path("tamu/<int:pk>/keluar/", views.visitor_out, name="visitor_out"),
    path("cctv/", views.camera_list, name="camera_list"),
    path("cctv/baru/", views.camera_edit, name="camera_create"),
    path("cctv/<int:pk>/ubah/", views.camera_edit, name="camera_edit"),
    path("peta/peringatan.geojson", views.map_alerts, name="map_alerts"),
    path("peta/cctv.geojson", views.map_cameras, name="map_cameras"),
]
