from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "riskpath.links"
    label = "links"
    verbose_name = "Links"

    def ready(self) -> None:
        # What this app adds to a young person's record (timeline entries, page parts).
        from riskpath.links import record  # noqa: F401
