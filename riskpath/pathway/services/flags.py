"""Partner-system flags: a user of the system's agency confirms a flag was added (or removed)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from riskpath.access import policy
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.pathway.models import (
    Flag,
    FlagPurpose,
    FlagSystem,
)
from riskpath.pathway.services.common import StepRefused, _date, _history

# ---------------------------------------------------------------------------------------------
# Flags
# ---------------------------------------------------------------------------------------------


def flag_confirm(*, actor: Any, flag: Flag, expected_version: int, confirmed_on: Any) -> Flag:
    """A user of the system's agency confirms the flag was added (or removed) on a date."""
    episode = flag.episode
    if not (
        policy.check("can_confirm_flag", actor, episode)
        and policy.check("can_confirm_flag_of_system", actor, flag)
    ):
        raise NotPermitted(
            f"Only a user of a {FlagSystem(flag.system).label.lower()} agency can confirm this "
            "flag."
        )
    if flag.confirmed_on is not None:
        raise StepRefused("This flag has already been confirmed.")
    errors: dict[str, str] = {}
    on = _date(
        {"confirmed_on": confirmed_on},
        "confirmed_on",
        errors,
        "date the flag was " + ("added" if flag.purpose == FlagPurpose.SET else "removed"),
        not_before=flag.raised_on,
        not_before_label="the task was raised",
    )
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        flag.confirmed_on = on
        flag.confirmed_by = actor
        save_versioned(
            flag,
            expected_version=expected_version,
            fields=["confirmed_on", "confirmed_by"],
            label="flag",
        )
        verb = "added" if flag.purpose == FlagPurpose.SET else "removed"
        late = on is not None and on > flag.due_on
        _history(
            episode,
            actor,
            "confirm_flag",
            episode.status,
            episode.status,
            f"{FlagSystem(flag.system).label} flag {verb} {on:%-d %B %Y}"
            + (f" (due {flag.due_on:%-d %B %Y})" if late else ""),
            {"flag": str(flag.pk), "system": flag.system, "purpose": flag.purpose},
        )
        audit_record(
            actor=actor,
            verb=Verb.FLAG_CONFIRMED,
            target=flag,
            subject=episode.young_person,
            changes={"system": flag.system, "purpose": flag.purpose, "confirmed_on": on},
        )
    return flag
