from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "national"
    verbose_name = "National structures: Programme of Care boards and Clinical Reference Groups"
