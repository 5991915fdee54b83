from django.urls import path

from siaga.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("baru/", views.event_edit, name="create"),
    path("impor/", views.event_import, name="import"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/ubah/", views.event_edit, name="edit"),
    path("<int:pk>/rencana/", views.plan_build, name="plan_build"),
    path("<int:pk>/isi/", views.plan_fill, name="plan_fill"),
    path("<int:pk>/sektor/", views.sector_add, name="sector_add"),
    path("<int:pk>/personel/", views.assign, name="assign"),
    path("<int:pk>/personel/<int:assignment_id>/hapus/", views.unassign, name="unassign"),
    path("<int:pk>/hadir/<int:assignment_id>/", views.check_in, name="check_in"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/laporan/", views.after_action, name="after_action"),
    path("<int:pk>/sttp.pdf", views.sttp_pdf, name="sttp_pdf"),
    path("<int:pk>/sprin.pdf", views.sprin_pdf, name="sprin_pdf"),
    path("peta/kegiatan.geojson", views.map_events, name="map_events"),
]
