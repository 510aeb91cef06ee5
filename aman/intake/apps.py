from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "aman.intake"
    label = "intake"
