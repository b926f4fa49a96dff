from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "riskpath.network"
    label = "network"
    verbose_name = "Network"

    def ready(self) -> None:
        # The way to the chart from each record's links section (a page part).
        from riskpath.network import record  # noqa: F401
