"""Jobs: work that must not run inside a request (e-mail, reminders, notification fan-out).

A job is a django-tasks task declared with ``@job``. Enqueued with ``.enqueue(...)`` inside the
transaction of the write that causes it, it is stored by the database backend in that same
transaction: a rolled-back write leaves no job, a committed one always has its job. The worker
(``riskpath db_worker``) runs it. A job that raises is tried again later, up to
``MAX_ATTEMPTS`` times in all, each failed attempt staying visible on the failed-jobs page.
Arguments must be JSON: pass ids, never model instances, and never personal data."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django_tasks.base import Task, task

from riskpath.core import clock

logger = logging.getLogger("riskpath.jobs")

MAX_ATTEMPTS = 5
# Waits before the second, third… attempt.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
ATTEMPT = "_attempt"

P = ParamSpec("P")
R = TypeVar("R")


def retry_delay(attempt: int) -> dt.timedelta:
    """How long after failed attempt ``attempt`` (1-based) the next one runs."""
    return BACKOFF[min(attempt, len(BACKOFF)) - 1]


def job(func: Callable[..., R]) -> Task[..., R | None]:
    """Declare ``func`` a job. Its keyword argument ``_attempt`` (added here) counts the
    attempts; a failed attempt enqueues the next one before failing itself."""

    @functools.wraps(func)
    def attempt(*args: Any, _attempt: int = 1, **kwargs: Any) -> R | None:
        try:
            return func(*args, **kwargs)
        except Exception:
            if _attempt < MAX_ATTEMPTS:
                again = queued
                if queued.get_backend().supports_defer:
                    again = queued.using(run_after=clock.now() + retry_delay(_attempt))
                again.enqueue(*args, **{**kwargs, ATTEMPT: _attempt + 1})
            logger.warning(
                "job failed",
                extra={"job": func.__name__, "attempt": _attempt, "retry": _attempt < MAX_ATTEMPTS},
            )
            raise

    queued: Task[..., R | None] = task(attempt)
    return queued
