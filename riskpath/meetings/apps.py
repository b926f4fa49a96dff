from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "riskpath.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # What this app adds to a young person's record (timeline entries, page parts), and
        # the facts about taking part in a meeting that the access policy reads.
        from riskpath.meetings import access, record  # noqa: F401
