from django.apps import AppConfig


class LocationsConfig(AppConfig):
    name = "riskpath.locations"
    label = "locations"
    verbose_name = "Locations"
