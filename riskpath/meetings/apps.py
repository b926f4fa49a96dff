from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "riskpath.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # What this app adds to a young person's record (timeline entries, page parts).
        from riskpath.meetings import record  # noqa: F401
