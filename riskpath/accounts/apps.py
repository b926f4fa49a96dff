from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "riskpath.accounts"
    label = "accounts"
    verbose_name = "Areas, agencies and users"

    def ready(self) -> None:
        from riskpath.accounts import signals  # noqa: F401
