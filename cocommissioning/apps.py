from django.apps import AppConfig


class CocommissioningConfig(AppConfig):
    name = "cocommissioning"
    verbose_name = "Primary care co-commissioning"
