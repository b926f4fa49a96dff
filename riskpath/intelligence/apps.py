from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "riskpath.intelligence"
    label = "intelligence"
    verbose_name = "Intelligence"

    def ready(self) -> None:
        from riskpath.intelligence import involvement, record  # noqa: F401
