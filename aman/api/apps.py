from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "aman.api"
    label = "api"
