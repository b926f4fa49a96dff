from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "riskpath.web"
    label = "web"
    verbose_name = "Web pages"
