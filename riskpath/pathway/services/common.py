"""What every pathway service shares: the deadlines (in the area's working days), the refusal of a
step, validating parsed input, the step a service returns, the episode's history, and telling
the area's consultant social workers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse

from riskpath.access import policy
from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, User
from riskpath.core import clock, workdays
from riskpath.core.errors import DomainError
from riskpath.core.mail import send_after_commit
from riskpath.pathway.models import (
    Episode,
    EpisodeEvent,
    EpisodeStatus,
    FlagSystem,
)

S = EpisodeStatus
INITIAL_MARMM_WORKING_DAYS = 15
MINUTES_WORKING_DAYS = 2
FLAG_WORKING_DAYS = 5
REVIEW_WEEKS = 12
TEXT_MAX = 4000
FLAG_TEXT: dict[str, str] = {
    FlagSystem.SOCIAL_CARE: (
        "subject to multi-agency risk management plan \u2013 see documents for plan"
    ),
    FlagSystem.POLICE: "Subject to a multi-agency risk management plan (MARMP).",
    FlagSystem.HEALTH: "Subject to a multi-agency risk management plan (MARMP).",
}
REMOVAL_TEXT = "Multi-agency risk management plan ended: remove the flag."
# Agency kinds whose users confirm each system's flag.
FLAG_AGENCY_KINDS = policy.FLAG_CONFIRMING_AGENCY_KINDS


class StepRefused(DomainError):
    """An action the state machine does not allow now; the message says what must happen
    first. Nothing was changed."""


# ---------------------------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------------------------


def calendar(episode: Episode) -> workdays.WorkingCalendar:
    return workdays.for_area(episode.area)


def review_due_after(held_on: dt.date) -> dt.date:
    return held_on + dt.timedelta(weeks=REVIEW_WEEKS)


def minutes_due(episode: Episode) -> dt.date | None:
    """The earliest date minutes and plan are due for a MARMM whose minutes have not been
    circulated, or None."""
    pending = [m.minutes_due for m in episode.marmms.all() if m.minutes_circulated_on is None]
    return min(pending) if pending else None


def is_first_responder(agency: Agency) -> bool:
    return bool(agency.is_first_responder)


# ---------------------------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------------------------


def _text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def _required_text(
    data: dict[str, Any], key: str, errors: dict[str, str], message: str, *, limit: int = TEXT_MAX
) -> str:
    value = _text(data, key)
    if not value:
        errors[key] = message
    elif len(value) > limit:
        errors[key] = f"{message.removeprefix('Enter ').capitalize()}: {limit} characters or fewer"
    return value


def _date(
    data: dict[str, Any],
    key: str,
    errors: dict[str, str],
    label: str,
    *,
    required: bool = True,
    not_before: dt.date | None = None,
    not_before_label: str = "",
    allow_future: bool = False,
) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        if required:
            errors[key] = f"Enter the {label}"
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors[key] = f"Enter the {label} as a real date"
        return None
    if not allow_future and value > clock.today():
        errors[key] = f"The {label} cannot be in the future"
        return None
    if not_before is not None and value < not_before:
        errors[key] = f"The {label} cannot be before {not_before_label} ({not_before:%-d %B %Y})"
        return None
    return value


def _boolean(data: dict[str, Any], key: str, errors: dict[str, str], message: str) -> bool | None:
    value = data.get(key)
    if isinstance(value, bool):
        return value
    errors[key] = message
    return None


def _user_in_area(
    value: Any, area_id: Any, key: str, errors: dict[str, str], role: str | None = None
) -> User | None:
    if value is None:
        return None
    if not isinstance(value, User) or value.area_id != area_id or not value.is_active:
        errors[key] = "Choose an active user in your area"
        return None
    if role and not value.has_role(role):
        errors[key] = f"Choose a user who is a {Role(role).label.lower()}"
        return None
    return value


@dataclass
class Step:
    """What one action did: the summary for the history, the audit changes, the episode
    fields it changed, and what else to save once the episode is saved (``then``). E-mails go
    through ``core.mail.send_after_commit``."""

    summary: str
    changes: dict[str, Any] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    then: list[Callable[[], object]] = field(default_factory=list)


def _set(episode: Episode, step: Step, **values: Any) -> None:
    for name, value in values.items():
        setattr(episode, name, value)
        step.fields.add(name)


def _history(
    episode: Episode,
    actor: Any,
    action: str,
    before: str,
    after: str,
    summary: str,
    changes: dict[str, Any],
) -> None:
    EpisodeEvent.objects.create(
        episode=episode,
        action=action,
        actor=actor,
        at=clock.now(),
        status_before=before,
        status_after=after,
        summary=summary,
        data={k: _jsonable(v) for k, v in changes.items()},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _not_self(actor: Any, other_id: Any, what: str) -> None:
    if other_id is not None and other_id == actor.pk:
        raise StepRefused(
            f"You {what}, so a different service manager must agree it: nobody approves "
            "their own request."
        )


# ---------------------------------------------------------------------------------------------
# Telling consultant social workers
# ---------------------------------------------------------------------------------------------


def consultants(area_id: Any) -> list[User]:
    return list(
        User.objects.filter(
            agency__area_id=area_id,
            is_active=True,
            roles__role=Role.CONSULTANT_SOCIAL_WORKER,
        ).distinct()
    )


def _tell_consultants(episode: Episode, what: str) -> None:
    """E-mail the area's consultant social workers once the step commits (``core.mail``). It
    names no one: it carries the link to the episode, which they see on their tracker."""
    link = settings.RISKPATH_BASE_URL + reverse("pathway:detail", args=[episode.pk])
    send_after_commit(
        subject="[riskpath] Risk Management Pathway: a young person " + what,
        body=(
            f"A young person {what}. They are on your tracker.\n\n"
            f"Open the episode in riskpath: {link}\n"
        ),
        to=[u.email for u in consultants(episode.area_id)],
    )
