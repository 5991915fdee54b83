from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "siaga.public"
    label = "public"
