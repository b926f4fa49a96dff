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
form.

By part: ``content`` (what a reader may have, as a plain ``Document``), ``as_docx`` and
``as_pdf`` (laying a ``Document`` out), ``services`` (audited downloads, publishing the
papers). This module is the package's public face: callers import from it."""

from riskpath.meetings.documents.as_docx import render_docx
from riskpath.meetings.documents.as_pdf import render_pdf
from riskpath.meetings.documents.content import (
    CONTENT_TYPES,
    FORMATS,
    REMOVED,
    VERSION_LABELS,
    VERSIONS,
    Document,
    Download,
    family_version_applies,
    family_young_people,
    family_young_person,
    may_produce_family_version,
    minutes_document,
    minutes_filename,
    papers_document,
    papers_late,
)
from riskpath.meetings.documents.services import (
    Opening,
    minutes_export,
    minutes_recipients,
    papers_open,
    papers_openings,
    papers_publish,
)

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "REMOVED",
    "VERSIONS",
    "VERSION_LABELS",
    "Document",
    "Download",
    "Opening",
    "family_version_applies",
    "family_young_people",
    "family_young_person",
    "may_produce_family_version",
    "minutes_document",
    "minutes_export",
    "minutes_filename",
    "minutes_recipients",
    "papers_document",
    "papers_late",
    "papers_open",
    "papers_openings",
    "papers_publish",
    "render_docx",
    "render_pdf",
]
