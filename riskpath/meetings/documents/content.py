"""What a reader may have of a meeting, as a plain ``Document``: the minutes (full, or the version
for one young person and their family) and a member's papers pack. What each holds is decided
by ``riskpath.meetings.sight.meeting_sight``; this module only turns it into blocks (headings,
paragraphs, bullets, notices). Nothing here renders a file, and nothing in the renderers
decides access."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from django.db.models import QuerySet
from django.utils import timezone

from riskpath.access import policy
from riskpath.accounts.models import User
from riskpath.core import clock
from riskpath.core.errors import FieldErrors
from riskpath.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CoreMember,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberCapacity,
)
from riskpath.meetings.sight import REMOVED_MARK, MeetingSight, meeting_sight
from riskpath.people.models import YoungPerson

Version = Literal["full", "family"]
Format = Literal["docx", "pdf"]
VERSIONS: tuple[str, ...] = ("full", "family")
FORMATS: tuple[str, ...] = ("docx", "pdf")
VERSION_LABELS = {"full": "Full minutes", "family": "Version for the young person and family"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MARKING = "OFFICIAL-SENSITIVE"
REMOVED = REMOVED_MARK

# ---------------------------------------------------------------------------------------------
# The document model
# ---------------------------------------------------------------------------------------------

BlockKind = Literal[
    "subtitle", "heading", "subheading", "para", "label", "bullet", "notice", "table"
]


@dataclass(frozen=True)
class Block:
    """One block of a document. A ``table`` block's ``text`` is its caption, ``header`` its
    column headings and ``rows`` its cells (as many per row as there are headings);
    ``widths`` are the columns' shares of the page's width."""

    kind: BlockKind
    text: str
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[int, ...] = ()

    def lines(self) -> list[str]:
        """What the block says, one line per table row."""
        if self.kind != "table":
            return [self.text]
        return [self.text, *(" | ".join(row) for row in (self.header, *self.rows))]


@dataclass
class Document:
    title: str
    footer: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: BlockKind, text: str) -> None:
        if text.strip():
            self.blocks.append(Block(kind, text.strip()))

    def add_table(
        self,
        caption: str,
        header: tuple[str, ...],
        rows: Sequence[tuple[str, ...]],
        widths: tuple[int, ...] = (),
    ) -> None:
        """A table under ``caption`` (nothing when there are no rows)."""
        if rows:
            cells = tuple(tuple(cell.strip() for cell in row) for row in rows)
            self.blocks.append(
                Block("table", caption.strip(), tuple(header), cells, widths or (1,) * len(header))
            )

    def tables(self, caption: str) -> list[Block]:
        """The tables under ``caption``, for tests."""
        return [b for b in self.blocks if b.kind == "table" and b.text == caption]

    def text(self) -> str:
        """Everything the document says, for tests and searches."""
        return "\n".join([self.title, *(line for b in self.blocks for line in b.lines())])


@dataclass(frozen=True)
class Download:
    """A rendered file: its bytes, content type and the file name to offer."""

    content: bytes
    content_type: str
    filename: str

    def content_disposition(self) -> str:
        return content_disposition(self.filename)


def content_disposition(filename: str) -> str:
    """``attachment`` with the exact name in RFC 6266/5987 ``filename*`` (UTF-8,
    percent-encoded, so a name holding slashes survives) and a plain ASCII ``filename``
    fallback in which anything a file name may not hold is replaced."""
    fallback = safe_filename(filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def safe_filename(name: str) -> str:
    """An ASCII file name: slashes become hyphens; quotes, backslashes and other characters
    file systems or headers refuse are dropped."""
    name = name.replace("/", "-").replace("\\", "-")
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r'[\x00-\x1f"*:<>?|;]', "", name)
    return re.sub(r"\s+", " ", name).strip() or "document"


# ---------------------------------------------------------------------------------------------
# Who may have what
# ---------------------------------------------------------------------------------------------


def _agenda_young_people(meeting: Meeting) -> QuerySet[YoungPerson]:
    """The young people the meeting's agenda items (not taken off) are about."""
    ids = AgendaItem.objects.filter(
        meeting=meeting, removed_at__isnull=True, young_person__isnull=False
    ).values("young_person")
    return YoungPerson.objects.filter(pk__in=ids)


