from django.urls import path

from siaga.guard import views

app_name = "guard"

urlpatterns = [
    path("", views.board, name="board"),
    path("peringatan/", views.alert_list, name="alert_list"),
    path("pos/", views.post_list, name="post_list"),
    path("pos/baru/", views.post_edit, name="post_create"),
    path("pos/<int:pk>/", views.post_detail, name="post_detail"),
    path("pos/<int:pk>/ubah/", views.post_edit, name="post_edit"),
    path("pos/<int:pk>/absen/", views.check_in, name="check_in"),
    path("pos/<int:pk>/absen/<int:checkin_id>/keluar/", views.check_out, name="check_out"),
    path("pos/<int:pk>/serah-terima/", views.handover, name="handover"),
    path("roster/", views.roster_list, name="roster_list"),
    path("roster/baru/", views.roster_create, name="roster_create"),
    path("roster/<int:pk>/", views.roster_detail, name="roster_detail"),
    path("roster/<int:pk>/kalender/", views.roster_calendar, name="roster_calendar"),
    path("roster/<int:pk>/susun/", views.roster_solve, name="roster_solve"),
    path("roster/<int:pk>/terbitkan/", views.roster_publish, name="roster_publish"),
    path("roster/<int:pk>/berhalangan/", views.roster_unavailable, name="roster_unavailable"),
    path("roster/<int:pk>/tukar/", views.swap_request, name="swap_request"),
    path("penugasan/<int:pk>/kunci/", views.assignment_lock, name="assignment_lock"),
    path("tukar/<int:pk>/<str:decision>/", views.swap_decide, name="swap_decide"),
    path("personel/<int:pk>/", views.officer_schedule, name="officer"),
    path("peta/pos.geojson", views.map_posts, name="map_posts"),
]
