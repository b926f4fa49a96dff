from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "riskpath.pathway"
    label = "pathway"
    verbose_name = "Risk Management Pathway"

    def ready(self) -> None:
        from riskpath.pathway import involvement, record  # noqa: F401
