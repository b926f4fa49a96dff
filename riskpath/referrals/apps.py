from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "riskpath.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        # What this app adds to a young person's record (timeline entries, page parts).
        from riskpath.referrals import record  # noqa: F401
