from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "riskpath.audit"
    label = "audit"
    verbose_name = "Audit log"
