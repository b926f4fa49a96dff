from django.apps import AppConfig


class CohortConfig(AppConfig):
    name = "riskpath.cohort"
    label = "cohort"
    verbose_name = "Cohort"

    def ready(self) -> None:
        from riskpath.cohort import pickers, record  # noqa: F401