def family_version_applies(meeting: Meeting) -> bool:
    """A version for a young person and their family exists for a meeting about one young
    person, and for one with at least one young person on its agenda."""
    return bool(meeting.young_person_id) or _agenda_young_people(meeting).exists()


def family_young_people(meeting: Meeting) -> list[YoungPerson]:
    """Whom a family's version may be for: the young person the meeting is about, otherwise
    each young person on its agenda, by name."""
    if meeting.young_person_id:
        return [meeting.young_person] if meeting.young_person else []
    return list(_agenda_young_people(meeting).order_by("family_name", "given_names", "pk"))


CHOOSE_YOUNG_PERSON = "Choose the young person the family's version is for"
NOT_ON_AGENDA = "Choose one of the young people on the meeting's agenda"


def family_young_person(meeting: Meeting, young_person: Any = None) -> YoungPerson:
    """The young person a family's version is for: ``young_person`` (a young person, or their
    id) checked against the meeting. For a meeting about one young person it is that person
    (the default) and nobody else; for any other meeting it must be given and be on the
    agenda. Raises ``FieldErrors`` naming ``young_person``."""
    if young_person is None or young_person == "":
        if meeting.young_person_id and meeting.young_person:
            return meeting.young_person
        raise FieldErrors({"young_person": CHOOSE_YOUNG_PERSON})
    raw = young_person.pk if isinstance(young_person, YoungPerson) else young_person
    try:
        wanted = uuid.UUID(str(raw))
    except ValueError:
        raise FieldErrors({"young_person": NOT_ON_AGENDA}) from None
    if meeting.young_person_id:
        if meeting.young_person and wanted == uuid.UUID(str(meeting.young_person_id)):
            return meeting.young_person
        raise FieldErrors(
            {"young_person": "This meeting's family version is for the young person it is about"}
        )
    for person in family_young_people(meeting):
        if uuid.UUID(str(person.pk)) == wanted:
            return person
    raise FieldErrors({"young_person": NOT_ON_AGENDA})


def may_produce_family_version(user: User, meeting: Meeting) -> bool:
    """Whether ``user`` may produce the family's version of the minutes: where one applies,
    and the policy lets them (``can_produce_family_version``)."""
    return family_version_applies(meeting) and policy.check(
        "can_produce_family_version", user, meeting
    )


# ---------------------------------------------------------------------------------------------
# Layout helpers
# ---------------------------------------------------------------------------------------------


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _when(value: dt.datetime) -> str:
    local = _local(value)
    return f"{_date(local.date())}, {local:%H:%M}"


def _owner(action: Action) -> str:
    if action.owner_user_id and action.owner_user:
        owner = action.owner_user.full_name
        if action.owner_agency_id and action.owner_agency:
            owner = f"{owner} ({action.owner_agency})"
        return owner
    return str(action.owner_agency) if action.owner_agency else "no owner"


def _action_line(seen: MeetingSight, action: Action) -> str:
    about = "; ".join(seen.about(action))
    line = f"{action.description} Owner: {_owner(action)}. Due {_date(action.due_on)}."
    if about:
        line += f" About: {about}."
    if not action.is_open:
        line += " Closed" + (f": {action.outcome}" if action.outcome else ".")
    return seen.redact(line)


def _time_box(item: AgendaItem) -> str:
    parts = []
    if item.slot_starts_at:
        parts.append(f"Slot {_local(item.slot_starts_at):%H:%M}")
    if item.minutes_allowed:
        parts.append(f"{item.minutes_allowed} minutes")
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# The minutes
# ---------------------------------------------------------------------------------------------


def minutes_title(meeting: Meeting) -> str:
    """HSB/AIM minutes carry the panel's legal-meetings name with the meeting's date."""
    if meeting.meeting_type.kind == MeetingKind.HSB_AIM:
        return f"P25 {_local(meeting.starts_at):%Y/%m/%d} LEGAL MEETINGS (HSB AIM)"
    return f"Minutes: {meeting.title}"


