"""Research before the meeting: the names circulated, and each agency's name check.

The seeds expect members to research the names on a PIMM agenda and bring what their agency
knows. So, for a meeting type that circulates names (``MeetingType.research_days_after``, on
by default for the PIMM, the targeted PIMM and the HSB/AIM panel), a participant sees the
*identity* — name, aliases, date of birth, address, school — of every young person, person of
interest and place the published agenda is about, from publication until that many days after
the meeting (``can_research_meeting``). Nothing beyond identity: the items themselves, the
intelligence and the records stay need-to-know (``riskpath.meetings.sight``). Every identity
shown is recorded (``IDENTITY_VIEWED``) on the basis "on the agenda of <meeting>".

Each participant answers for their agency, per subject, "known to my agency: yes / no" with a
short note (a ``NameCheck``, one per agency and subject, versioned); those who run the meeting
see the answers by agency (``can_view_name_checks``). Confidential slots and items taken off
the agenda are not circulated."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page
from django.db import IntegrityError, transaction

from riskpath.access import policy
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, FieldErrors, NotPermitted
from riskpath.core.paging import page_at
from riskpath.core.versioning import save_versioned
from riskpath.locations.models import Location
from riskpath.meetings.agenda.sections import display_key
from riskpath.meetings.models import AgendaItem, AgendaSection, Meeting, NameCheck
from riskpath.people.models import PersonOfInterest, YoungPerson

RESEARCH = "can_research_meeting"
REPLIES = "can_view_name_checks"
PER_PAGE = 25
MAX_NOTE = 500
KINDS = {
    "young_person": (YoungPerson, "Young person"),
    "person_of_interest": (PersonOfInterest, "Person of interest"),
    "location": (Location, "Place"),
}
SECTION_LABELS = dict(AgendaSection.choices)


def research_basis(meeting: Meeting) -> str:
    return f"on the agenda of {meeting.title} ({meeting.starts_at:%d %B %Y})"


def research_until(meeting: Meeting) -> dt.datetime | None:
    """When the names stop being circulated (None: the type does not circulate them)."""
    days = meeting.meeting_type.research_days_after
    if days is None:
        return None
    try:
        return meeting.ends_at + dt.timedelta(days=days)
    except OverflowError:  # a meeting at the end of the calendar: no end to show
        return None


@dataclass
class Subject:
    """One young person, person of interest or place on the agenda, as identity only."""

    key: str  # "young_person:<id>"
    kind: str
    label: str  # "Young person"
    sections: list[str]  # the labels of the agenda sections it comes up in
    obj: Any = None
    name: str = ""
    aliases: list[str] = field(default_factory=list)
    date_of_birth: dt.date | None = None
    address: str = ""
    school: str = ""
    mine: NameCheck | None = None  # the reader's agency's answer
    replies: list[NameCheck] = field(default_factory=list)  # every agency's, for the runners


@dataclass
class Research:
    meeting: Meeting
    page: Page
    total: int
    until: dt.datetime | None
    researches: bool  # may answer for their agency
    sees_replies: bool  # sees every agency's answers
    agencies_replied: int = 0


def _subject_key(kind: str, pk: Any) -> str:
    return f"{kind}:{pk}"


def _agenda_subjects(meeting: Meeting) -> list[tuple[str, str, Any, list[str]]]:
    """(key, kind, pk, section labels) of the subjects of the agenda's live, open items, in the
    order of business, each once."""
    rows = AgendaItem.objects.filter(
        meeting=meeting, removed_at__isnull=True, confidential=False
    ).values_list("section", "position", "young_person_id", "person_of_interest_id", "location_id")
    order: dict[str, tuple[str, Any, tuple[int, int]]] = {}
    sections: dict[str, list[str]] = defaultdict(list)
    for section, position, yp, poi, loc in rows:
        where = display_key(section, position)
        for kind, pk in (("young_person", yp), ("person_of_interest", poi), ("location", loc)):
            if pk is None:
                continue
            key = _subject_key(kind, pk)
            if key not in order or where < order[key][2]:
                order[key] = (kind, pk, where)
            label = SECTION_LABELS.get(section, "")
            if label and label not in sections[key]:
                sections[key].append(label)
    ranked = sorted(order.items(), key=lambda kv: (kv[1][2], kv[0]))
    return [(key, kind, pk, sections[key]) for key, (kind, pk, _) in ranked]


def _identity(subject: Subject, obj: Any) -> None:
    subject.obj = obj
    subject.name = str(obj)
    if subject.kind == "young_person":
        subject.aliases = list(obj.aliases or [])
        subject.date_of_birth = obj.date_of_birth
        subject.address = ", ".join(p for p in (obj.locality, obj.postcode) if p)
        subject.school = obj.school
    elif subject.kind == "person_of_interest":
        person = obj.young_person if obj.young_person_id else obj
        subject.aliases = list(person.aliases or [])
        subject.date_of_birth = person.date_of_birth
        subject.address = person.postcode
        subject.school = getattr(person, "school", "")
    else:
        subject.address = ", ".join(p for p in (obj.address, obj.postcode) if p)


def _check(user: Any, meeting: Meeting) -> tuple[bool, bool]:
    researches = policy.check(RESEARCH, user, meeting)
    sees_replies = policy.check(REPLIES, user, meeting)
    if not (researches or sees_replies):
        raise NotPermitted(
            "The names on this agenda are not circulated to you: they are shown to the "
            "meeting's participants from the papers' publication until shortly after it."
        )
    return researches, sees_replies


def _shown(
    user: Any,
    meeting: Meeting,
    entries: list[tuple[str, str, Any, list[str]]],
    researches: bool,
    sees_replies: bool,
) -> list[Subject]:
    """The subjects ``entries`` as identity with their answers, each identity recorded as
    read (subjects deleted since they were put on the agenda are not circulated)."""
    wanted: dict[str, list[Any]] = defaultdict(list)
    for _key, kind, pk, _sections in entries:
        wanted[kind].append(pk)
    found: dict[str, Any] = {}
    for kind, pks in wanted.items():
        qs = KINDS[kind][0].objects.filter(area_id=meeting.area_id, pk__in=pks)
        if kind == "person_of_interest":
            qs = qs.select_related("young_person")
        for obj in qs:
            found[_subject_key(kind, obj.pk)] = obj
    shown = []
    for key, kind, _pk, sections in entries:
        obj = found.get(key)
        if obj is not None:
            subject = Subject(key=key, kind=kind, label=KINDS[kind][1], sections=sections)
            _identity(subject, obj)
            shown.append(subject)
    checks = NameCheck.objects.filter(
        meeting=meeting, subject__in=[s.key for s in shown]
    ).select_related("agency", "recorded_by")
    if not sees_replies:
        checks = checks.filter(agency_id=user.agency_id)
    by_subject: dict[str, list[NameCheck]] = defaultdict(list)
    for check in checks.order_by("agency__name", "pk"):
        by_subject[check.subject].append(check)
    for subject in shown:
        replies = by_subject.get(subject.key, [])
        subject.mine = next((c for c in replies if c.agency_id == user.agency_id), None)
        subject.replies = replies if sees_replies else []
    basis = research_basis(meeting) if researches else "runs the meeting"
    with transaction.atomic():
        for subject in shown:
            audit_record(
                actor=user,
                verb=Verb.IDENTITY_VIEWED,
                target=subject.obj,
                subject=subject.obj if subject.kind == "young_person" else None,
                basis=basis,
                changes={"meeting": str(meeting.pk)},
            )
        if sees_replies and shown:
            audit_record(
                actor=user,
                verb=Verb.NAME_CHECKS_VIEWED,
                target=meeting,
                basis="runs the meeting",
                changes={"subjects": len(shown)},
            )
    return shown


def research_for_user(user: Any, meeting: Meeting, page_number: Any = 1) -> Research:
    """A page of the agenda's subjects as identity only, with the reader's agency's answers
    (and, for those who run the meeting, every agency's). Each identity shown is recorded.
    NotPermitted when the names are not circulated to the reader (the caller has checked they
    may see the meeting)."""
    researches, sees_replies = _check(user, meeting)
    everything = _agenda_subjects(meeting)
    page = page_at(everything, page_number, PER_PAGE)
    page.object_list = _shown(user, meeting, list(page.object_list), researches, sees_replies)
    replied = 0
    if sees_replies:
        replied = NameCheck.objects.filter(meeting=meeting).values("agency_id").distinct().count()
    return Research(
        meeting=meeting,
        page=page,
        total=len(everything),
        until=research_until(meeting),
        researches=researches,
        sees_replies=sees_replies,
        agencies_replied=replied,
    )


def research_subject_for_user(user: Any, meeting: Meeting, key: str) -> Subject:
    """One subject of the agenda as identity, with the reader's agency's answer, for the
    reader to answer the name check (recorded as read). NotPermitted as ``research_for_user``;
    FieldErrors when ``key`` is not on the agenda."""
    if not policy.check(RESEARCH, user, meeting):
        _check(user, meeting)  # says why: not circulated to them
        raise NotPermitted("Only the meeting's participants answer name checks.")
    entries = [e for e in _agenda_subjects(meeting) if e[0] == key]
    shown = _shown(user, meeting, entries, True, False) if entries else []
    if not shown:
        raise FieldErrors({"subject": "Choose someone or somewhere on this meeting's agenda"})
    return shown[0]


def _subject_on_agenda(meeting: Meeting, key: str) -> tuple[str, Any]:
    for subject_key, kind, pk, _sections in _agenda_subjects(meeting):
        if subject_key == key:
            return kind, pk
    raise FieldErrors({"subject": "Choose someone or somewhere on this meeting's agenda"})


def name_check_record(
    *,
    actor: Any,
    meeting: Meeting,
    subject: str,
    known: Any,
    note: str = "",
    expected_version: int | None = None,
) -> NameCheck:
    """Record (or change) the actor's agency's answer for ``subject`` (a key from the research
    page). A change names the version it was based on and is refused if another member of the
    agency answered since; a first answer racing another is refused the same way."""
    if not policy.check(RESEARCH, actor, meeting):
        raise NotPermitted(
            "You can answer a name check only as a participant, while the names are circulated."
        )
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if known not in (True, False):
        errors["known"] = "Say whether your agency knows them: yes or no"
    if len(note) > MAX_NOTE:
        errors["note"] = f"Keep the note to {MAX_NOTE} characters or fewer"
    if errors:
        raise FieldErrors(errors)
    kind, pk = _subject_on_agenda(meeting, subject)
    now = clock.now()
    with transaction.atomic():
        existing = (
            NameCheck.objects.select_for_update()
            .filter(meeting=meeting, agency_id=actor.agency_id, subject=subject)
            .first()
        )
        if existing is None:
            if expected_version is not None:
                raise ConcurrentEditError("name check")
            check = NameCheck(
                meeting=meeting,
                agency_id=actor.agency_id,
                subject=subject,
                known=known,
                note=note,
                recorded_by=actor,
                recorded_at=now,
                **{f"{kind}_id": pk},
            )
            try:
                with transaction.atomic():
                    check.save()
            except IntegrityError as exc:  # another member of the agency answered first
                raise ConcurrentEditError("name check") from exc
        else:
            if expected_version is None:
                raise ConcurrentEditError("name check")
            existing.known = known
            existing.note = note
            existing.recorded_by = actor
            existing.recorded_at = now
            check = save_versioned(
                existing,
                expected_version=expected_version,
                fields=["known", "note", "recorded_by", "recorded_at"],
                label="name check",
            )
        audit_record(
            actor=actor,
            verb=Verb.NAME_CHECK_RECORDED,
            target=meeting,
            subject=check.young_person if kind == "young_person" else None,
            basis=research_basis(meeting),
            changes={"subject": subject, "known": known, "note": "recorded" if note else ""},
        )
    return check
