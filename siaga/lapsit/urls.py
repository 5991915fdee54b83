from django.urls import path

from siaga.lapsit import views

app_name = "lapsit"

urlpatterns = [
    path("", views.lapsit_list, name="list"),
    path("<int:pk>/", views.lapsit_detail, name="detail"),
    path("<int:pk>/berkas/<str:fmt>/", views.lapsit_file, name="file"),
    path("<int:pk>/mitra/", views.partner_lapsit, name="partner_lapsit"),
    path("kekuatan/", views.strength, name="strength"),
    path("kekuatan/cadangan/<int:pk>/hapus/", views.reserve_delete, name="reserve_delete"),
    path("mitra/", views.partner_dashboard, name="partner"),
    path("rujukan/", views.referral_list, name="referrals"),
    path("rujukan/<int:pk>/", views.referral_detail, name="referral"),
    path("rujukan/<int:pk>/berkas/<str:fmt>/", views.referral_file, name="referral_file"),
]