def minutes_filename(meeting: Meeting, version: str, fmt: str) -> str:
    """The file name offered for the download (may hold slashes: see
    ``content_disposition``)."""
    if meeting.meeting_type.kind == MeetingKind.HSB_AIM:
        stem = minutes_title(meeting)
    else:
        stem = f"Minutes {meeting.title} {_local(meeting.starts_at):%Y-%m-%d}"
    if version == "family":
        stem += " (young person and family)"
    return f"{stem}.{fmt}"


def minutes_document(
    user: Any, meeting: Meeting, version: str, young_person: Any = None
) -> Document:
    """The minutes as ``user`` may have them (see the module's description). The caller
    checks ``can_view_meeting`` (``may_produce_family_version`` for the family's). The
    family's version is for ``young_person`` (see ``family_young_person``, which raises
    ``FieldErrors``); the full minutes ignore it.

    Made for meetings of a hundred items and more: each item that was discussed (minuted,
    or with a decision or an action) has its own section, with its actions in a table;
    the items that were not are listed once, together, by number and title."""
    family = version == "family"
    person = family_young_person(meeting, young_person) if family else None
    seen = meeting_sight(user, meeting, family_of=person)

    doc = Document(
        title=minutes_title(meeting),
        footer=f"{MARKING} - {VERSION_LABELS[version if family else 'full']}",
    )
    doc.add("subtitle", VERSION_LABELS["family" if family else "full"])
    if person is not None:
        doc.add("para", f"For {person} and their family.")
    if meeting.status != MeetingStatus.APPROVED:
        doc.add("notice", "DRAFT: these minutes have not yet been approved by the chair.")
    doc.add("label", "Meeting")
    doc.add("para", meeting.title)
    doc.add("label", "Type")
    doc.add("para", meeting.meeting_type.name)
    doc.add("label", "Date")
    end = _local(meeting.ends_at)
    doc.add("para", f"{_when(meeting.starts_at)} to {end:%H:%M}")
    if meeting.place:
        doc.add("label", "Where")
        doc.add("para", meeting.place)
    rows = _attendance_rows(meeting)
    for label, value in _chairing(meeting, rows):
        doc.add("label", label)
        doc.add("para", value)
    if meeting.status == MeetingStatus.APPROVED and meeting.approved_at:
        approver = meeting.approved_by.full_name if meeting.approved_by else "the chair"
        doc.add("para", f"Approved by {approver} on {_date(_local(meeting.approved_at).date())}.")

    _attendance(doc, rows)

    doc.add("heading", "Agenda and minutes")
    if not seen.items:
        doc.add("para", "There were no agenda items.")
    not_discussed: list[tuple[str, ...]] = []
    for number, item_seen in enumerate(seen.items, 1):
        item = item_seen.item
        if not item_seen.shown:
            doc.add("subheading", f"{number}. Item withheld")
            doc.add("para", f"{item_seen.withheld}.")
            continue
        discussion = seen.discussion(item_seen)
        decisions = seen.decisions(item_seen)
        actions = seen.actions_of(item_seen)
        if not (discussion or decisions or actions):
            title = seen.title(item_seen)
            if item.confidential:
                title += " (confidential slot)"
            not_discussed.append((str(number), title))
            continue
        doc.add("subheading", f"{number}. {seen.title(item_seen)}")
        if item.confidential:
            doc.add("notice", "CONFIDENTIAL SLOT")
        doc.add("para", item.get_kind_display())
        for line in seen.about(item):
            doc.add("para", line)
        doc.add("para", seen.detail(item_seen))
        if item.action is not None:
            _actions_table(doc, "Action under review", seen, [item.action])
        _intelligence_blocks(doc, seen.intelligence_lines(item_seen))
        if discussion:
            doc.add("label", "Discussion")
            doc.add("para", discussion)
        if decisions:
            doc.add("label", "Decisions")
            for decision in decisions:
                doc.add("bullet", seen.decision_line(decision))
        _actions_table(doc, "Actions", seen, actions)
    if not_discussed:
        doc.add("heading", "Items not discussed")
        doc.add(
            "para",
            f"{len(not_discussed)} item{'s' if len(not_discussed) != 1 else ''} on the agenda "
            "had no minutes, decisions or actions recorded.",
        )
        doc.add_table("Items not discussed", ("No.", "Item"), not_discussed, (1, 11))

    loose = seen.loose_actions()
    if loose:
        doc.add("heading", "Other actions")
        _actions_table(doc, "Actions outside the agenda items", seen, loose)
    if seen.removed and not family:
        doc.add("heading", "Taken off the agenda")
        for item_seen in seen.removed:
            if item_seen.shown:
                reason = seen.redact(item_seen.item.removal_reason) or "no reason recorded"
                doc.add("bullet", f"{seen.title(item_seen)}: {reason}")
            else:
                doc.add("bullet", f"{item_seen.withheld}.")
    return doc


