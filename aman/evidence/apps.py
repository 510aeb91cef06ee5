from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "aman.evidence"
    label = "evidence"
