from django.urls import path

from siaga.core import views

urlpatterns = [
    path("pekerjaan/", views.job_list, name="job_list"),
    path("pekerjaan/<int:pk>/", views.job_detail, name="job_detail"),
    path("audit/", views.audit_list, name="audit_list"),
]
