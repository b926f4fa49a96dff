"""The schedule: which jobs run when. Declared once, in the ``RISKPATH_SCHEDULE`` setting (a
list of ``(cron expression, dotted path of a job)``), read here by ``riskpath scheduler``, which
only enqueues: the worker does the work. Dotted paths, because the jobs belong to apps above
this one."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks.base import Task

logger = logging.getLogger("riskpath.jobs")


@dataclass(frozen=True)
class Entry:
    cron: str
    path: str

    def trigger(self, timezone: Any) -> CronTrigger:
        return CronTrigger.from_crontab(self.cron, timezone=timezone)

    def job(self) -> Task[..., Any]:
        found = import_string(self.path)
        if not isinstance(found, Task):
            raise TypeError(f"{self.path} is not a job")
        return found


def entries() -> list[Entry]:
    return [Entry(cron, path) for cron, path in settings.RISKPATH_SCHEDULE]


def enqueue(path: str) -> str:
    """Enqueue the job at ``path`` (what the scheduler does at each firing); its result id."""
    result = import_string(path).enqueue()
    logger.info("scheduled job enqueued", extra={"job": path, "result": str(result.id)})
    return str(result.id)
