from django.urls import path

from siaga.operations import setup_views, views

app_name = "operations"

urlpatterns = [
    path("", views.index, name="index"),
    path("persiapan/", setup_views.setup_overview, name="setup"),
    path("pemilihan/baru/", setup_views.election_create, name="election_create"),
    path("baru/", setup_views.operation_create, name="operation_create"),
    path("satgas/<int:pk>/ubah/", setup_views.satgas_edit, name="satgas_edit"),
    path("o/<slug:slug>/", views.operation_detail, name="operation_detail"),
    path("o/<slug:slug>/ubah/", views.operation_edit, name="operation_edit"),
    path("o/<slug:slug>/siaga/", views.siaga_set, name="siaga_set"),
    path("o/<slug:slug>/linimasa/", views.timeline, name="timeline"),
    path("tahapan/<int:pk>/ubah/", views.stage_edit, name="stage_edit"),
    path("pola/", views.pattern_list, name="pattern_list"),
    path("pola/baru/", views.pattern_create, name="pattern_create"),
    path("pola/<int:pk>/", views.pattern_edit, name="pattern_edit"),
    path("pola/templat/", views.pattern_copy_template, name="pattern_copy_template"),
    path("kerawanan/", views.category_list, name="category_list"),
    path("kerawanan/ubah-massal/", views.category_bulk, name="category_bulk"),
    path("kerawanan/tps/<int:pk>/", views.tps_category, name="tps_category"),
    path("kerawanan/impor/", views.assessment_import, name="assessment_import"),
    path("kebutuhan/", views.required_strength, name="required_strength"),
    path("peta/kategori-tps.geojson", views.tps_category_layer, name="tps_category_layer"),
]