ACTION_COLUMNS = ("Action", "Owner", "Due")


def _action_row(seen: MeetingSight, action: Action) -> tuple[str, str, str]:
    """An action as a row of its table: what (with what it is about, and its outcome once
    closed), who owns it, when it is due; each cell as the reader may have it."""
    what = action.description.strip()
    about = "; ".join(seen.about(action))
    if about:
        what += f" About: {about}."
    if not action.is_open:
        what += f" {action.get_status_display()}" + (
            f": {action.outcome}" if action.outcome else "."
        )
    return (seen.redact(what), seen.redact(_owner(action)), _date(action.due_on))


def _actions_table(doc: Document, caption: str, seen: MeetingSight, actions: list[Action]) -> None:
    if actions:
        doc.add("label", caption)
        rows = [_action_row(seen, action) for action in actions]
        doc.add_table(caption, ACTION_COLUMNS, rows, (7, 3, 2))


def _attendance_rows(meeting: Meeting) -> list[Attendance]:
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("user", "agency", "user__agency", "deputy_for")
        .order_by("created_at")
    )


def _chairing(meeting: Meeting, rows: list[Attendance]) -> list[tuple[str, str]]:
    """Who chaired: the chair named on the meeting, otherwise the meeting type's chair; its
    vice-chair; and, where no chair is named on the meeting and the type's chair was not
    recorded there while a vice-chair was, that the vice-chair chaired in their place (as
    ``riskpath.meetings.access.approves`` decides who approves)."""
    members = list(
        CoreMember.objects.filter(
            meeting_type_id=meeting.meeting_type_id,
            capacity__in=(MemberCapacity.CHAIR, MemberCapacity.VICE_CHAIR),
        )
        .select_related("user")
        .order_by("created_at")
    )
    chairs = [m.user for m in members if m.capacity == MemberCapacity.CHAIR]
    vices = [m.user for m in members if m.capacity == MemberCapacity.VICE_CHAIR]
    there = {
        row.user_id
        for row in rows
        if row.user_id and row.status in (AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY)
    }
    out: list[tuple[str, str]] = []
    if meeting.chair_id and meeting.chair:
        out.append(("Chair", meeting.chair.full_name))
    elif chairs:
        out.append(("Chair", ", ".join(u.full_name for u in chairs)))
    else:
        out.append(("Chair", "Not recorded"))
    vices = [u for u in vices if u.pk != meeting.chair_id]
    if vices:
        out.append(("Vice-chair", ", ".join(u.full_name for u in vices)))
    if not meeting.chair_id and rows:
        stood_in = [u for u in vices if u.pk in there]
        if stood_in and not any(u.pk in there for u in chairs):
            names = ", ".join(u.full_name for u in stood_in)
            out.append(("Chaired by", f"{names} (vice-chair), in the chair's absence"))
    return out


ATTENDANCE_ORDER = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.DEPUTY,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.ABSENT,
)


