"""A meeting's documents: the minutes as DOCX and PDF (in full for participants, and a version
for the young person and family), and each member's own papers pack (PDF).

Documents are built in two steps. ``minutes_document`` and ``papers_document`` decide what a
reader may have and turn it into a plain ``Document`` (a title and a list of blocks: headings,
paragraphs, bullets, notices); ``render_docx`` and ``render_pdf`` lay any ``Document`` out.
Nothing about access is decided while rendering.

What each version holds is decided by ``riskpath.meetings.sight.meeting_sight`` (the one
place that decides what of a meeting a reader may see); this module only lays it out:

* **Full minutes** (``can_view_meeting``): attendance, then every agenda item the reader may
  know of, in order, with its discussion, decisions and actions; items the reader may not see
  say so in one line ("An item about a young person you are not involved with", "A
  confidential slot: …"), never the name; confidential slots the reader was in are marked;
  items taken off the agenda are listed with the reason. Intelligence an item refers to is
  shown as it would be to the reader anywhere else: in full where the handling code lets them
  read it, otherwise as the restricted summary (date, agency, grading).
* **The version for the young person and family** (``may_produce_family_version``: produced
  by those who minute or approve the meeting) is always for ONE young person: the one the
  meeting is about, or, for a meeting about several (a PIMM discusses dozens), one of those
  its agenda items (not taken off) are about, chosen by whoever produces it
  (``family_young_people``, ``family_young_person``). What it keeps and drops is set out in
  docs/meetings.md. The download is recorded with the young person as its subject.
* **Papers pack** (``can_view_meeting``; once published, or before that for those who publish
  it): the agenda (items in order, with time-boxes, slots and confidential slots marked), then
  per item only what this member may see, as in the full minutes.

PDFs use the standard PDF fonts (no font file is needed on the machine): text is reduced to
Latin-1, with typographic punctuation and letters outside it replaced by their nearest plain
form."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from riskpath.access import policy
from riskpath.accounts.models import User
from riskpath.audit.models import AuditEvent
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.meetings.access import chairs
from riskpath.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
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

BlockKind = Literal["subtitle", "heading", "subheading", "para", "label", "bullet", "notice"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str


@dataclass
class Document:
    title: str
    footer: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: BlockKind, text: str) -> None:
        if text.strip():
            self.blocks.append(Block(kind, text.strip()))

    def text(self) -> str:
        """Everything the document says, for tests and searches."""
        return "\n".join([self.title, *(b.text for b in self.blocks)])


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
    ``FieldErrors``); the full minutes ignore it."""
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
    doc.add("label", "Chair")
    doc.add("para", meeting.chair.full_name if meeting.chair else "Not recorded")
    if meeting.status == MeetingStatus.APPROVED and meeting.approved_at:
        approver = meeting.approved_by.full_name if meeting.approved_by else "the chair"
        doc.add("para", f"Approved by {approver} on {_date(_local(meeting.approved_at).date())}.")

    _attendance(doc, meeting)

    doc.add("heading", "Agenda and minutes")
    if not seen.items:
        doc.add("para", "There were no agenda items.")
    for number, item_seen in enumerate(seen.items, 1):
        item = item_seen.item
        if not item_seen.shown:
            doc.add("subheading", f"{number}. Item withheld")
            doc.add("para", f"{item_seen.withheld}.")
            continue
        doc.add("subheading", f"{number}. {seen.title(item_seen)}")
        if item.confidential:
            doc.add("notice", "CONFIDENTIAL SLOT")
        if item.get_kind_display():
            doc.add("para", f"{item.get_kind_display()}")
        for line in seen.about(item):
            doc.add("para", line)
        doc.add("para", seen.detail(item_seen))
        if item.action is not None:
            doc.add("label", "Action under review")
            doc.add("bullet", _action_line(seen, item.action))
        _intelligence_blocks(doc, seen.intelligence_lines(item_seen))
        doc.add("label", "Discussion")
        doc.add("para", seen.discussion(item_seen) or "No minutes recorded.")
        decisions = seen.decisions(item_seen)
        if decisions:
            doc.add("label", "Decisions")
            for decision in decisions:
                doc.add("bullet", seen.decision_line(decision))
        actions = seen.actions_of(item_seen)
        if actions:
            doc.add("label", "Actions")
            for action in actions:
                doc.add("bullet", _action_line(seen, action))

    loose = seen.loose_actions()
    if loose:
        doc.add("heading", "Other actions")
        for action in loose:
            doc.add("bullet", _action_line(seen, action))
    if seen.removed and not family:
        doc.add("heading", "Taken off the agenda")
        for item_seen in seen.removed:
            if item_seen.shown:
                reason = seen.redact(item_seen.item.removal_reason) or "no reason recorded"
                doc.add("bullet", f"{seen.title(item_seen)}: {reason}")
            else:
                doc.add("bullet", f"{item_seen.withheld}.")
    return doc


def _attendance(doc: Document, meeting: Meeting) -> None:
    rows = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("user", "agency", "user__agency", "deputy_for")
        .order_by("created_at")
    )

    def who(row: Attendance) -> str:
        name = row.user.full_name if row.user else row.name
        agency = row.agency or (row.user.agency if row.user else None)
        if row.is_family:
            return f"{name} (family)"
        return f"{name} ({agency})" if agency else name

    doc.add("heading", "Attendance")
    groups = [
        ("Present", [who(r) for r in rows if r.status == AttendanceStatus.PRESENT]),
        (
            "Present as deputies",
            [
                who(r) + (f", deputy for {r.deputy_for.full_name}" if r.deputy_for else "")
                for r in rows
                if r.status == AttendanceStatus.DEPUTY
            ],
        ),
        ("Apologies", [who(r) for r in rows if r.status == AttendanceStatus.APOLOGIES]),
        ("Absent", [who(r) for r in rows if r.status == AttendanceStatus.ABSENT]),
    ]
    for label, names in groups:
        doc.add("label", label)
        if names:
            for name in names:
                doc.add("bullet", name)
        else:
            doc.add("para", "None recorded.")


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


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------

