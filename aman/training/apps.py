from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "aman.training"
    label = "training"
