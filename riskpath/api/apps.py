from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "riskpath.api"
    label = "api"
    verbose_name = "API"
