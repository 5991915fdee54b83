from django.urls import path

from siaga.logistics import views

app_name = "logistics"

urlpatterns = [
    path("", views.board, name="board"),
    path("ruas/", views.leg_list, name="leg_list"),
    path("ruas/<int:pk>/", views.leg_detail, name="leg_detail"),
    path("ruas/<int:pk>/status/", views.leg_status, name="leg_status"),
    path("ruas/<int:pk>/serah-terima/", views.leg_handover, name="leg_handover"),
    path("ruas/<int:pk>/pengawal/", views.leg_escort, name="leg_escort"),
    path("susun/", views.chain_generate, name="generate"),
    path("tugas-saya/", views.my_legs, name="my_legs"),
    path("peta/ruas.geojson", views.map_legs, name="map_legs"),
]
