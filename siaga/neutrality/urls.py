from django.urls import path

from siaga.neutrality import views

app_name = "neutrality"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("baru/", views.case_new, name="case_new"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/langkah/", views.case_move, name="case_move"),
    path("<int:pk>/terlapor/", views.case_officer, name="case_officer"),
    path("kerabat/", views.relatives, name="relatives"),
    path("pakta/", views.pledges, name="pledges"),
    path("laporan/", views.report, name="report"),
]
