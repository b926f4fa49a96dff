from django.apps import AppConfig


class AuditLogConfig(AppConfig):
    """The audit log as its readers see it: the area administrator's search, export and API,
    the lead professional's "who has viewed this record", and what each reader may be shown
    of an event (``presentation``). Above ``access``; the log itself (writing, the chain,
    checkpoints) is ``audit``, below it."""

    name = "riskpath.auditlog"
    label = "auditlog"
    verbose_name = "Audit log pages"
