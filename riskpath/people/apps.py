from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "riskpath.people"
    label = "people"
    verbose_name = "Young people"

    def ready(self) -> None:
        from riskpath.people import involvement, sections, signals  # noqa: F401
