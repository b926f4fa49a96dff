"""The kinds of thing a user is told of, as an e-mail names them (no one is ever named)."""

from __future__ import annotations

KINDS: dict[str, str] = {
    "your_turn": "A step is yours",
    "pathway_step": "A pathway step is due",
    "action": "A meeting action",
    "partner_task": "A partner-system task",
    "minutes": "Meeting minutes",
    "papers": "Meeting papers",
    "disclosure": "A disclosure request",
    "agenda": "An agenda item about a young person you lead",
    "emergency_access": "Emergency access to a young person you lead",
    "terms_of_reference": "Terms of reference to review",
    "review": "A review is due",
}


def label(kind: str) -> str:
    return KINDS.get(kind, "Something for you")
