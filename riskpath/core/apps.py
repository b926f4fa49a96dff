from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "riskpath.core"
    label = "core"
    verbose_name = "Core"
