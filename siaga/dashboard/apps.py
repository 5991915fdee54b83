from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "siaga.dashboard"
    label = "dashboard"
