from django.apps import AppConfig


class PatrolsConfig(AppConfig):
    name = "siaga.patrols"
    label = "patrols"
