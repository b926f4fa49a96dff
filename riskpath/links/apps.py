from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "riskpath.links"
    label = "links"
    verbose_name = "Links"
