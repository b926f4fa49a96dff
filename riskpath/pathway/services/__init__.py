"""The Risk Management Pathway's services: open an episode, take a named action on it,
confirm a partner-system flag. Each checks the access policy and the state machine, validates
everything before writing, writes the episode (refusing a stale version), appends the step
to the episode's history and records the audit event, all in one transaction.

Deadlines are counted in the area's working days (``core.workdays.for_area``): the initial
MARMM 15 working days after the strategy discussion (or the care leavers safeguarding
meeting), minutes and plan 2 working days after each MARMM, flags confirmed within 5 working
days. Reviews are at least every 12 calendar weeks from the last MARMM.

By stage: ``episodes`` (opening one, taking an action), ``steps`` (section 47, the route, the
care leavers meeting), ``marmm`` (MARMMs and the plan), ``ending`` (escalation, ending the
plan), ``flags``; ``common`` holds what they share. This module is the package's public face:
callers import from it."""

from riskpath.pathway.services.common import (
    FLAG_AGENCY_KINDS,
    FLAG_TEXT,
    REVIEW_WEEKS,
    TEXT_MAX,
    StepRefused,
    minutes_due,
)
from riskpath.pathway.services.episodes import episode_act, episode_open
from riskpath.pathway.services.flags import flag_confirm

__all__ = [
    "FLAG_AGENCY_KINDS",
    "FLAG_TEXT",
    "REVIEW_WEEKS",
    "TEXT_MAX",
    "StepRefused",
    "episode_act",
    "episode_open",
    "flag_confirm",
    "minutes_due",
]
