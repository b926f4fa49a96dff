"""Downloading the minutes and opening the papers (audited), publishing the papers, who has
opened them, and who the minutes will be circulated to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from riskpath.access import policy
from riskpath.accounts.models import User
from riskpath.audit.models import AuditEvent
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.meetings.access import chairs
from riskpath.meetings.conduct.minutes import _recipients
from riskpath.meetings.documents.as_docx import render_docx
from riskpath.meetings.documents.as_pdf import render_pdf
from riskpath.meetings.documents.content import (
    CONTENT_TYPES,
    FORMATS,
    VERSIONS,
    Download,
    _local,
    family_version_applies,
    family_young_person,
    may_produce_family_version,
    minutes_document,
    minutes_filename,
    papers_document,
    papers_late,
    safe_filename,
)
from riskpath.meetings.models import (
    Meeting,
    MeetingStatus,
)

# ---------------------------------------------------------------------------------------------
# Services: downloads (audited) and publishing
# ---------------------------------------------------------------------------------------------


def _basis(actor: Any, meeting: Meeting) -> str:
    """Why the actor may have the meeting's documents, for the audit trail."""
    if policy.check("can_run_every_meeting", actor):
        return "meeting administrator"
    return "meeting chair" if chairs(actor, meeting) else "meeting participant"


def minutes_export(
    *, actor: Any, meeting: Meeting, version: str, fmt: str, young_person: Any = None
) -> Download:
    """The minutes as a file, recorded as MINUTES_EXPORTED with the format and version. The
    family's version is for ``young_person`` (see ``family_young_person``) and is recorded
    with them as its subject."""
    if version not in VERSIONS:
        raise FieldErrors({"version": "Choose the full minutes or the family's version"})
    if fmt not in FORMATS:
        raise FieldErrors({"format": "Choose DOCX or PDF"})
    if version == "family" and not family_version_applies(meeting):
        raise NotPermitted(
            "This meeting has no version for a young person and family: it is not about one "
            "young person and no young person is on its agenda."
        )
    allowed = (
        may_produce_family_version(actor, meeting)
        if version == "family"
        else policy.check("can_view_meeting", actor, meeting)
    )
    if not allowed:
        raise NotPermitted(
            "Only business support, the chair or the vice-chair can produce the version for "
            "the young person and family."
            if version == "family"
            else "You cannot download these minutes."
        )
    person = family_young_person(meeting, young_person) if version == "family" else None
    doc = minutes_document(actor, meeting, version, person)
    content = render_docx(doc) if fmt == "docx" else render_pdf(doc)
    audit_record(
        actor=actor,
        verb=Verb.MINUTES_EXPORTED,
        target=meeting,
        subject=person if person is not None else meeting.young_person,
        basis=_basis(actor, meeting),
        changes={"format": fmt, "version": version, "status": meeting.status},
    )
    return Download(content, CONTENT_TYPES[fmt], minutes_filename(meeting, version, fmt))


def minutes_recipients(meeting: Meeting) -> list[Any]:
    """Who the approved minutes will be circulated to: the users ``minutes_circulate`` e-mails
    (those recorded present, or present as deputies, with an active account and an e-mail
    address), by name. The caller checks that the reader may see the meeting's attendance."""
    ids = [user.pk for user in _recipients(meeting)]
    users = User.objects.filter(pk__in=ids).select_related("agency")
    return sorted(users, key=lambda user: (user.full_name.lower(), str(user.pk)))


def papers_open(*, actor: Any, meeting: Meeting) -> Download:
    """This member's papers pack, recorded as PAPERS_OPENED."""
    if not policy.check("can_open_papers", actor, meeting):
        raise NotPermitted("The papers for this meeting have not been published yet.")
    doc = papers_document(actor, meeting)
    content = render_pdf(doc)
    audit_record(
        actor=actor,
        verb=Verb.PAPERS_OPENED,
        target=meeting,
        subject=meeting.young_person,
        basis=_basis(actor, meeting),
        changes={"published": meeting.papers_published_at is not None},
    )
    stem = safe_filename(f"Papers {meeting.title} {_local(meeting.starts_at):%Y-%m-%d}")
    return Download(content, CONTENT_TYPES["pdf"], f"{stem}.pdf")


def papers_publish(*, actor: Any, meeting: Meeting, expected_version: int) -> Meeting:
    """Publish the papers to the members: they can then open their own pack. Publishing again
    (after the agenda changed) records the new time."""
    if not policy.check("can_publish_papers", actor, meeting):
        raise NotPermitted("Only business support or the chair can publish the papers.")
    if meeting.status == MeetingStatus.CANCELLED:
        raise FieldErrors({"meeting": "This meeting has been cancelled"})
    now = clock.now()
    again = meeting.papers_published_at is not None
    with transaction.atomic():
        meeting.papers_published_at = now
        save_versioned(
            meeting,
            expected_version=expected_version,
            fields=["papers_published_at"],
            label="meeting",
        )
        audit_record(
            actor=actor,
            verb=Verb.PAPERS_PUBLISHED,
            target=meeting,
            subject=meeting.young_person,
            changes={
                "papers_due_on": meeting.papers_due_on.isoformat()
                if meeting.papers_due_on
                else None,
                "late": papers_late(meeting),
                "again": again,
            },
        )
    return meeting


@dataclass(frozen=True)
class Opening:
    """Who opened the papers: how often, first and last."""

    actor_id: Any
    name: str
    times: int
    first: dt.datetime
    last: dt.datetime


def papers_openings(meeting: Meeting) -> list[Opening]:
    """Who has opened the meeting's papers, read from the audit trail (as ``record_views_of``
    reads record views), by name. The caller checks ``can_publish_papers``."""
    events = AuditEvent.objects.filter(
        verb=Verb.PAPERS_OPENED, target_id=str(meeting.pk), target_type="meetings.meeting"
    ).order_by("seq")
    seen: dict[Any, Opening] = {}
    for actor_id, label, when in events.values_list("actor_id", "actor_label", "occurred_at"):
        key = actor_id or label
        known = seen.get(key)
        if known is None:
            seen[key] = Opening(actor_id, label, 1, when, when)
        else:
            seen[key] = Opening(actor_id, known.name, known.times + 1, known.first, when)
    return sorted(seen.values(), key=lambda o: o.name.lower())
