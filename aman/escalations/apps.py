from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "aman.escalations"
    label = "escalations"
