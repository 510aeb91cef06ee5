from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "aman.checks"
    label = "checks"
