from django.urls import path

from siaga.public import views

app_name = "public"

urlpatterns = [
    path("", views.report, name="report"),
    path("status/", views.lookup, name="lookup"),
    path("status/<str:receipt>/", views.status, name="status"),
    path("netralitas/", views.neutrality_report, name="neutrality_report"),
    path("netralitas/status/<str:receipt>/", views.neutrality_status, name="neutrality_status"),
    path("batas.geojson", views.boundaries, name="boundaries"),
]
