from django.apps import AppConfig


class CohortConfig(AppConfig):
    name = "riskpath.cohort"
    label = "cohort"
    verbose_name = "Cohort"