_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render_docx(doc: Document) -> bytes:
    import docx
    from docx.shared import Pt

    out = docx.Document()
    out.core_properties.title = doc.title
    out.core_properties.author = "riskpath"

    def clean(text: str) -> str:
        return _XML_BAD.sub("", text)

    # Style ids looked up once: python-docx looks a style up by name on every paragraph,
    # which took most of the time of a 40-item meeting's minutes.
    style_ids = {
        name: out.styles[name].style_id
        for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet")
    }
    styled = {
        "subtitle": "Subtitle",
        "heading": "Heading 1",
        "subheading": "Heading 2",
        "bullet": "List Bullet",
    }

    def paragraph(text: str, style: str | None = None) -> Any:
        para = out.add_paragraph(text)
        if style is not None:
            para._p.style = style_ids[style]
        return para

    paragraph(clean(doc.title), "Title")
    for block in doc.blocks:
        text = clean(block.text)
        if block.kind in styled:
            paragraph(text, styled[block.kind])
        elif block.kind == "label":
            paragraph("").add_run(text).bold = True
        elif block.kind == "notice":
            run = paragraph("").add_run(text)
            run.bold = True
            run.font.size = Pt(12)
        else:
            paragraph(text)
    footer = out.sections[0].footer.paragraphs[0]
    footer.text = clean(doc.footer)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2022": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\t": "    ",
        "\r": "",
        "\u0141": "L",
        "\u0142": "l",
        "\u0152": "OE",
        "\u0153": "oe",
        "\u20ac": "EUR",
    }
)


def latin1(text: str) -> str:
    """``text`` in the Latin-1 the standard PDF fonts can show: typographic punctuation made
    plain, accents outside Latin-1 dropped from their letters, anything else a '?'."""
    text = text.translate(_PLAIN)
    out = []
    for ch in text:
        code = ord(ch)
        if code < 256:
            if code >= 32 or ch == "\n":
                if not 127 <= code < 160:
                    out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    return "".join(out)


def pdf_compress() -> bool:
    """PDFs are compressed unless settings.MEETINGS_PDF_COMPRESS is False (the tests read the
    text of uncompressed ones)."""
    return bool(getattr(settings, "MEETINGS_PDF_COMPRESS", True))


def render_pdf(doc: Document) -> bytes:
    from fpdf import FPDF

    footer_text = latin1(doc.footer)

    class _PDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("helvetica", size=8)
            self.cell(0, 5, f"{footer_text} - page {self.page_no()} of {{nb}}", align="C")

    pdf = _PDF(format="A4")
    pdf.compress = pdf_compress()
    pdf.set_title(latin1(doc.title))
    pdf.set_creator("riskpath")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    pdf.add_page()

    widths: dict[tuple[str, float, str], float] = {}

    def measure(word: str) -> float:
        key = (pdf.font_style, pdf.font_size_pt, word)
        if key not in widths:
            widths[key] = pdf.get_string_width(word)
        return widths[key]

    def write(
        text: str, *, size: float, style: str = "", height: float = 5.5, indent: float = 0
    ) -> None:
        """Left-aligned, wrapped at word boundaries. (fpdf2's own ``multi_cell`` measures
        every character again for every line; this measures each word once.)"""
        pdf.set_font("helvetica", style=style, size=size)
        for line in _wrap(latin1(text), pdf.epw - indent, measure):
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(pdf.epw - indent, height, line, new_x="LMARGIN", new_y="NEXT")

    write(doc.title, size=18, style="B", height=9)
    for block in doc.blocks:
        if block.kind == "subtitle":
            write(block.text, size=13, height=7)
            pdf.ln(2)
        elif block.kind == "heading":
            pdf.ln(4)
            write(block.text, size=15, style="B", height=8)
        elif block.kind == "subheading":
            pdf.ln(3)
            write(block.text, size=12.5, style="B", height=7)
        elif block.kind == "label":
            pdf.ln(1)
            write(block.text, size=11, style="B")
        elif block.kind == "bullet":
            pdf.set_font("helvetica", size=11)
            pdf.set_x(pdf.l_margin + 2)
            pdf.cell(4, 5.5, "-")
            write(block.text, size=11, indent=6)
        elif block.kind == "notice":
            pdf.set_font("helvetica", style="B", size=11)
            pdf.multi_cell(
                pdf.epw, 7, latin1(block.text), border=1, align="C", new_x="LMARGIN", new_y="NEXT"
            )
        else:
            write(block.text, size=11)
    return bytes(pdf.output())


def _wrap(text: str, width: float, measure: Any) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (words longer than a line are cut)."""
    space = measure(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word in paragraph.split():
            size = measure(word)
            while size > width:  # a word longer than a line: cut it where it fills one
                if line:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                cut = 1
                while cut < len(word) and measure(word[: cut + 1]) <= width:
                    cut += 1
                lines.append(word[:cut])
                word = word[cut:]
                size = measure(word)
            if line and used + space + size > width:
                lines.append(" ".join(line))
                line, used = [word], size
            else:
                used += (space if line else 0.0) + size
                line.append(word)
        lines.append(" ".join(line))
    return lines
