"""The meeting itself, through its services: attendance, declarations, minutes, decisions,
held, approved and circulated."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from riskpath.audit.models import AuditEvent
from riskpath.cohort.models import CohortMembership
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors, NotPermitted
from riskpath.meetings import conduct, services
from riskpath.meetings.models import (
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionKind,
    ItemMinutes,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from tests.meetings.scenario import Scene, add_item, attend, schedule

pytestmark = pytest.mark.django_db


def row_of(meeting: Meeting, user: object) -> Attendance:
    return Attendance.objects.select_related("user", "meeting").get(meeting=meeting, user=user)


def events(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


def exploitation_meeting(scene: Scene) -> Meeting:
    return schedule(
        scene,
        meeting_type=scene.type_of(MeetingKind.STRATEGIC_EXPLOITATION),
        chair=scene.chair,
    )


# --- attendance ------------------------------------------------------------------------------


def test_attendance_is_recorded_with_deputies_guests_and_family(scene: Scene) -> None:
    meeting = schedule(scene)
    officer = row_of(meeting, scene.officer)
    conduct.attendance_record(
        actor=scene.business_support,
        attendance=officer,
        expected_version=officer.version,
        status=AttendanceStatus.PRESENT,
    )
    social = row_of(meeting, scene.social_worker)
    conduct.attendance_record(
        actor=scene.business_support,
        attendance=social,
        expected_version=social.version,
        status=AttendanceStatus.DEPUTY,
        deputy=scene.deputy,
    )
    assert row_of(meeting, scene.officer).status == AttendanceStatus.PRESENT
    assert row_of(meeting, scene.social_worker).status == AttendanceStatus.APOLOGIES
    deputy = row_of(meeting, scene.deputy)
    assert (deputy.status, deputy.deputy_for) == (AttendanceStatus.DEPUTY, scene.social_worker)
    assert deputy.is_there
    guest = conduct.attendance_add(actor=scene.chair, meeting=meeting, name="Morgan Pike")
    assert guest.status == AttendanceStatus.PRESENT and not guest.is_family
    assert events("ATTENDANCE_RECORDED") == 3

    # A PIMM has no family members; a MARMM does.
    with pytest.raises(FieldErrors) as refused:
        conduct.attendance_add(
            actor=scene.business_support, meeting=meeting, name="Jo Pike", is_family=True
        )
    assert "is_family" in refused.value.errors
    marmm = schedule(scene, meeting_type=scene.type_of(MeetingKind.MARMM))
    family = conduct.attendance_add(
        actor=scene.business_support, meeting=marmm, name="Jo Pike", is_family=True
    )
    assert family.is_family


def test_attendance_refuses_bad_input_stale_versions_and_outsiders(scene: Scene) -> None:
    meeting = schedule(scene)
    row = row_of(meeting, scene.officer)
    with pytest.raises(NotPermitted):
        conduct.attendance_record(
            actor=scene.officer, attendance=row, expected_version=row.version, status="present"
        )
    with pytest.raises(FieldErrors):
        conduct.attendance_record(
            actor=scene.chair, attendance=row, expected_version=row.version, status="invited"
        )
    with pytest.raises(FieldErrors) as no_deputy:
        conduct.attendance_record(
            actor=scene.chair, attendance=row, expected_version=row.version, status="deputy"
        )
    assert "deputy" in no_deputy.value.errors
    with pytest.raises(ConcurrentEditError):
        conduct.attendance_record(
            actor=scene.chair, attendance=row, expected_version=row.version + 1, status="absent"
        )
    with pytest.raises(FieldErrors):
        conduct.attendance_add(actor=scene.chair, meeting=meeting, name="  ")
    assert row_of(meeting, scene.officer).status == AttendanceStatus.INVITED
    assert events("ATTENDANCE_RECORDED") == 0


# --- declarations ----------------------------------------------------------------------------


def test_minutes_are_refused_until_everyone_present_has_signed_and_it_was_read(
    scene: Scene,
) -> None:
    meeting = exploitation_meeting(scene)
    item = add_item(meeting, "Trends in the town centre")
    edit = conduct.MinutesEdit(item=item, discussion="Discussed.", expected_version=0)
    # Nobody recorded as present: refused.
    with pytest.raises(conduct.MinutesRefused):
        conduct.minutes_save(actor=scene.business_support, meeting=meeting, edits=[edit])
    attend(meeting, scene.chair, scene.officer, scene.social_worker)
    guest = conduct.attendance_add(actor=scene.business_support, meeting=meeting, name="Ali Reed")

    with pytest.raises(conduct.MinutesRefused) as refused:
        conduct.minutes_save(actor=scene.business_support, meeting=meeting, edits=[edit])
    message = refused.value.message
    assert message.startswith(
        "Minutes cannot be written until everyone present has signed the confidentiality "
        "declaration: "
    )
    for name in (scene.chair.full_name, scene.officer.full_name, "Ali Reed"):
        assert name in message

    # The officer agrees in riskpath; business support records the others' paper forms.
    signed = conduct.declaration_sign(actor=scene.officer, meeting=meeting)
    assert signed.declaration_text == meeting.meeting_type.declaration_text
    assert signed.declaration_signed_at is not None
    conduct.declaration_record_paper(actor=scene.business_support, attendance=guest)
    conduct.declaration_record_paper(
        actor=scene.business_support, attendance=row_of(meeting, scene.chair)
    )
    assert conduct.declaration_unsigned(meeting) == [scene.social_worker.full_name]
    with pytest.raises(conduct.MinutesRefused) as still:
        conduct.minutes_save(actor=scene.business_support, meeting=meeting, edits=[edit])
    assert still.value.message.endswith(f": {scene.social_worker.full_name}")
    with pytest.raises(conduct.MinutesRefused):
        conduct.decision_record(
            actor=scene.business_support, item=item, kind=DecisionKind.OTHER, text="Agreed"
        )
    conduct.declaration_sign(actor=scene.social_worker, meeting=meeting)

    # Everyone has signed, but it has not been read out.
    with pytest.raises(conduct.MinutesRefused) as unread:
        conduct.minutes_save(actor=scene.business_support, meeting=meeting, edits=[edit])
    assert "read out" in unread.value.message
    with pytest.raises(NotPermitted):  # only the chair records the reading
        conduct.declaration_read(
            actor=scene.business_support, meeting=meeting, expected_version=meeting.version
        )
    conduct.declaration_read(actor=scene.chair, meeting=meeting, expected_version=meeting.version)
    assert meeting.declaration_read_at is not None

    conduct.minutes_save(actor=scene.business_support, meeting=meeting, edits=[edit])
    assert ItemMinutes.objects.get(item=item).discussion == "Discussed."
    assert events("DECLARATION_SIGNED") == 4
    assert events("DECLARATION_READ") == 1
    how = AuditEvent.objects.filter(verb="DECLARATION_SIGNED").values_list("changes", flat=True)
    assert sum("on paper" in c["how"] for c in how) == 2


def test_only_those_present_sign_and_a_meeting_without_declaration_needs_none(
    scene: Scene,
) -> None:
    meeting = exploitation_meeting(scene)
    with pytest.raises(DomainError):  # invited, not present
        conduct.declaration_sign(actor=scene.chair, meeting=meeting)
    with pytest.raises(NotPermitted):  # not at the meeting at all
        conduct.declaration_sign(actor=scene.teacher, meeting=meeting)
    pimm = schedule(scene)
    assert conduct.minutes_blocker(pimm) == ""
    attend(pimm, scene.officer)
    with pytest.raises(DomainError):
        conduct.declaration_sign(actor=scene.officer, meeting=pimm)


# --- minutes ---------------------------------------------------------------------------------


def test_minutes_are_saved_per_item_with_versions_and_a_stale_save_is_refused(
    scene: Scene,
) -> None:
    meeting = schedule(scene)
    first = add_item(meeting, "Young people due for review")
    second = add_item(meeting, "Open actions")
    removed = add_item(meeting, "Dropped", removed_at=clock.now(), removal_reason="Duplicate")
    assert list(conduct.items_for_minutes(meeting)) == [first, second]

    conduct.minutes_save(
        actor=scene.business_support,
        meeting=meeting,
        edits=[
            conduct.MinutesEdit(item=first, discussion="First words", expected_version=0),
            conduct.MinutesEdit(item=second, discussion="", expected_version=0),
        ],
    )
    minutes = ItemMinutes.objects.get(item=first)
    assert (minutes.discussion, minutes.version, minutes.minuted_by) == (
        "First words",
        1,
        scene.business_support,
    )
    assert not ItemMinutes.objects.filter(item=second).exists()  # nothing typed, nothing made
    assert events("MINUTES_SAVED") == 1

    # The chair saves on top of version 1; business support's copy (version 1) is now stale.
    conduct.minutes_save(
        actor=scene.chair,
        meeting=meeting,
        edits=[conduct.MinutesEdit(item=first, discussion="Chair's words", expected_version=1)],
    )
    with pytest.raises(conduct.MinutesConflict) as conflict:
        conduct.minutes_save(
            actor=scene.business_support,
            meeting=meeting,
            edits=[
                conduct.MinutesEdit(item=second, discussion="Second", expected_version=0),
                conduct.MinutesEdit(item=first, discussion="Admin's words", expected_version=1),
            ],
        )
    theirs = conflict.value.current[first.pk]
    assert theirs is not None and theirs.discussion == "Chair's words" and theirs.version == 2
    # Nothing from that request was written, not even the item without a conflict.
    assert ItemMinutes.objects.get(item=first).discussion == "Chair's words"
    assert not ItemMinutes.objects.filter(item=second).exists()
    # A first save that races another first save is a conflict too.
    with pytest.raises(conduct.MinutesConflict):
        conduct.minutes_save(
            actor=scene.business_support,
            meeting=meeting,
            edits=[conduct.MinutesEdit(item=first, discussion="Mine", expected_version=0)],
        )
    with pytest.raises(FieldErrors):
        conduct.minutes_save(
            actor=scene.business_support,
            meeting=meeting,
            edits=[conduct.MinutesEdit(item=removed, discussion="x", expected_version=0)],
        )
    with pytest.raises(NotPermitted):
        conduct.minutes_save(
            actor=scene.officer,
            meeting=meeting,
            edits=[conduct.MinutesEdit(item=second, discussion="x", expected_version=0)],
        )
    assert events("MINUTES_SAVED") == 2


# --- decisions -------------------------------------------------------------------------------


def test_decisions_are_recorded_and_do_not_change_the_cohort(scene: Scene) -> None:
    meeting = schedule(scene)
    item = add_item(meeting, "Cohort review", young_person=scene.person)
    decision = conduct.decision_record(
        actor=scene.business_support,
        item=item,
        kind=DecisionKind.ADD_TO_COHORT,
        text="Add at tier 2: seen with older youths",
        young_person=scene.person,
    )
    assert decision.recorded_by == scene.business_support
    assert list(conduct.decisions_of(meeting)) == [decision]
    assert not CohortMembership.objects.filter(young_person=scene.person).exists()
    event = AuditEvent.objects.get(verb="DECISION_RECORDED")
    assert event.subject_id == str(scene.person.pk)
    with pytest.raises(FieldErrors) as refused:
        conduct.decision_record(actor=scene.chair, item=item, kind="fly", text=" ")
    assert set(refused.value.errors) == {"kind", "text"}
    assert Decision.objects.count() == 1


# --- held, approved, circulated --------------------------------------------------------------


def test_held_then_approved_then_circulated_to_those_present(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    # Names that cannot occur in the e-mail's own words (a generated "Read" would)
    scene.person.given_names, scene.person.family_name = "Zephyrine", "Quillfeather"
    scene.person.save()
    meeting = schedule(scene)
    item = add_item(meeting, "Open actions")
    attend(meeting, scene.chair, scene.officer)
    attend(meeting, scene.social_worker, status=AttendanceStatus.APOLOGIES)
    conduct.attendance_add(actor=scene.business_support, meeting=meeting, name="Guest Person")

    with pytest.raises(DomainError):  # not held yet
        conduct.minutes_approve(actor=scene.chair, meeting=meeting, expected_version=1)
    conduct.meeting_mark_held(
        actor=scene.business_support, meeting=meeting, expected_version=meeting.version
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.held_at is not None
    assert meeting.minutes_due_on == services.minutes_due_on(meeting)

    with pytest.raises(DomainError) as nothing:
        conduct.minutes_approve(
            actor=scene.chair, meeting=meeting, expected_version=meeting.version
        )
    assert "Nothing has been minuted" in nothing.value.message
    conduct.minutes_save(
        actor=scene.business_support,
        meeting=meeting,
        edits=[conduct.MinutesEdit(item=item, discussion="All reviewed.", expected_version=0)],
    )
    with pytest.raises(NotPermitted):
        conduct.minutes_approve(
            actor=scene.business_support, meeting=meeting, expected_version=meeting.version
        )
    with pytest.raises(DomainError):  # not approved yet
        conduct.minutes_circulate(
            actor=scene.business_support, meeting=meeting, expected_version=meeting.version
        )
    conduct.minutes_approve(actor=scene.chair, meeting=meeting, expected_version=meeting.version)
    assert (meeting.status, meeting.approved_by) == (MeetingStatus.APPROVED, scene.chair)
    with pytest.raises(conduct.MinutesRefused):  # approved minutes are closed
        conduct.minutes_save(
            actor=scene.business_support,
            meeting=meeting,
            edits=[conduct.MinutesEdit(item=item, discussion="Late", expected_version=1)],
        )

    with pytest.raises(ConcurrentEditError):
        conduct.minutes_circulate(
            actor=scene.business_support, meeting=meeting, expected_version=meeting.version - 1
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        recipients = conduct.minutes_circulate(
            actor=scene.business_support, meeting=meeting, expected_version=meeting.version
        )
    assert {u.pk for u in recipients} == {scene.chair.pk, scene.officer.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([scene.chair.email, scene.officer.email])
    body = mail.outbox[0].body
    assert f"/meetings/{meeting.pk}/" in body
    for personal in (scene.person.given_names, scene.person.family_name, "Open", "reviewed"):
        assert personal not in body
    meeting.refresh_from_db()
    assert meeting.circulated_at is not None
    assert [events(v) for v in ("MINUTES_APPROVED", "MINUTES_CIRCULATED")] == [1, 1]


def test_minutes_are_overdue_after_the_due_date_until_approved(scene: Scene) -> None:
    meeting = schedule(scene)
    assert not conduct.minutes_overdue(meeting)
    meeting.minutes_due_on = clock.today() - dt.timedelta(days=1)
    meeting.status = MeetingStatus.HELD
    assert conduct.minutes_overdue(meeting)
    assert not conduct.minutes_overdue(meeting, today=meeting.minutes_due_on)
    meeting.status = MeetingStatus.APPROVED
    assert not conduct.minutes_overdue(meeting)
