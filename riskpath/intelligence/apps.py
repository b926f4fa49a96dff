from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "riskpath.intelligence"
    label = "intelligence"
    verbose_name = "Intelligence"
