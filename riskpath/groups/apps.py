from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "riskpath.groups"
    label = "groups"
    verbose_name = "Groups"

    def ready(self) -> None:
        # What this app adds to a young person's record (timeline entries, page parts).
        from riskpath.groups import record  # noqa: F401
