from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "riskpath.governance"
    label = "governance"
    verbose_name = "Information governance"

    def ready(self) -> None:
        # What riskpath holds about a person that lives below this app (the record itself,
        # missing episodes, who viewed the record), and the picker's pool for the officer.
        from riskpath.governance import disposal, held  # noqa: F401
