"""How an audit event is shown to a reader: never more of a record than the reader could open.

The audit log's readers (area administrators on the log page, its CSV export and the API; a
lead professional on "who has viewed this record") are not, as such, entitled to the records
the events are about. Each event is therefore shown through ``present``: the record's label,
the young person's name and the values in ``changes`` appear only when the reader may open
that record; otherwise the event names the kind of record and its id ("Young person
3f2a9c1e…") and lists which fields changed, not what they said. Restricted content (an
intelligence item's text, a confidential slot's title…) never reaches the log at all: services
store a digest of it (``restricted``).

Whether a reader may open records of a type is answered in batches from the access policy:
through the type's involvement bases where it has them (young people, intelligence, pathway
episodes), else through the rule that governs viewing it (``policy.VIEW_RULES``); parts of a
young person's record (a missing episode, a referral…) are open when the young person is. A
type the policy does not name is withheld."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from riskpath.access import policy
from riskpath.access.involvement import bases_for, visible_subset
from riskpath.audit.verbs import verb_sentence

TYPE_NAMES = {
    "people.youngperson": "Young person",
    "people.personofinterest": "Person of interest",
    "people.missingepisode": "Missing episode",
    "locations.location": "Location",
    "groups.group": "Group",
    "links.link": "Link",
    "intelligence.intelligenceitem": "Intelligence item",
    "intelligence.disclosurerequest": "Disclosure request",
    "referrals.referral": "Referral",
    "cohort.cohortmembership": "Cohort membership",
    "meetings.meeting": "Meeting",
    "meetings.agendaitem": "Agenda item",
    "meetings.action": "Action",
    "pathway.episode": "Pathway episode",
    "pathway.flag": "Flag",
}


@dataclass(frozen=True)
class ShownEvent:
    """One event as its reader may see it."""

    seq: int
    occurred_at: dt.datetime
    actor_label: str
    verb: str
    target_type: str
    target_id: str
    target_label: str
    subject_id: str
    subject_label: str
    changes: dict[str, Any]
    basis: str
    reason: str
    request_id: str
    client_ip: str | None
    channel: str
    hash: str
    withheld: bool  # part of the event is withheld from this reader

    @property
    def verb_sentence(self) -> str:
        return verb_sentence(self.verb)

    @property
    def change_summary(self) -> str:
        """The changes in a line: "status: open → closed; due_on: 2026-12-01"."""
        parts = []
        for name, value in (self.changes or {}).items():
            if isinstance(value, dict) and set(value) <= {"before", "after"} and value:
                before, after = value.get("before"), value.get("after")
                parts.append(f"{name}: {_short(before)} → {_short(after)}")
            else:
                parts.append(f"{name}: {_short(value)}")
        return "; ".join(parts)

    @property
    def sentence(self) -> str:
        who = self.actor_label or "riskpath"
        about = f": {self.target_label}" if self.target_label else ""
        return f"{who} {self.verb_sentence}{about}"


def _short(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, dict) and set(value) in ({"hmac", "length"}, {"sha256", "length"}):
        return f"[restricted text, {value['length']} characters]"
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def _placeholder(target_type: str, target_id: str) -> str:
    name = TYPE_NAMES.get(target_type, "Record")
    return f"{name} {target_id[:8]}" if target_id else name


def _openable(reader: Any, wanted: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for target_type, ids in wanted.items():
        if not ids or not policy.check(policy.VIEW_RULES.get(target_type, ""), reader):
            out[target_type] = set()
        elif bases_for(target_type):
            uuids = {pk for pk in (_uuid(i) for i in ids) if pk is not None}
            out[target_type] = {str(pk) for pk in visible_subset(target_type, reader, uuids)}
        else:
            out[target_type] = set(ids)
    return out


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def present(reader: Any, events: Iterable[Any]) -> list[ShownEvent]:
    """``events`` as ``reader`` may see them (openers asked once per type for the batch)."""
    events = list(events)
    wanted: dict[str, set[str]] = defaultdict(set)
    wanted["people.youngperson"] = set()
    for e in events:
        if (
            e.target_type
            and e.target_id
            and e.target_type not in policy.PARTS_OF_A_YOUNG_PERSONS_RECORD
        ):
            wanted[e.target_type].add(e.target_id)
        if e.subject_id:
            wanted["people.youngperson"].add(e.subject_id)
    openable = _openable(reader, wanted)
    shown = []
    for e in events:
        subject_open = not e.subject_id or e.subject_id in openable["people.youngperson"]
        if e.target_type in policy.PARTS_OF_A_YOUNG_PERSONS_RECORD:
            target_open = bool(e.subject_id) and subject_open
        else:
            target_open = not e.target_id or e.target_id in openable.get(e.target_type, set())
        visible = target_open and subject_open
        changes = e.changes if visible else dict.fromkeys(e.changes or {}, "(withheld)")
        shown.append(
            ShownEvent(
                seq=e.seq,
                occurred_at=e.occurred_at,
                actor_label=e.actor_label,
                verb=e.verb,
                target_type=e.target_type,
                target_id=e.target_id,
                target_label=(
                    e.target_label if target_open else _placeholder(e.target_type, e.target_id)
                ),
                subject_id=e.subject_id,
                subject_label=(
                    e.subject_label
                    if subject_open
                    else _placeholder("people.youngperson", e.subject_id)
                ),
                changes=changes,
                basis=e.basis
                if visible or not e.basis.startswith("emergency access")
                else "emergency access",
                reason=e.reason if visible or e.verb in OPEN_REASON_VERBS else "",
                request_id=e.request_id,
                client_ip=e.client_ip,
                channel=e.channel,
                hash=e.hash,
                withheld=not visible,
            )
        )
    return shown


# Reasons shown to the log's readers whatever the record: why someone broke glass is what the
# log's reviewers are there to check.
OPEN_REASON_VERBS = frozenset({"EMERGENCY_ACCESS_GRANTED", "ACCESS_DENIED"})
