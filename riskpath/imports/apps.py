from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "riskpath.imports"
    label = "imports"
    verbose_name = "Bulk imports"
