from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "riskpath.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from riskpath.core import checks  # noqa: F401
        from riskpath.core.db import after_migrate

        post_migrate.connect(after_migrate, dispatch_uid="riskpath.core.refresh_statistics")
