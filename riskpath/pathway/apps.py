from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "riskpath.pathway"
    label = "pathway"
    verbose_name = "Risk Management Pathway"

    def ready(self) -> None:
        # Its involvement bases, what it adds to a young person's record, and the agreed
        # escalations it puts on the strategic panel's agenda, and its kind of record for the
        # retention schedule.
        from riskpath.pathway import agenda, involvement, record, retention  # noqa: F401
