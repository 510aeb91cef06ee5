from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "aman.audit"
    label = "audit"
