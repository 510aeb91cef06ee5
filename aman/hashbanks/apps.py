from django.apps import AppConfig


class HashbanksConfig(AppConfig):
    name = "aman.hashbanks"
    label = "hashbanks"
