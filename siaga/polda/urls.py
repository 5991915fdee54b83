from django.urls import path

from siaga.polda import views

app_name = "polda"

urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.board_of, name="board_of"),
]
