from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aman.accounts"
    label = "accounts"

    def ready(self) -> None:
        from aman.accounts import signals  # noqa: F401  (sign-in events feed the audit log)
