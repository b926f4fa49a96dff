from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "riskpath.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from riskpath.search import picking, signals

        signals.connect()
        picking.register()
