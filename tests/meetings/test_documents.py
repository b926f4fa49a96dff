"""The meeting's documents: the minutes as DOCX and PDF, in full and in the version for the
young person and family, and each member's papers pack. The files are opened and read back:
DOCX with python-docx, PDF from its uncompressed content (built with
``MEETINGS_PDF_COMPRESS = False``)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import docx
import pytest
from django.utils import timezone

from riskpath.access import policy
from riskpath.audit.models import AuditEvent
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, FieldErrors, NotPermitted
from riskpath.intelligence.models import IntelligenceItem
from riskpath.meetings import documents, sight
from riskpath.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionKind,
    ItemKind,
    ItemMinutes,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from riskpath.people.models import PersonOfInterest, YoungPerson
from tests.cohort.factories import IntelligenceItemFactory
from tests.documents import docx_text, pdf_text
from tests.factories import YoungPersonFactory
from tests.meetings.scenario import Scene, at, next_weekday, schedule

pytestmark = pytest.mark.django_db

# Words that appear in exactly one place of the minutes, so that the tests can say where
# each piece of text went.
CONFIDENTIAL = "Zephyrine"  # the confidential slot's discussion
POI_GIVEN, POI_FAMILY = "Dorian", "Quillfeather"  # the person of interest (invented)
POI_ITEM = "Lanternwick"  # the person-of-interest item's discussion
C_TEXT = "Wolfsbane"  # handling-code-C intelligence
C_DETAIL = "Cardamine"  # the description of an item built from C intelligence
P_TEXT = "Peppermoor"  # handling-code-P intelligence
WELCOME = "Hawthornley"  # an ordinary item's discussion
REVIEW = "Marigoldsby"  # the young person's review discussion
REMOVED_REASON = "Duplicate of item two"


@dataclass
class Minuted:
    meeting: Meeting
    poi: PersonOfInterest
    c_item: IntelligenceItem
    p_item: IntelligenceItem
    items: list[AgendaItem]


def _item(meeting: Meeting, position: int, title: str, discussion: str, **kwargs: Any) -> Any:
    item = AgendaItem.objects.create(
        meeting=meeting, position=position, title=title, kind=kwargs.pop("kind", "other"), **kwargs
    )
    if discussion:
        ItemMinutes.objects.create(item=item, discussion=discussion, minuted_at=timezone.now())
    return item


def minuted_meeting(
    scene: Scene, *, kind: str = MeetingKind.MARMM, young_person: YoungPerson | None = None
) -> Minuted:
    """A held meeting with its minutes, made directly with the ORM: attendance (present,
    a deputy, apologies, a family member), an ordinary item, an item about the young person
    built from code-P and code-C intelligence (with decisions and actions, one about a person
    of interest), a confidential slot, an item about a person of interest, and an item taken
    off the agenda."""
    person = young_person or scene.person
    meeting = schedule(scene, meeting_type=scene.type_of(kind), young_person=person)
    meeting.status = MeetingStatus.HELD
    meeting.chair = scene.chair
    meeting.save()
    Attendance.objects.update_or_create(
        meeting=meeting, user=scene.chair, defaults={"status": AttendanceStatus.PRESENT}
    )
    Attendance.objects.update_or_create(
        meeting=meeting, user=scene.officer, defaults={"status": AttendanceStatus.PRESENT}
    )
    Attendance.objects.update_or_create(
        meeting=meeting, user=scene.social_worker, defaults={"status": AttendanceStatus.APOLOGIES}
    )
    Attendance.objects.create(
        meeting=meeting,
        user=scene.deputy,
        status=AttendanceStatus.DEPUTY,
        deputy_for=scene.social_worker,
    )
    Attendance.objects.create(
        meeting=meeting, name="Robin Fernleigh", is_family=True, status=AttendanceStatus.PRESENT
    )
    poi = PersonOfInterest.objects.create(
        area=scene.area,
        given_names=POI_GIVEN,
        family_name=POI_FAMILY,
        aliases=["Dizzy"],
        recording_agency=scene.police,
        recorded_by=scene.officer,
    )
    c_item = IntelligenceItemFactory(
        source_agency=scene.police,
        submitted_by=scene.officer,
        handling_code="C",
        handling_conditions="Police only: covert source",
        text=f"Covert source reports {C_TEXT} activity near the retail park.",
        about=[person],
    )
    p_item = IntelligenceItemFactory(
        source_agency=scene.social_care,
        text=f"Seen at the {P_TEXT} youth club late at night.",
        about=[person],
    )
    welcome = _item(meeting, 1, "Welcome and introductions", f"Introductions {WELCOME}.")
    review = _item(
        meeting,
        2,
        f"Review of {person}",
        f"School attendance has improved {REVIEW}. {POI_FAMILY} was seen waiting outside.",
        kind=ItemKind.COHORT_REVIEW,
        young_person=person,
        detail=f"Two new items of intelligence {C_DETAIL}.",
        intelligence_ids=[str(p_item.pk), str(c_item.pk)],
        minutes_allowed=15,
    )
    for text in (
        "Keep at tier 2 while school engagement holds.",
        "Refer to the mentoring service.",
    ):
        Decision.objects.create(
            item=review,
            kind=DecisionKind.OTHER,
            text=text,
            young_person=person,
            recorded_by=scene.chair,
            recorded_at=timezone.now(),
        )
    Action.objects.create(
        area=scene.area,
        meeting=meeting,
        item=review,
        description="Arrange a mentoring introduction.",
        owner_user=scene.social_worker,
        young_person=person,
        due_on=clock.today() + dt.timedelta(days=14),
        created_by=scene.business_support,
    )
    Action.objects.create(
        area=scene.area,
        meeting=meeting,
        item=review,
        description="Serve a disruption notice on the adult seen waiting.",
        owner_agency=scene.police,
        person_of_interest=poi,
        due_on=clock.today() + dt.timedelta(days=7),
        created_by=scene.business_support,
    )
    confidential = _item(
        meeting,
        3,
        "Confidential slot: professionals only",
        f"Safety planning {CONFIDENTIAL} discussed without the family.",
        confidential=True,
    )
    poi_item = _item(
        meeting,
        4,
        "Person of interest",
        f"Disruption options {POI_ITEM} reviewed.",
        kind=ItemKind.NEW_INTELLIGENCE,
        person_of_interest=poi,
    )
    removed = _item(
        meeting,
        5,
        "Item taken off",
        "",
        removed_at=timezone.now(),
        removed_by=scene.chair,
        removal_reason=REMOVED_REASON,
    )
    return Minuted(meeting, poi, c_item, p_item, [welcome, review, confidential, poi_item, removed])


# ---------------------------------------------------------------------------------------------
# Reading the files back
# ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _uncompressed_pdfs(settings: Any) -> None:
    settings.MEETINGS_PDF_COMPRESS = False


def read(download: documents.Download) -> str:
    if download.content_type == documents.CONTENT_TYPES["pdf"]:
        return pdf_text(download.content)
    return docx_text(download.content)


# ---------------------------------------------------------------------------------------------
# The minutes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_full_minutes_hold_everything_minuted(scene: Scene, fmt: str) -> None:
    m = minuted_meeting(scene)
    # The officer leads the work with the young person (so sees the items about them), and
    # their agency submitted the code-C item (so may read it in full).
    YoungPerson.objects.filter(pk=scene.person.pk).update(lead_professional=scene.officer)
    assert policy.check("can_read_intelligence_in_full", scene.officer, m.c_item)
    text = read(
        documents.minutes_export(actor=scene.officer, meeting=m.meeting, version="full", fmt=fmt)
    )
    for word in (CONFIDENTIAL, POI_ITEM, POI_FAMILY, POI_GIVEN, C_TEXT, C_DETAIL, WELCOME, REVIEW):
        assert word in text, word
    assert "CONFIDENTIAL SLOT" in text
    # Attendance, one row each: present, the deputy and for whom, apologies, the family.
    assert scene.chair.full_name in text
    flat = " ".join(text.split())
    assert f"{scene.chair.full_name} Constabulary Present" in flat
    assert (
        f"{scene.deputy.full_name} Children's services Present as deputy for "
        f"{scene.social_worker.full_name}" in flat
    )
    assert f"{scene.social_worker.full_name} Children's services Apologies" in flat
    assert "Robin Fernleigh Family Present" in flat
    # Decisions; actions in a table (action, owner, due); the removed item with its reason.
    assert "Keep at tier 2 while school engagement holds." in flat
    assert "Action Owner Due" in flat and "Arrange a mentoring introduction." in flat
    due = clock.today() + dt.timedelta(days=14)
    assert f"{scene.social_worker.full_name} {due.day} {due:%B %Y}" in flat
    assert REMOVED_REASON in flat
    # Items are in agenda order.
    assert (
        flat.index(WELCOME) < flat.index(REVIEW) < flat.index(CONFIDENTIAL) < flat.index(POI_ITEM)
    )
    assert "DRAFT" in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_family_version_leaves_out_confidential_slots_pois_and_code_c(
    scene: Scene, fmt: str
) -> None:
    m = minuted_meeting(scene)
    text = read(
        documents.minutes_export(
            actor=scene.business_support, meeting=m.meeting, version="family", fmt=fmt
        )
    )
    assert WELCOME in text and REVIEW in text
    assert "Keep at tier 2" in " ".join(text.split())
    assert "Arrange a mentoring introduction." in " ".join(text.split())
    for word in (CONFIDENTIAL, "CONFIDENTIAL SLOT", "professionals only"):
        assert word not in text, word
    for word in (POI_ITEM, POI_GIVEN, POI_FAMILY, "Dizzy", "disruption notice"):
        assert word not in text, word
    assert documents.REMOVED in text  # the name in the review's discussion
    for word in (C_TEXT, C_DETAIL, m.c_item.source_agency.name + ", graded"):
        assert word not in text, word
    assert REMOVED_REASON not in text
    assert "young person and family" in text


def test_the_family_version_carries_no_code_c_text_even_when_quoted(scene: Scene) -> None:
    m = minuted_meeting(scene)
    minutes = m.items[0].minutes
    minutes.discussion += " " + m.c_item.text
    minutes.save()
    family = documents.minutes_document(scene.business_support, m.meeting, "family").text()
    full = documents.minutes_document(scene.officer, m.meeting, "full").text()
    assert C_TEXT not in family
    assert C_TEXT in full


def test_the_full_version_shows_code_c_only_as_a_summary_to_those_it_does_not_permit(
    scene: Scene,
) -> None:
    m = minuted_meeting(scene)
    assert not policy.check("can_read_intelligence_in_full", scene.business_support, m.c_item)
    text = documents.minutes_document(scene.business_support, m.meeting, "full").text()
    assert C_TEXT not in text
    assert f"{scene.police.name}, graded {m.c_item.grading} (restricted summary)" in text
    assert CONFIDENTIAL in text and POI_FAMILY in text


def test_in_a_meeting_about_one_young_person_the_family_version_leaves_out_others(
    scene: Scene,
) -> None:
    m = minuted_meeting(scene)
    other = YoungPersonFactory(recording_agency=scene.social_care, family_name="Brackenridge")
    _item(m.meeting, 6, f"Review of {other}", "Sibling concerns Thistledown.", young_person=other)
    family = documents.minutes_document(scene.business_support, m.meeting, "family").text()
    full = documents.minutes_document(scene.business_support, m.meeting, "full").text()
    assert "Thistledown" in full and "Thistledown" not in family
    assert "Brackenridge" not in family


# ---------------------------------------------------------------------------------------------
# The family's version of a meeting about several young people (a PIMM)
# ---------------------------------------------------------------------------------------------

A_ITEM = "Brambleworth"  # the discussion of A's ordinary item
A_CONFIDENTIAL = "Nightjarrow"  # the discussion of A's confidential item
B_ITEM = "Quincebury"  # the discussion of B's item
GENERAL = "Pebblecombe"  # the discussion of an item about nobody in particular
PIMM_POI = "Sorrelgate"  # the discussion of the person-of-interest item


@dataclass
class Pimm:
    meeting: Meeting
    a: YoungPerson
    b: YoungPerson
    absent: YoungPerson  # only on an item taken off the agenda
    poi: PersonOfInterest


def pimm_meeting(scene: Scene) -> Pimm:
    """A held PIMM about two young people, A (Ashcombe) and B (Birchwood): a general item, an
    item about each (A's mentions B by name, and carries a decision and an action about B), a
    confidential item about A, an item about a person of interest, actions outside the items
    about each, and an item about a third young person taken off the agenda."""
    meeting = schedule(scene)
    meeting.status = MeetingStatus.HELD
    meeting.chair = scene.chair
    meeting.save()
    Attendance.objects.update_or_create(
        meeting=meeting, user=scene.chair, defaults={"status": AttendanceStatus.PRESENT}
    )
    a = YoungPersonFactory(
        recording_agency=scene.social_care, given_names="Arden", family_name="Ashcombe"
    )
    b = YoungPersonFactory(
        recording_agency=scene.social_care,
        given_names="Blaise",
        family_name="Birchwood",
        aliases=["Birdie"],
    )
    absent = YoungPersonFactory(
        recording_agency=scene.social_care, given_names="Corin", family_name="Cloudberry"
    )
    poi = PersonOfInterest.objects.create(
        area=scene.area,
        given_names="Evander",
        family_name="Gallowmere",
        recording_agency=scene.police,
        recorded_by=scene.officer,
    )
    _item(meeting, 1, "Themes and hotspots", f"Area themes {GENERAL}.")
    a_item = _item(
        meeting,
        2,
        f"Review of {a}",
        f"Attendance improving {A_ITEM}. Seen with Blaise Birchwood (Birdie) in town, "
        "then Blaise alone on the birchwood path.",
        kind=ItemKind.COHORT_REVIEW,
        young_person=a,
    )
    for person, text in ((a, "Keep Arden at tier 2."), (b, "Refer Blaise to the youth team.")):
        Decision.objects.create(
            item=a_item,
            kind=DecisionKind.OTHER,
            text=text,
            young_person=person,
            recorded_by=scene.chair,
            recorded_at=timezone.now(),
        )
    for person, text in ((a, "Book a mentoring session."), (b, "Visit the other family.")):
        Action.objects.create(
            area=scene.area,
            meeting=meeting,
            item=a_item,
            description=text,
            owner_agency=scene.social_care,
            young_person=person,
            due_on=clock.today() + dt.timedelta(days=7),
            created_by=scene.business_support,
        )
    _item(
        meeting,
        3,
        f"Review of {b}",
        f"Missing episodes {B_ITEM}.",
        kind=ItemKind.COHORT_REVIEW,
        young_person=b,
    )
    _item(
        meeting,
        4,
        f"Confidential: {a}",
        f"Disclosure {A_CONFIDENTIAL} discussed.",
        young_person=a,
        confidential=True,
    )
    _item(
        meeting,
        5,
        "Person of interest",
        f"Disruption {PIMM_POI}.",
        kind=ItemKind.NEW_INTELLIGENCE,
        person_of_interest=poi,
    )
    _item(
        meeting,
        6,
        f"Review of {absent}",
        "",
        young_person=absent,
        removed_at=timezone.now(),
        removal_reason="Closed",
    )
    for person, text in (
        (a, "Call Arden's school."),
        (b, "Call Blaise's school."),
        (None, "Patrol the park."),
    ):
        Action.objects.create(
            area=scene.area,
            meeting=meeting,
            description=text,
            owner_agency=scene.police,
            young_person=person,
            due_on=clock.today() + dt.timedelta(days=7),
            created_by=scene.business_support,
        )
    return Pimm(meeting, a, b, absent, poi)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_family_version_of_a_pimm_is_about_one_young_person_only(
    scene: Scene, fmt: str
) -> None:
    p = pimm_meeting(scene)
    assert documents.family_version_applies(p.meeting)
    assert documents.family_young_people(p.meeting) == [p.a, p.b]  # by name; not the removed
    text = read(
        documents.minutes_export(
            actor=scene.business_support,
            meeting=p.meeting,
            version="family",
            fmt=fmt,
            young_person=p.a.pk,
        )
    )
    flat = " ".join(text.split())
    assert A_ITEM in text
    assert "Keep Arden at tier 2." in flat
    assert "Book a mentoring session." in flat
    assert "Call Arden's school." in flat
    assert "Arden Ashcombe" in flat
    # Not B's item, nor the decision and actions about B, nor B's name or alias anywhere.
    for word in (B_ITEM, "Refer Blaise", "Visit the other family", "Call Blaise", "Birchwood"):
        assert word not in flat, word
    assert "Blaise" not in flat and "Birdie" not in flat
    # Names go as whole words in any case: the lower-case "birchwood" too (the family's
    # version errs on the side of removing).
    assert "then [removed] alone on the [removed] path" in flat
    # Not the confidential item, the person of interest, the general item or the loose action
    # about nobody in particular; not the item taken off the agenda.
    for word in (A_CONFIDENTIAL, "CONFIDENTIAL SLOT", PIMM_POI, "Gallowmere", GENERAL):
        assert word not in flat, word
    for word in ("Patrol the park", "Cloudberry", "Taken off the agenda"):
        assert word not in flat, word
    # The full minutes hold everything.
    full = documents.minutes_document(scene.business_support, p.meeting, "full").text()
    for word in (A_ITEM, B_ITEM, A_CONFIDENTIAL, PIMM_POI, GENERAL, "Birchwood"):
        assert word in full, word


def test_the_family_version_of_a_pimm_for_b_leaves_out_a(scene: Scene) -> None:
    p = pimm_meeting(scene)
    text = documents.minutes_document(
        scene.chair, p.meeting, "family", young_person=str(p.b.pk)
    ).text()
    assert B_ITEM in text and "Call Blaise's school." in text
    for word in (A_ITEM, A_CONFIDENTIAL, "Ashcombe", "Arden", "Book a mentoring"):
        assert word not in text, word


def test_the_family_version_of_a_pimm_needs_a_young_person_on_its_agenda(
    scene: Scene,
) -> None:
    p = pimm_meeting(scene)
    for chosen in (None, ""):
        with pytest.raises(FieldErrors) as info:
            documents.minutes_export(
                actor=scene.business_support,
                meeting=p.meeting,
                version="family",
                fmt="pdf",
                young_person=chosen,
            )
        assert info.value.errors == {
            "young_person": "Choose the young person the family's version is for"
        }
    stranger = YoungPersonFactory(recording_agency=scene.social_care)
    for chosen in (p.absent.pk, stranger.pk, scene.person, "not-an-id"):
        with pytest.raises(FieldErrors) as info:
            documents.minutes_export(
                actor=scene.business_support,
                meeting=p.meeting,
                version="family",
                fmt="docx",
                young_person=chosen,
            )
        assert set(info.value.errors) == {"young_person"}
    assert not AuditEvent.objects.filter(verb="MINUTES_EXPORTED").exists()
    # Those who may not produce it are refused before the young person is looked at.
    with pytest.raises(NotPermitted):
        documents.minutes_export(
            actor=scene.officer, meeting=p.meeting, version="family", fmt="pdf"
        )


def test_the_family_version_of_a_pimm_is_audited_with_its_young_person(scene: Scene) -> None:
    p = pimm_meeting(scene)
    download = documents.minutes_export(
        actor=scene.chair, meeting=p.meeting, version="family", fmt="pdf", young_person=p.a.pk
    )
    event = AuditEvent.objects.get(verb="MINUTES_EXPORTED")
    assert event.subject_id == str(p.a.pk)
    assert event.target_id == str(p.meeting.pk)
    assert event.changes["version"] == "family"
    # The file name says nothing about whom it is for.
    assert download.filename.endswith(" (young person and family).pdf")
    assert "Ashcombe" not in download.filename and "Arden" not in download.filename


def test_a_meeting_about_one_young_person_has_their_version_only(scene: Scene) -> None:
    m = minuted_meeting(scene)
    other = YoungPersonFactory(recording_agency=scene.social_care)
    _item(m.meeting, 6, f"Review of {other}", "", young_person=other)
    assert documents.family_young_people(m.meeting) == [scene.person]
    chosen = documents.minutes_document(
        scene.business_support, m.meeting, "family", young_person=scene.person.pk
    )
    default = documents.minutes_document(scene.business_support, m.meeting, "family")
    assert chosen.text() == default.text()
    with pytest.raises(FieldErrors) as info:
        documents.minutes_export(
            actor=scene.business_support,
            meeting=m.meeting,
            version="family",
            fmt="pdf",
            young_person=other.pk,
        )
    assert set(info.value.errors) == {"young_person"}


def test_who_may_produce_the_family_version(scene: Scene) -> None:
    m = minuted_meeting(scene)
    for user in (scene.business_support, scene.chair):
        assert documents.may_produce_family_version(user, m.meeting)
    for user in (scene.officer, scene.deputy, scene.teacher, scene.stranger):
        assert not documents.may_produce_family_version(user, m.meeting)
        with pytest.raises(NotPermitted):
            documents.minutes_export(actor=user, meeting=m.meeting, version="family", fmt="pdf")
    # A PIMM with no young person on its agenda has no family version at all...
    pimm = schedule(scene)
    assert not documents.family_version_applies(pimm)
    with pytest.raises(NotPermitted):
        documents.minutes_export(
            actor=scene.business_support, meeting=pimm, version="family", fmt="docx"
        )
    assert not documents.may_produce_family_version(scene.business_support, pimm)
    # ...nor one whose only young person's item was taken off...
    _item(
        pimm,
        1,
        "Dropped",
        "",
        young_person=scene.person,
        removed_at=timezone.now(),
        removal_reason="Not needed",
    )
    assert not documents.family_version_applies(pimm)
    # ...but once a young person is on its agenda it has one (whatever the type).
    assert not pimm.meeting_type.family_may_attend
    _item(pimm, 2, "Review", "", young_person=scene.person)
    assert documents.family_version_applies(pimm)
    for user in (scene.business_support, scene.chair):
        assert documents.may_produce_family_version(user, pimm)
    assert not documents.may_produce_family_version(scene.officer, pimm)


def test_a_download_is_audited_with_format_and_version(scene: Scene) -> None:
    m = minuted_meeting(scene)
    documents.minutes_export(actor=scene.chair, meeting=m.meeting, version="family", fmt="docx")
    event = AuditEvent.objects.filter(verb="MINUTES_EXPORTED").get()
    assert event.actor_id == scene.chair.pk
    assert event.target_id == str(m.meeting.pk)
    assert event.subject_id == str(scene.person.pk)
    assert event.changes["format"] == "docx"
    assert event.changes["version"] == "family"
    assert event.basis == "meeting chair"
    documents.minutes_export(
        actor=scene.business_support, meeting=m.meeting, version="full", fmt="pdf"
    )
    event = AuditEvent.objects.filter(verb="MINUTES_EXPORTED").order_by("-seq").first()
    assert event is not None
    assert (event.basis, event.changes["format"], event.changes["version"]) == (
        "meeting administrator",
        "pdf",
        "full",
    )


def test_hsb_aim_minutes_carry_the_legal_meetings_name(scene: Scene) -> None:
    aim = scene.type_of(MeetingKind.HSB_AIM)
    day = next_weekday(0)
    meeting = schedule(scene, meeting_type=aim, starts_at=at(day, 13))
    name = f"P25 {day:%Y/%m/%d} LEGAL MEETINGS (HSB AIM)"
    pdf = documents.minutes_export(
        actor=scene.business_support, meeting=meeting, version="full", fmt="pdf"
    )
    word = documents.minutes_export(
        actor=scene.business_support, meeting=meeting, version="full", fmt="docx"
    )
    assert pdf.filename == f"{name}.pdf" and word.filename == f"{name}.docx"
    opened = docx.Document(io.BytesIO(word.content))
    assert opened.core_properties.title == name
    assert opened.paragraphs[0].text == name
    assert pdf_text(pdf.content).splitlines()[0] == name
    disposition = word.content_disposition()
    assert "/" not in disposition.split("filename*=")[0]
    assert f'filename="P25 {day:%Y-%m-%d} LEGAL MEETINGS (HSB AIM).docx"' in disposition
    encoded = f"P25%20{day:%Y}%2F{day:%m}%2F{day:%d}%20LEGAL%20MEETINGS%20%28HSB%20AIM%29.docx"
    assert f"filename*=UTF-8''{encoded}" in disposition


def test_text_outside_latin_1_is_made_plain_in_pdfs(scene: Scene) -> None:
    m = minuted_meeting(scene)
    minutes = m.items[0].minutes
    minutes.discussion = (
        "Zo\u00eb\u2019s plan \u2013 agreed\u2026 \u0141ukasz said \u201cyes\u201d \u4f60\u597d"
    )
    minutes.save()
    text = pdf_text(
        documents.minutes_export(
            actor=scene.business_support, meeting=m.meeting, version="full", fmt="pdf"
        ).content
    )
    assert 'Zoë\'s plan - agreed... Lukasz said "yes" ??' in text


def test_intelligence_ids_that_are_not_ids_are_ignored(scene: Scene) -> None:
    m = minuted_meeting(scene)
    AgendaItem.objects.filter(pk=m.items[0].pk).update(intelligence_ids=["not-an-id", 7])
    assert WELCOME in documents.minutes_document(scene.officer, m.meeting, "full").text()


# ---------------------------------------------------------------------------------------------
# Papers
# ---------------------------------------------------------------------------------------------


def _papers_meeting(scene: Scene) -> tuple[Meeting, YoungPerson]:
    meeting = schedule(scene)
    unknown = YoungPersonFactory(
        recording_agency=scene.social_care, given_names="Ellery", family_name="Stonecrop"
    )
    p_item = IntelligenceItemFactory(
        source_agency=scene.social_care,
        text=f"Seen at the {P_TEXT} youth club.",
        about=[scene.person],
    )
    c_item = IntelligenceItemFactory(
        source_agency=scene.police,
        submitted_by=scene.officer,
        handling_code="C",
        handling_conditions="Police only",
        text=f"Covert source {C_TEXT}.",
        about=[scene.person],
    )
    _item(meeting, 1, "Apologies and actions", "", minutes_allowed=5)
    _item(
        meeting,
        2,
        f"Review of {scene.person}",
        "",
        young_person=scene.person,
        intelligence_ids=[str(p_item.pk), str(c_item.pk)],
        detail="New intelligence this fortnight.",
        minutes_allowed=20,
    )
    _item(meeting, 3, f"Review of {unknown}", "", young_person=unknown, detail="Stonecrop notes")
    _item(
        meeting,
        4,
        "Professionals only",
        "",
        confidential=True,
        slot_starts_at=at(clock.today(), 11),
    )
    _item(meeting, 5, "Dropped", "", removed_at=timezone.now(), removal_reason="Not needed")
    earlier = Action.objects.create(
        area=scene.area,
        meeting=schedule(scene),
        description="Check in with the school.",
        owner_agency=scene.school,
        young_person=unknown,
        due_on=clock.today(),
        created_by=scene.business_support,
    )
    _item(meeting, 6, "Open action from an earlier meeting", "", kind="open_action", action=earlier)
    return meeting, unknown


def test_a_member_without_access_to_a_young_person_gets_a_pack_without_them(
    scene: Scene,
) -> None:
    meeting, unknown = _papers_meeting(scene)
    # The officer leads the work with the first young person (submitting intelligence about a
    # child is not involvement with them).
    YoungPerson.objects.filter(pk=scene.person.pk).update(lead_professional=scene.officer)
    assert policy.check("can_view_young_person", scene.officer, scene.person)
    assert not policy.check("can_view_young_person", scene.officer, unknown)
    assert policy.check("can_view_young_person", scene.social_worker, unknown)
    documents.papers_publish(
        actor=scene.business_support, meeting=meeting, expected_version=meeting.version
    )
    meeting.refresh_from_db()
    officer = pdf_text(documents.papers_open(actor=scene.officer, meeting=meeting).content)
    worker = pdf_text(documents.papers_open(actor=scene.social_worker, meeting=meeting).content)
    assert "Stonecrop" not in officer and "Ellery" not in officer
    # Twice in the agenda, twice in the items: the young person's item and the item reviewing
    # an action about them; and the confidential slot, which nobody but the chair and business
    # support is in before the meeting.
    assert officer.count("Item withheld") == 6
    assert officer.count(sight.WITHHELD_YOUNG_PERSON) == 4
    assert "Professionals only" not in officer and "Professionals only" not in worker
    assert "Check in with the school." not in officer
    assert "Stonecrop" in worker and "Check in with the school." in worker
    # Intelligence: in full where the handling code allows, else the restricted summary.
    assert C_TEXT in officer
    assert C_TEXT not in worker
    assert "(restricted summary)" in worker
    assert P_TEXT in worker


def test_the_pack_holds_the_agenda_in_order_with_time_boxes_and_slots(scene: Scene) -> None:
    meeting, _ = _papers_meeting(scene)
    for reader in (scene.social_worker, scene.chair):
        doc = documents.papers_document(reader, meeting)
        agenda = [b.text for b in doc.blocks if b.kind == "bullet"][:4]
        assert agenda[0] == "1. Apologies and actions - 5 minutes"
        assert agenda[1].startswith(f"2. Review of {scene.person}") and "20 minutes" in agenda[1]
        assert "Dropped" not in doc.text()
    # The chair sees the confidential slot; a member not (yet) in it sees only that there is one.
    assert agenda[3] == "4. Professionals only [CONFIDENTIAL SLOT] - Slot 11:00"
    member = [b.text for b in documents.papers_document(scene.social_worker, meeting).blocks]
    assert f"4. Item withheld: {sight.WITHHELD_SLOT} - Slot 11:00" in member


def test_papers_are_published_by_business_support_and_late_after_the_deadline(
    scene: Scene,
) -> None:
    meeting, _ = _papers_meeting(scene)
    with pytest.raises(NotPermitted):
        documents.papers_open(actor=scene.officer, meeting=meeting)
    # Business support may check the pack before publishing it.
    preview = documents.papers_document(scene.business_support, meeting).text()
    assert "Not yet published: this is a preview." in preview
    with pytest.raises(NotPermitted):
        documents.papers_publish(actor=scene.officer, meeting=meeting, expected_version=1)
    Meeting.objects.filter(pk=meeting.pk).update(papers_due_on=clock.today() - dt.timedelta(days=1))
    meeting.refresh_from_db()
    with pytest.raises(ConcurrentEditError):
        documents.papers_publish(
            actor=scene.business_support, meeting=meeting, expected_version=meeting.version + 1
        )
    documents.papers_publish(
        actor=scene.business_support, meeting=meeting, expected_version=meeting.version
    )
    meeting.refresh_from_db()
    assert meeting.papers_published_at is not None
    assert documents.papers_late(meeting)
    event = AuditEvent.objects.get(verb="PAPERS_PUBLISHED")
    assert event.changes["late"] is True
    text = documents.papers_document(scene.officer, meeting).text()
    assert "Published late." in text and "Due by" in text


def test_each_opening_is_audited_and_listed(scene: Scene) -> None:
    meeting, _ = _papers_meeting(scene)
    documents.papers_publish(
        actor=scene.business_support, meeting=meeting, expected_version=meeting.version
    )
    documents.papers_open(actor=scene.officer, meeting=meeting)
    documents.papers_open(actor=scene.officer, meeting=meeting)
    documents.papers_open(actor=scene.chair, meeting=meeting)
    assert AuditEvent.objects.filter(verb="PAPERS_OPENED", target_id=str(meeting.pk)).count() == 3
    openings = {o.actor_id: o for o in documents.papers_openings(meeting)}
    assert set(openings) == {scene.officer.pk, scene.chair.pk}
    assert openings[scene.officer.pk].times == 2
    assert openings[scene.officer.pk].first <= openings[scene.officer.pk].last


# ---------------------------------------------------------------------------------------------
# The minutes at the size of a real PIMM
# ---------------------------------------------------------------------------------------------

BIG = 120  # items on a real fortnightly PIMM's agenda
DISCUSSED = (3, 40, 77, 118)  # the items minuted (numbers on the agenda)
DECIDED = 41  # an item with a decision only
ACTIONED = 90  # an item with an action only


def real_size_pimm(scene: Scene) -> Meeting:
    """A held PIMM of ``BIG`` items, of which only ``DISCUSSED`` were minuted, ``DECIDED``
    has a decision and ``ACTIONED`` an action; the rest were not discussed. No chair is named
    on the meeting (it is the PIMM's standing chair); the chair, the officer and the social
    worker were present."""
    meeting = schedule(scene)
    meeting.status = MeetingStatus.HELD
    meeting.save()
    for user in (scene.chair, scene.officer, scene.social_worker):
        Attendance.objects.update_or_create(
            meeting=meeting, user=user, defaults={"status": AttendanceStatus.PRESENT}
        )
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=n,
            kind=ItemKind.COHORT_REVIEW if n % 2 else ItemKind.NEW_INTELLIGENCE,
            title=f"Agenda item number {n:03d}",
        )
        for n in range(1, BIG + 1)
    )
    for n in DISCUSSED:
        ItemMinutes.objects.create(
            item=items[n - 1], discussion=f"Discussed at item {n:03d}.", minuted_at=timezone.now()
        )
    Decision.objects.create(
        item=items[DECIDED - 1],
        kind=DecisionKind.TIER_CHANGE,
        text="Move to tier 3.",
        recorded_by=scene.chair,
        recorded_at=timezone.now(),
    )
    for description, owner, days in (
        ("Share the school's attendance record.", scene.officer, 5),
        ("Visit the family at home.", scene.social_worker, 10),
    ):
        Action.objects.create(
            area=scene.area,
            meeting=meeting,
            item=items[ACTIONED - 1],
            description=description,
            owner_user=owner,
            owner_agency=owner.agency,
            due_on=clock.today() + dt.timedelta(days=days),
            created_by=scene.business_support,
        )
    return meeting


def _subheadings(doc: documents.Document) -> list[str]:
    return [b.text for b in doc.blocks if b.kind == "subheading"]


def test_a_real_size_pimm_lists_the_items_not_discussed_once(scene: Scene) -> None:
    meeting = real_size_pimm(scene)
    doc = documents.minutes_document(scene.chair, meeting, "full")
    text = doc.text()
    assert "No minutes recorded" not in text
    # Only the items discussed, decided or actioned have a section of their own...
    sections = sorted({*DISCUSSED, DECIDED, ACTIONED})
    assert _subheadings(doc) == [f"{n}. Agenda item number {n:03d}" for n in sections]
    for n in DISCUSSED:
        assert f"Discussed at item {n:03d}." in text
    # ... the others are in one table, by number and title, in agenda order.
    [table] = doc.tables("Items not discussed")
    assert table.header == ("No.", "Item")
    rest = [n for n in range(1, BIG + 1) if n not in sections]
    assert table.rows == tuple((str(n), f"Agenda item number {n:03d}") for n in rest)
    assert f"{len(rest)} items on the agenda had no minutes" in text
    # Each undiscussed item is named once, in the table only.
    assert text.count("Agenda item number 002") == 1


def test_actions_are_a_table_of_action_owner_and_due_date(scene: Scene) -> None:
    meeting = real_size_pimm(scene)
    doc = documents.minutes_document(scene.chair, meeting, "full")
    [table] = doc.tables("Actions")
    assert table.header == ("Action", "Owner", "Due")

    def due(days: int) -> str:
        day = clock.today() + dt.timedelta(days=days)
        return f"{day.day} {day:%B %Y}"

    assert table.rows == (
        (
            "Share the school's attendance record.",
            f"{scene.officer.full_name} (Constabulary)",
            due(5),
        ),
        (
            "Visit the family at home.",
            f"{scene.social_worker.full_name} (Children's services)",
            due(10),
        ),
    )
    # The table follows its item's heading.
    index = doc.blocks.index(table)
    headings = [b for b in doc.blocks[:index] if b.kind == "subheading"]
    assert headings[-1].text == f"{ACTIONED}. Agenda item number {ACTIONED:03d}"
    # In the Word file it is a real table, with the same cells.
    word = docx.Document(io.BytesIO(documents.render_docx(doc)))
    cells = [[c.text for c in row.cells] for t in word.tables for row in t.rows]
    assert ["Action", "Owner", "Due"] in cells
    assert [
        "Visit the family at home.",
        f"{scene.social_worker.full_name} (Children's services)",
        due(10),
    ] in cells
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    assert "Visit the family at home." not in paragraphs


def test_a_closed_action_says_so_with_its_outcome(scene: Scene) -> None:
    meeting = real_size_pimm(scene)
    Action.objects.filter(description="Visit the family at home.").update(
        status="closed", outcome="Visited: all well."
    )
    doc = documents.minutes_document(scene.chair, meeting, "full")
    [table] = doc.tables("Actions")
    assert table.rows[1][0] == "Visit the family at home. Closed: Visited: all well."


def _header(doc: documents.Document) -> dict[str, str]:
    """The document's header: each label with the paragraph after it, up to the first
    heading."""
    out: dict[str, str] = {}
    blocks = doc.blocks
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            break
        if block.kind == "label" and index + 1 < len(blocks):
            out[block.text] = blocks[index + 1].text
    return out


def test_the_header_names_the_chair_and_vice_chair_of_the_type(scene: Scene) -> None:
    # No chair is named on the meeting: the PIMM's standing chair chaired it.
    meeting = real_size_pimm(scene)
    header = _header(documents.minutes_document(scene.officer, meeting, "full"))
    assert header["Chair"] == scene.chair.full_name
    assert header["Vice-chair"] == scene.vice_chair.full_name
    assert "Chaired by" not in header


def test_the_header_says_when_the_vice_chair_chaired(scene: Scene) -> None:
    meeting = real_size_pimm(scene)
    Attendance.objects.filter(meeting=meeting, user=scene.chair).update(
        status=AttendanceStatus.APOLOGIES
    )
    Attendance.objects.update_or_create(
        meeting=meeting, user=scene.vice_chair, defaults={"status": AttendanceStatus.PRESENT}
    )
    header = _header(documents.minutes_document(scene.officer, meeting, "full"))
    assert (
        header["Chaired by"] == f"{scene.vice_chair.full_name} (vice-chair), in the chair's absence"
    )


def test_the_chair_named_on_the_meeting_comes_first(scene: Scene) -> None:
    meeting = real_size_pimm(scene)
    Meeting.objects.filter(pk=meeting.pk).update(chair=scene.vice_chair)
    meeting.refresh_from_db()
    header = _header(documents.minutes_document(scene.officer, meeting, "full"))
    assert header["Chair"] == scene.vice_chair.full_name
    assert "Vice-chair" not in header  # the vice-chair is the chair of this meeting


def test_attendance_is_one_table_in_order_with_counts(scene: Scene) -> None:
    m = minuted_meeting(scene)
    Attendance.objects.create(meeting=m.meeting, user=scene.teacher, status=AttendanceStatus.ABSENT)
    Attendance.objects.create(meeting=m.meeting, name="Invited Only", status="invited")
    doc = documents.minutes_document(scene.chair, m.meeting, "full")
    [table] = doc.tables("Attendance")
    assert table.header == ("Name", "Agency", "Attendance")
    assert [row[2] for row in table.rows] == [
        "Present",
        "Present",
        "Present",
        f"Present as deputy for {scene.social_worker.full_name}",
        "Apologies",
        "Absent",
    ]
    assert ("Robin Fernleigh", "Family", "Present") in table.rows
    assert (scene.teacher.full_name, "Hillside Academy", "Absent") in table.rows
    assert "Invited Only" not in doc.text()  # only invited: no attendance recorded
    assert "Present: 3. Present as deputy: 1. Apologies: 1. Absent: 1." in doc.text()


# Coded values that have a label: none may appear in a document as it is stored (the codes
# of two words or more, and the statuses whose labels never hold them as they are stored).
CODES = [
    *(k.value for k in (*ItemKind, *DecisionKind, *AttendanceStatus) if "_" in k.value),
    "invited",
    "apologies",
    "absent",
    "held",
    "closed",
]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_documents_show_labels_never_stored_codes(scene: Scene, fmt: str) -> None:
    import re

    m = minuted_meeting(scene)
    Attendance.objects.create(meeting=m.meeting, user=scene.teacher, status=AttendanceStatus.ABSENT)
    for position, kind in enumerate(ItemKind, 10):
        item = _item(m.meeting, position, f"Item {position}", "Talked about.", kind=kind)
        Decision.objects.create(
            item=item,
            kind=list(DecisionKind)[position % len(DecisionKind)],
            text="Agreed.",
            recorded_by=scene.chair,
            recorded_at=timezone.now(),
        )
    Action.objects.filter(meeting=m.meeting).update(status="closed", outcome="")
    text = read(
        documents.minutes_export(actor=scene.chair, meeting=m.meeting, version="full", fmt=fmt)
    )
    for code in CODES:
        assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text), code
    for kind in ItemKind:
        assert kind.label in text
    assert "Absent" in text and "Closed." in " ".join(text.split())
