"""Facts the policy's rules read that a higher app knows: registered, not imported.

Some rules turn on what only a domain app above ``access`` can say — whether a user takes part
in a meeting, chairs it, chaired it, or may know that an action exists. The app registers each
fact here by name (``register_fact``) from its ``AppConfig.ready``; the policy asks
``holds(name, user, obj)``. This module, like the policy, never imports a domain app.

A fact nobody registered never holds: a rule that reads it refuses (default deny)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:  # the policy is imported before the models are ready
    from django.contrib.auth.models import AnonymousUser

    from riskpath.accounts.models import User

# The facts the policy reads, and the app that registers each.
MEETING_PARTICIPANT = "meeting participant"  # meetings: invited, a standing member, or chair
MEETING_CHAIR = "meeting chair"  # meetings: chairs the meeting
CHAIRED_MEETING = "chaired meeting"  # meetings: chaired it, so approves its minutes
KNOWS_OF_ACTION = "knows of action"  # meetings: may know a confidential slot's action exists

Fact: TypeAlias = Callable[["User | AnonymousUser", Any], bool]

_facts: dict[str, Fact] = {}


def register_fact(name: str, fact: Fact) -> None:
    """``fact(user, obj)`` answers the fact ``name`` for the policy. Each name once."""
    if name in _facts:
        raise ValueError(f"the fact {name!r} is already registered")
    _facts[name] = fact


def holds(name: str, user: User | AnonymousUser, obj: Any) -> bool:
    """Does the fact ``name`` hold of ``user`` and ``obj``? False where nobody registered it."""
    fact = _facts.get(name)
    return fact is not None and bool(fact(user, obj))
