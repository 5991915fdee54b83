from django.urls import path

from siaga.deployment import views

app_name = "deployment"

urlpatterns = [
    path("", views.index, name="index"),
    path("proses/baru/", views.start_run, name="start_run"),
    path("proses/<int:pk>/", views.run_detail, name="run_detail"),
    path("polda/", views.polda_plan, name="polda_plan"),
    path("polda/<int:pk>/", views.fan_out_detail, name="fan_out_detail"),
    path("rencana/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("rencana/<int:pk>/status/", views.plan_transition, name="plan_transition"),
    path("rencana/<int:pk>/versi-baru/", views.plan_amend, name="plan_amend"),
    path("rencana/<int:pk>/rencana-ulang/", views.plan_replan, name="plan_replan"),
    path("rencana/<int:pk>/pindah-tps/", views.move_tps, name="move_tps"),
    path("rencana/<int:pk>/personel/", views.officer_edit, name="officer_edit"),
    path("rencana/<int:pk>/kekurangan/", views.shortfall, name="shortfall"),
    path("rencana/<int:pk>/beda/<int:other>/", views.plan_diff, name="plan_diff"),
    path("rencana/<int:pk>/sprin.pdf", views.sprin_pdf, name="sprin_pdf"),
    path("rencana/<int:pk>/sprin/cetak/", views.sprin_print, name="sprin_print"),
    path("rencana/<int:pk>/sprin/<int:job>.pdf", views.sprin_download, name="sprin_download"),
    path("rencana/<int:pk>/plotting.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("rencana/<int:pk>/peta.geojson", views.plan_geojson, name="plan_geojson"),
    path("peta/tim.geojson", views.map_teams, name="map_teams"),
    path("tps-saya/", views.my_tps, name="my_tps"),
]