def _attendance(doc: Document, rows: list[Attendance]) -> None:
    """Who was there, sent apologies or was absent, as one table (those only invited, whose
    attendance was never recorded, are left out)."""

    def name(row: Attendance) -> str:
        return row.user.full_name if row.user else row.name

    def agency(row: Attendance) -> str:
        if row.is_family:
            return "Family"
        found = row.agency or (row.user.agency if row.user else None)
        return str(found) if found else ""

    def status(row: Attendance) -> str:
        label = row.get_status_display()
        if row.status == AttendanceStatus.DEPUTY and row.deputy_for:
            label += f" for {row.deputy_for.full_name}"
        return label

    doc.add("heading", "Attendance")
    recorded = sorted(
        (r for r in rows if r.status in ATTENDANCE_ORDER),
        key=lambda r: (ATTENDANCE_ORDER.index(AttendanceStatus(r.status)), name(r).lower()),
    )
    counts = [
        f"{AttendanceStatus(s).label}: {sum(1 for r in recorded if r.status == s)}"
        for s in ATTENDANCE_ORDER
    ]
    if not recorded:
        doc.add("para", "No attendance was recorded.")
        return
    doc.add("para", ". ".join(counts) + ".")
    doc.add_table(
        "Attendance",
        ("Name", "Agency", "Attendance"),
        [(name(r), agency(r), status(r)) for r in recorded],
        (4, 4, 4),
    )


def _intelligence_blocks(doc: Document, lines: list[str]) -> None:
    if lines:
        doc.add("label", "Intelligence")
        for line in lines:
            doc.add("bullet", line)


# ---------------------------------------------------------------------------------------------
# The papers pack
# ---------------------------------------------------------------------------------------------


def papers_late(meeting: Meeting) -> bool:
    """Published after the type's papers deadline (or not yet published and past it)."""
    if meeting.papers_due_on is None:
        return False
    if meeting.papers_published_at is None:
        return clock.today() > meeting.papers_due_on
    return _local(meeting.papers_published_at).date() > meeting.papers_due_on


def papers_document(user: Any, meeting: Meeting) -> Document:
    """This member's papers pack. The caller checks ``can_open_papers``."""
    seen = meeting_sight(user, meeting)
    items = seen.items

    doc = Document(title=f"Papers: {meeting.title}", footer=f"{MARKING} - Papers for {user}")
    doc.add("subtitle", f"Prepared for {user.full_name}")
    doc.add("label", "Type")
    doc.add("para", meeting.meeting_type.name)
    doc.add("label", "Date")
    doc.add("para", f"{_when(meeting.starts_at)} to {_local(meeting.ends_at):%H:%M}")
    if meeting.place:
        doc.add("label", "Where")
        doc.add("para", meeting.place)
    if meeting.chair:
        doc.add("label", "Chair")
        doc.add("para", meeting.chair.full_name)
    doc.add("label", "Papers")
    status = []
    if meeting.papers_due_on:
        status.append(f"Due by {_date(meeting.papers_due_on)}.")
    if meeting.papers_published_at:
        status.append(f"Published {_when(meeting.papers_published_at)}.")
        if papers_late(meeting):
            status.append("Published late.")
    else:
        status.append("Not yet published: this is a preview.")
    doc.add("para", " ".join(status))
    doc.add(
        "para",
        "This pack holds only what you are entitled to see. Do not share it outside the meeting.",
    )

    doc.add("heading", "Agenda")
    if not items:
        doc.add("para", "The agenda has no items yet.")
    for number, item_seen in enumerate(items, 1):
        item = item_seen.item
        box = _time_box(item)
        flags = " [CONFIDENTIAL SLOT]" if item.confidential and item_seen.shown else ""
        title = seen.title(item_seen) if item_seen.shown else f"Item withheld: {item_seen.withheld}"
        doc.add("bullet", f"{number}. {title}{flags}" + (f" - {box}" if box else ""))

    for number, item_seen in enumerate(items, 1):
        item = item_seen.item
        if not item_seen.shown:
            doc.add("subheading", f"{number}. Item withheld")
            doc.add("para", f"{item_seen.withheld}.")
            continue
        doc.add("subheading", f"{number}. {seen.title(item_seen)}")
        if item.confidential:
            doc.add("notice", "CONFIDENTIAL SLOT")
        box = _time_box(item)
        doc.add("para", item.get_kind_display() + (f". {box}" if box else ""))
        for line in seen.about(item):
            doc.add("para", line)
        doc.add("para", seen.detail(item_seen))
        if item.action is not None:
            doc.add("label", "Action under review")
            doc.add("bullet", _action_line(seen, item.action))
        _intelligence_blocks(doc, seen.intelligence_lines(item_seen))
    return doc
