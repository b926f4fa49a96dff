from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "riskpath.referrals"
    label = "referrals"
    verbose_name = "Referrals"
