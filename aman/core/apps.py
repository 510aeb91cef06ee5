from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aman.core"
    label = "core"
