from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background work: the job decorator (retries), the schedule's runner (``riskpath
    scheduler``), the probe CI runs through a real worker, and the area administrator's list of
    failed jobs. The queue itself is django-tasks with its database backend (django-tasks-db);
    the worker is ``riskpath db_worker``. No domain knowledge: above ``access``, below the
    domain apps, which declare their jobs with ``riskpath.jobs.runner.job``."""

    name = "riskpath.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
