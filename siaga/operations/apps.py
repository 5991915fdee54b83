from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "siaga.operations"
    label = "operations"
