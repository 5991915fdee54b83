from django.urls import path

from siaga.personnel import views

app_name = "personnel"

urlpatterns = [
    path("", views.personnel_list, name="list"),
    path("impor/", views.personnel_import, name="import"),
    path("impor/<slug:kind>/", views.resource_import, name="resource_import"),
    path("peralatan/", views.equipment_list, name="equipment"),
    path("bko-mitra/", views.bko_list, name="bko"),
    path("apel/", views.apel_list, name="apel_list"),
    path("apel/<int:pk>/", views.apel_roll_call, name="apel"),
    path("apel/<int:pk>/ringkasan/", views.apel_summary, name="apel_summary"),
    path("apel/<int:pk>/baris/", views.apel_rows, name="apel_rows"),
    path(
        "apel/<int:pk>/satuan/<int:unit_pk>/semua-hadir/", views.apel_unit_present, name="apel_unit_present"
    ),
    path("apel/<int:pk>/entri/<int:entry_pk>/kehadiran/", views.apel_mark, name="apel_mark"),
    path("apel/<int:pk>/entri/<int:entry_pk>/perlengkapan/", views.apel_kit, name="apel_kit"),
    path("apel/<int:pk>/entri/<int:entry_pk>/kesehatan/", views.apel_health, name="apel_health"),
    path("apel/<int:pk>/peralatan/", views.apel_equipment, name="apel_equipment"),
    path("apel/<int:pk>/peralatan/<int:check_pk>/", views.apel_equipment_check, name="apel_equipment_check"),
    path("apel/<int:pk>/kunci/", views.apel_lock, name="apel_lock"),
    path("apel/<int:pk>/absen-mandiri/", views.apel_self_check_in, name="apel_self_check_in"),
    path("apel/<int:pk>/kesiapan/", views.apel_readiness, name="apel_readiness"),
    path("apel/<int:pk>/laporan.pdf", views.apel_report_pdf, name="apel_report_pdf"),
    path("apel/<int:pk>/laporan.xlsx", views.apel_report_xlsx, name="apel_report_xlsx"),
]
