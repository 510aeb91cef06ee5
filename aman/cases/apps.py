from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "aman.cases"
    label = "cases"
