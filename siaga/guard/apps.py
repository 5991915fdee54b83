from django.apps import AppConfig


class GuardConfig(AppConfig):
    name = "siaga.guard"
    label = "guard"
