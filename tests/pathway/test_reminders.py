"""``riskpath remind``: owners of steps due soon or overdue get one e-mail per step per day."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.pathway.models import Reminder
from riskpath.pathway.reminders import remind
from tests.pathway.scenario import Pathway, to_marmm, working_days_ago


def test_an_overdue_initial_marmm_is_reminded_once_a_day(
    p: Pathway, monkeypatch: pytest.MonkeyPatch
) -> None:
    episode = to_marmm(p, p.open_under_18(started=working_days_ago(p.area, 20)))
    assert episode.marmm_due is not None and episode.marmm_due < clock.today()
    mail.outbox.clear()

    first = remind()
    assert first.sent == 2  # the social worker and the team manager
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([p.social_worker.email, p.team_manager.email])
    assert "Overdue: Hold the initial MARMM" in mail.outbox[0].subject
    assert p.child.family_name not in mail.outbox[0].body
    assert str(episode.pk) in mail.outbox[0].body

    again = remind()
    assert again.sent == 0 and again.already_sent == 2
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2
    assert AuditEvent.objects.filter(verb=Verb.REMINDER_SENT).count() == 2

    tomorrow = clock.today() + dt.timedelta(days=1)
    monkeypatch.setattr(clock, "today", lambda: tomorrow)
    assert remind().sent == 2  # a new day: reminded again while it stays overdue


def test_steps_not_yet_near_their_date_are_not_reminded(p: Pathway) -> None:
    to_marmm(p, p.open_under_18(started=clock.today()))
    mail.outbox.clear()
    assert remind(days_ahead=3).sent == 0
    assert mail.outbox == []


def test_the_command_is_idempotent(p: Pathway) -> None:
    to_marmm(p, p.open_under_18(started=working_days_ago(p.area, 20)))
    mail.outbox.clear()
    out = StringIO()
    call_command("remind", stdout=out)
    call_command("remind", stdout=out)
    assert "Sent 2 reminder(s); 0 already sent today." in out.getvalue()
    assert "Sent 0 reminder(s); 2 already sent today." in out.getvalue()
    assert len(mail.outbox) == 2


def test_two_runs_racing_send_one_reminder(p: Pathway) -> None:
    """The unique constraint decides when two runs record the same reminder at once."""
    from riskpath.pathway.reminders import _send_once

    episode = to_marmm(p, p.open_under_18(started=working_days_ago(p.area, 20)))
    mail.outbox.clear()
    args = (episode, "initial_marmm", "Hold the initial MARMM", episode.marmm_due)
    assert _send_once(*args, p.social_worker, clock.today()) is True
    assert _send_once(*args, p.social_worker, clock.today()) is False
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1
