from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for local use: at the top of the layers, since it fills every app."""

    name = "demo"
    verbose_name = "Demo data"
