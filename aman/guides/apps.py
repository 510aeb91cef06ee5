from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "aman.guides"
    label = "guides"
