from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "riskpath.access"
    label = "access"
    verbose_name = "Access policy"

    def ready(self) -> None:
        from riskpath.access import checks  # noqa: F401
