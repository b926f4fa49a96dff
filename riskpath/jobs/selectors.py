"""What the failed-jobs page shows: which job, when, which error, which attempt. Never a job's
arguments, return value or traceback, which could carry personal data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django_tasks_db.models import DBTaskResult

from riskpath.access import policy
from riskpath.jobs.runner import ATTEMPT, MAX_ATTEMPTS


@dataclass(frozen=True)
class FailedJob:
    id: str
    job: str  # the job's dotted path
    failed_at: dt.datetime | None
    error: str  # the exception's class, never its message
    attempt: int
    retried: bool


def failed_queryset(user: Any) -> QuerySet[DBTaskResult]:
    if not policy.check("can_view_failed_jobs", user):
        return DBTaskResult.objects.none()
    return DBTaskResult.objects.failed().order_by("-finished_at")


def present(result: DBTaskResult) -> FailedJob:
    kwargs = (result.args_kwargs or {}).get("kwargs") or {}
    attempt = kwargs.get(ATTEMPT, 1) if isinstance(kwargs.get(ATTEMPT, 1), int) else 1
    return FailedJob(
        id=str(result.id),
        job=result.task_path,
        failed_at=result.finished_at,
        error=result.exception_class_path.rsplit(".", 1)[-1] or "Unknown error",
        attempt=attempt,
        retried=attempt < MAX_ATTEMPTS,
    )
