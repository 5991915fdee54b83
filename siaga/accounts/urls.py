from django.urls import path

from siaga.accounts import views

app_name = "accounts"

# The names user_list, user_create and user_import are linked from the Polres set-up wizard: keep them stable.
urlpatterns = [
    path("", views.user_list, name="user_list"),
    path("baru/", views.user_create, name="user_create"),
    path("impor/", views.user_import, name="user_import"),
    path("<int:pk>/", views.user_detail, name="user_detail"),
    path("<int:pk>/aktif/", views.user_set_active, name="user_set_active"),
    path("<int:pk>/kata-sandi/", views.user_password, name="user_password"),
    path("<int:pk>/personel/", views.user_link, name="user_link"),
]
