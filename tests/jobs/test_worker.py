"""The real job runner: jobs stored by the database backend and run by ``riskpath db_worker``;
a failed job retried; failures listed for the area administrator, without personal data."""

from __future__ import annotations

import datetime as dt
import smtplib
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from riskpath.accounts.enums import Role
from riskpath.jobs import runner
from riskpath.jobs.probe import probe
from riskpath.notifications.models import Notification
from riskpath.notifications.services import notify

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker closes stale connections between jobs, as a long-running process should; in
    a test its connection is the test's own, kept open for the test's transaction."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker() -> None:
    """The real ``riskpath db_worker``, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=StringIO())


@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_runs_a_job_enqueued_in_the_database() -> None:
    result = probe.enqueue("hello")
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "READY"
    run_worker()
    stored.refresh_from_db()
    assert stored.status == "SUCCESSFUL" and stored.return_value == "hello"
    out = StringIO()
    call_command("jobs", "result", str(result.id), stdout=out)
    assert "SUCCESSFUL" in out.getvalue()


@override_settings(TASKS=DATABASE_TASKS)
def test_a_failed_email_is_retried_by_the_worker_and_listed_for_the_area_administrator(
    make_user: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(Role.PARTNER_REPRESENTATIVE, email="partner@example.org")
    admin = make_user(Role.AREA_ADMINISTRATOR)
    monkeypatch.setattr(runner, "retry_delay", lambda attempt: dt.timedelta(0))
    real_send = EmailMessage.send
    calls = {"n": 0}

    def flaky(self: EmailMessage, fail_silently: bool = False) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise smtplib.SMTPServerDisconnected("mail server went away")
        return real_send(self, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    mail.outbox.clear()
    made = notify(
        recipient=user, kind="action", title="A meeting action is due", url="/x/", key="k"
    )
    assert made is not None and mail.outbox == []  # nothing is sent inside the request
    run_worker()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["partner@example.org"]
    assert Notification.objects.get().emailed_at is not None
    failed = DBTaskResult.objects.failed().get()
    assert failed.task_path.endswith("send_notification_email")
    assert DBTaskResult.objects.successful().count() == 1

    page = client_for(admin).get(reverse("jobs:failed"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "send_notification_email" in html and "SMTPServerDisconnected" in html
    assert "1 of 5" in html and "will be tried again" in html
    assert "partner@example.org" not in html and "went away" not in html
    assert client_for(user).get(reverse("jobs:failed")).status_code == 403


@override_settings(TASKS=DATABASE_TASKS)
def test_a_job_that_keeps_failing_gives_up_after_the_last_attempt(
    make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(Role.PARTNER_REPRESENTATIVE, email="partner@example.org")
    monkeypatch.setattr(runner, "retry_delay", lambda attempt: dt.timedelta(0))

    def refuse(self: EmailMessage, fail_silently: bool = False) -> int:
        raise smtplib.SMTPServerDisconnected("no")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    notify(recipient=user, kind="action", title="A meeting action is due", url="/x/", key="k")
    run_worker()
    assert DBTaskResult.objects.failed().count() == runner.MAX_ATTEMPTS
    assert not DBTaskResult.objects.ready().exists()
    assert Notification.objects.get().emailed_at is None


def test_the_schedule_names_real_jobs() -> None:
    from riskpath.jobs.schedule import entries

    for entry in entries():
        assert entry.job().name
        assert entry.trigger("Europe/London") is not None


def test_the_scheduler_lists_its_schedule() -> None:
    out = StringIO()
    call_command("scheduler", "--list", stdout=out)
    assert "riskpath.work.notices.daily_reminders" in out.getvalue()
