from django.urls import path

from siaga.field import views

app_name = "field"

urlpatterns = [
    path("", views.home, name="home"),
    path("tps/", views.my_tps, name="my_tps"),
    path("lapor/", views.report, name="report"),
    path("kotak-keluar/", views.outbox, name="outbox"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
