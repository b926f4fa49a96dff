"""Reminders: each day, e-mail the owners of pathway steps that are due soon or overdue.

Run daily (``riskpath remind``). Idempotent: a reminder is recorded per episode, step, day
and recipient under a unique constraint, so running the command twice on one day (or two
servers running it at once) never sends a second e-mail for the same step. The e-mail names
no one: it gives the step, its due date and the link to the episode."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from smtplib import SMTPException

from django.db import IntegrityError, transaction
from django.urls import reverse

from riskpath.accounts.models import User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.notifications.services import notify
from riskpath.pathway.models import Episode, EpisodeStatus, Reminder
from riskpath.pathway.selectors import Owners, next_steps, with_detail

logger = logging.getLogger(__name__)

# A step is reminded from this many calendar days before it is due, and every day it is
# overdue.
DAYS_AHEAD = 3


@dataclass
class RemindResult:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    without_owner: list[str] = field(default_factory=list)


def remind(*, today: dt.date | None = None, days_ahead: int = DAYS_AHEAD) -> RemindResult:
    """Send today's reminders for every open episode in every area."""
    today = today or clock.today()
    result = RemindResult()
    owners = Owners()
    episodes = with_detail(
        Episode.objects.exclude(status__in=[EpisodeStatus.CLOSED]).order_by("created_at")
    )
    # Those already sent today, read once; the unique constraint still decides when two
    # runs race.
    sent_today = set(
        Reminder.objects.filter(day=today).values_list("episode_id", "step", "recipient_id")
    )
    for episode in episodes:
        for step in next_steps(episode, owners):
            if step.due is None or step.due > today + dt.timedelta(days=days_ahead):
                continue
            if not step.owners:
                result.without_owner.append(f"{episode.pk}:{step.key}")
                continue
            for owner in step.owners:
                if not owner.email:
                    continue
                if (episode.pk, step.key, owner.pk) in sent_today:
                    result.already_sent += 1
                    continue
                try:
                    sent = _send_once(episode, step.key, step.label, step.due, owner, today)
                except (OSError, SMTPException) as exc:
                    logger.warning("reminder not sent", extra={"error": str(exc)})
                    result.failed += 1
                    continue
                if sent:
                    result.sent += 1
                else:
                    result.already_sent += 1
    return result


def _send_once(
    episode: Episode, key: str, label: str, due: dt.date, owner: User, today: dt.date
) -> bool:
    """Record the reminder, then send it; False when it was already sent today."""
    overdue = due < today
    try:
        with transaction.atomic():
            Reminder.objects.create(
                episode=episode, step=key, day=today, recipient=owner, due_on=due
            )
            audit_record(
                actor=None,
                actor_label="riskpath remind",
                verb=Verb.REMINDER_SENT,
                target=episode,
                subject=episode.young_person,
                area_id=episode.area_id,
                changes={"step": key, "due_on": due, "recipient": str(owner.pk)},
            )
            # Told through the one notification mechanism: its e-mail is a job enqueued in
            # this transaction, which the worker sends and retries.
            notify(
                recipient=owner,
                kind="pathway_step",
                title=f"{'Overdue' if overdue else 'Due'}: {label}",
                url=reverse("pathway:detail", args=[episode.pk]),
                key=f"pathway:{episode.pk}:{key}:{today}",
                due_on=due,
            )
    except IntegrityError:
        return False
    return True
