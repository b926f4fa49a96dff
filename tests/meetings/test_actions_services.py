"""Actions and partner-system tasks: the services and selectors of the actions part."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from riskpath.audit.models import AuditEvent
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, FieldErrors, NotPermitted
from riskpath.meetings import actions, tasks
from riskpath.meetings.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Meeting,
    MeetingKind,
    PartnerTask,
)
from tests.factories import YoungPersonFactory
from tests.meetings.scenario import Scene, aim_panel, at, decision_at, schedule

pytestmark = pytest.mark.django_db


def meeting_on(scene: Scene, days: int, **kwargs: Any) -> Meeting:
    """A PIMM ``days`` from today (negative: in the past)."""
    return schedule(scene, starts_at=at(clock.today() + dt.timedelta(days=days)), **kwargs)


def record(scene: Scene, meeting: Meeting, **kwargs: Any) -> Action:
    values: dict[str, Any] = {
        "description": "Visit the family",
        "due_on": meeting.starts_at.date() + dt.timedelta(days=14),
        "owner_user": scene.officer,
    }
    values.update(kwargs)
    return actions.action_create(actor=scene.business_support, meeting=meeting, **values)


def events(verb: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb).order_by("seq"))


# --- recording ----------------------------------------------------------------------------


def test_business_support_records_an_action_at_a_meeting(scene: Scene) -> None:
    meeting = schedule(scene)
    action = record(scene, meeting, young_person=scene.person, owner_agency=scene.police)
    assert action.is_open and action.area_id == scene.area.pk
    assert action.owner_user == scene.officer and action.owner_agency == scene.police
    (event,) = events("ACTION_CREATED")
    assert event.target_id == str(action.pk)
    assert event.subject_id == str(scene.person.pk)
    assert event.changes["meeting"] == str(meeting.pk)


def test_an_action_needs_an_owner_and_a_due_date_not_before_the_meeting(scene: Scene) -> None:
    meeting = schedule(scene)
    with pytest.raises(FieldErrors) as refused:
        record(
            scene,
            meeting,
            owner_user=None,
            due_on=meeting.starts_at.date() - dt.timedelta(days=1),
            description="  ",
        )
    assert set(refused.value.errors) == {"owner", "due_on", "description"}
    assert "owns the action" in refused.value.errors["owner"]
    assert "on or after the meeting's date" in refused.value.errors["due_on"]
    assert not Action.objects.exists()
    assert events("ACTION_CREATED") == []
    # Due on the day of the meeting is fine; an agency alone is an owner.
    record(
        scene, meeting, owner_user=None, owner_agency=scene.health, due_on=meeting.starts_at.date()
    )


def test_only_those_who_minute_the_meeting_record_actions(scene: Scene) -> None:
    meeting = schedule(scene)
    for outsider in (scene.officer, scene.teacher, scene.stranger):
        with pytest.raises(NotPermitted):
            actions.action_create(
                actor=outsider,
                meeting=meeting,
                description="x",
                due_on=clock.today() + dt.timedelta(days=30),
                owner_user=scene.officer,
            )
    action = actions.action_create(
        actor=scene.chair,
        meeting=meeting,
        description="Chair's action",
        due_on=meeting.starts_at.date(),
        owner_user=scene.officer,
    )
    assert action.created_by == scene.chair


def test_owners_and_subjects_must_be_in_the_area(scene: Scene) -> None:
    meeting = schedule(scene)
    other = YoungPersonFactory()
    with pytest.raises(FieldErrors) as refused:
        record(scene, meeting, owner_user=scene.stranger, young_person=other)
    assert set(refused.value.errors) == {"owner_user", "young_person"}


# --- updates, edits, closing ------------------------------------------------------------------


def test_owner_agency_business_support_and_chair_update_others_do_not(scene: Scene) -> None:
    meeting = schedule(scene)
    action = record(scene, meeting, owner_user=None, owner_agency=scene.social_care)
    for user in (scene.social_worker, scene.business_support, scene.chair):
        actions.action_add_update(actor=user, action=action, text=f"Progress by {user}")
    for outsider in (scene.officer, scene.teacher, scene.lead, scene.stranger):
        with pytest.raises(NotPermitted):
            actions.action_add_update(actor=outsider, action=action, text="No")
    assert ActionUpdate.objects.filter(action=action).count() == 3
    assert len(events("ACTION_UPDATED")) == 3
    with pytest.raises(FieldErrors) as blank:
        actions.action_add_update(actor=scene.social_worker, action=action, text=" ")
    assert set(blank.value.errors) == {"text"}
    update = actions.updates_of(action)[0]
    assert update.recorded_at is not None and update.recorded_by == scene.social_worker


def test_closing_needs_an_outcome_and_the_current_version(scene: Scene) -> None:
    meeting = schedule(scene)
    action = record(scene, meeting)
    with pytest.raises(FieldErrors) as refused:
        actions.action_close(actor=scene.officer, action=action, outcome="", expected_version=1)
    assert set(refused.value.errors) == {"outcome"}
    stale = Action.objects.get(pk=action.pk)
    actions.action_edit(
        actor=scene.officer,
        action=action,
        expected_version=1,
        due_on=clock.today() + dt.timedelta(days=40),
    )
    with pytest.raises(ConcurrentEditError):
        actions.action_close(actor=scene.officer, action=stale, outcome="Done", expected_version=1)
    assert Action.objects.get(pk=action.pk).is_open
    actions.action_close(
        actor=scene.officer, action=action, outcome="Family seen", expected_version=2
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED and action.outcome == "Family seen"
    assert action.closed_by == scene.officer and action.closed_at is not None
    (event,) = events("ACTION_CLOSED")
    assert event.changes == {"outcome": "Family seen"}
    with pytest.raises(FieldErrors):
        actions.action_add_update(actor=scene.officer, action=action, text="After closing")
    with pytest.raises(FieldErrors):
        actions.action_edit(actor=scene.officer, action=action, expected_version=3, description="x")


def test_editing_records_what_changed(scene: Scene) -> None:
    meeting = schedule(scene)
    action = record(scene, meeting)
    actions.action_edit(
        actor=scene.chair, action=action, expected_version=1, owner_agency=scene.health
    )
    (event,) = events("ACTION_UPDATED")
    assert event.changes == {"owner_agency": {"before": None, "after": str(scene.health.pk)}}
    with pytest.raises(FieldErrors) as refused:
        actions.action_edit(
            actor=scene.chair, action=action, expected_version=2, owner_user=None, owner_agency=None
        )
    assert set(refused.value.errors) == {"owner"}


# --- carried into later meetings ------------------------------------------------------------


def test_open_actions_from_earlier_meetings_of_the_type_are_carried(scene: Scene) -> None:
    first = meeting_on(scene, -28)
    second = meeting_on(scene, -14)
    now = meeting_on(scene, 7)
    later = meeting_on(scene, 21)
    marmm = schedule(
        scene,
        meeting_type=scene.type_of(MeetingKind.MARMM),
        starts_at=at(clock.today() - dt.timedelta(days=20)),
    )
    a = record(scene, first, due_on=first.starts_at.date() + dt.timedelta(days=30))
    b = record(scene, second, due_on=second.starts_at.date() + dt.timedelta(days=1))
    closed = record(scene, first)
    actions.action_close(actor=scene.officer, action=closed, outcome="Done", expected_version=1)
    record(scene, marmm)  # another meeting type
    record(scene, now)  # this meeting's own
    record(scene, later)  # a later meeting's

    carried = list(actions.open_actions_carried_into(now))
    assert carried == [b, a]  # oldest due first
    assert list(actions.open_actions_carried_into(first)) == []
    assert set(actions.open_actions_carried_into(later)) == {a, b, Action.objects.get(meeting=now)}


def test_carrying_is_one_query_with_what_the_agenda_shows(scene: Scene) -> None:
    earlier = meeting_on(scene, -14)
    now = meeting_on(scene, 7)
    for n in range(5):
        record(scene, earlier, young_person=scene.person, description=f"Action {n}")
    with CaptureQueriesContext(connection) as queries:
        shown = [
            (
                a.description,
                a.owner_user.full_name,
                a.meeting.meeting_type.name,
                str(a.young_person),
            )
            for a in actions.open_actions_carried_into(now)
        ]
    assert len(shown) == 5
    assert len(queries) == 1
    # As the agenda builder reads it: only the columns it needs, still one query
    with CaptureQueriesContext(connection) as queries:
        rows = list(
            actions.open_actions_carried_into(now).values_list(
                "pk", "description", "due_on", "meeting__title"
            )
        )
    assert [r[1] for r in rows] == [f"Action {n}" for n in range(5)]
    assert len(queries) == 1


def test_two_thousand_open_actions_are_read_in_a_fixed_number_of_queries(
    scene: Scene,
) -> None:
    """Speed itself is measured in benchmarks/meeting_agenda.py; this proves the reads do not
    grow a query per action."""
    earlier = meeting_on(scene, -14)
    now = meeting_on(scene, 7)
    due = earlier.starts_at.date() + dt.timedelta(days=10)
    Action.objects.bulk_create(
        Action(
            area=scene.area,
            meeting=earlier,
            description=f"Bulk action {n}",
            owner_user=scene.officer,
            due_on=due + dt.timedelta(days=n % 60),
            created_by=scene.business_support,
        )
        for n in range(2000)
    )
    with CaptureQueriesContext(connection) as queries:
        carried = list(actions.open_actions_carried_into(now))
        register = actions.action_register_for_user(scene.officer, actions.ActionFilter())
        first_page = list(register[:25])
        count = register.count()
        for action in [*carried, *first_page]:
            str(action.meeting), str(action.owner_user)
    assert len(carried) == 2000 and count == 2000 and len(first_page) == 25
    assert [a.due_on for a in carried] == sorted(a.due_on for a in carried)
    assert len(queries) <= 4, [q["sql"][:80] for q in queries]


# --- the register and "my actions" ------------------------------------------------------------


def test_register_filters(scene: Scene) -> None:
    past = meeting_on(scene, -30)
    soon = meeting_on(scene, 3)
    marmm = schedule(scene, meeting_type=scene.type_of(MeetingKind.MARMM))
    overdue = record(scene, past, due_on=past.starts_at.date() + dt.timedelta(days=2))
    police = record(scene, soon, owner_user=None, owner_agency=scene.police)
    health = record(
        scene,
        soon,
        owner_user=None,
        owner_agency=scene.health,
        due_on=clock.today() + dt.timedelta(days=60),
    )
    other_type = record(scene, marmm)
    closed = record(scene, soon)
    actions.action_close(actor=scene.officer, action=closed, outcome="Done", expected_version=1)

    def find(**kwargs: Any) -> set[Action]:
        return set(actions.action_register_for_user(scene.officer, actions.ActionFilter(**kwargs)))

    assert find() == {overdue, police, health, other_type}
    assert find(status="closed") == {closed}
    assert find(status="all") == {overdue, police, health, other_type, closed}
    # Owned by the police: as an agency, or by a police officer
    assert find(owner_agency=scene.police.pk) == {overdue, police, other_type}
    assert find(overdue=True) == {overdue}
    assert find(meeting_type=scene.type_of(MeetingKind.MARMM).pk) == {other_type}
    assert find(due_before=clock.today() + dt.timedelta(days=30)) == {overdue, police, other_type}
    assert actions.is_overdue(overdue) and not actions.is_overdue(police)
    # Another area's user sees none of them
    assert not actions.action_register_for_user(scene.stranger, actions.ActionFilter()).exists()


def test_need_to_know_hides_the_young_persons_name(scene: Scene) -> None:
    meeting = schedule(scene)
    action = record(scene, meeting, young_person=scene.person)
    (hidden,) = actions.rows_for(scene.teacher, [action])
    assert hidden.about == actions.HIDDEN_YOUNG_PERSON and not hidden.young_person_visible
    (shown,) = actions.rows_for(scene.lead, [action])
    assert shown.about == str(scene.person) and shown.young_person_visible


def test_my_actions_are_mine_or_my_agencys_open_first(scene: Scene) -> None:
    meeting = schedule(scene)
    later = record(scene, meeting, due_on=clock.today() + dt.timedelta(days=50))
    sooner_agency = record(
        scene,
        meeting,
        owner_user=None,
        owner_agency=scene.police,
        due_on=clock.today() + dt.timedelta(days=20),
    )
    done = record(scene, meeting, due_on=clock.today() + dt.timedelta(days=10))
    actions.action_close(actor=scene.officer, action=done, outcome="Done", expected_version=1)
    record(scene, meeting, owner_user=scene.social_worker)  # not the officer's
    assert list(actions.my_actions_for_user(scene.officer)) == [sooner_agency, later, done]
    assert list(actions.my_actions_for_user(scene.chair)) == [sooner_agency]  # police too


def test_access_action_is_scoped_to_the_area(scene: Scene) -> None:
    action = record(scene, schedule(scene))
    assert actions.access_action(scene.teacher, action.pk) == action
    with pytest.raises(Http404):
        actions.access_action(scene.stranger, action.pk)
    with pytest.raises(NotPermitted):
        actions.access_action(scene.teacher, action.pk, rule="can_update_action")


# --- partner-system tasks ---------------------------------------------------------------------


def test_a_decision_becomes_a_task_for_the_lead_professional(scene: Scene) -> None:
    person = scene.person
    person.mosaic_id = "1234567"
    person.save()
    meeting = schedule(scene)
    decision = decision_at(meeting, by=scene.chair, young_person=person, text="Refer to CSE team")
    record(scene, meeting, young_person=person, description="Speak to the school")
    task = tasks.partner_task_create(actor=scene.chair, decision=decision, system="mosaic")
    assert task.assignee == scene.lead and task.done_at is None
    text = task.extract
    lines = text.splitlines()
    assert lines[0] == f"Meeting: {scene.pimm.name}, {meeting.starts_at:%-d %B %Y}"
    assert f"Young person: {person.given_names} {person.family_name}" in lines
    assert f"Date of birth: {person.date_of_birth:%-d %B %Y}" in lines
    assert "Mosaic ID: 1234567" in lines
    assert "Refer to CSE team" in lines
    (action_line,) = [line for line in lines if line.startswith("- ")]
    assert "Speak to the school" in action_line and scene.officer.full_name in action_line
    assert "Due " in action_line
    assert lines[-1] == "Recorded in riskpath by Chris Chair, Constabulary"
    (event,) = events("PARTNER_TASK_CREATED")
    assert event.subject_id == str(person.pk)
    # The identifier of another system is not known: said so, not invented
    niche = tasks.partner_task_create(actor=scene.chair, decision=decision, system="niche")
    assert "Niche ID: not recorded" in niche.extract.splitlines()


def test_hsb_aim_case_notes_are_headed_hsb_aim(scene: Scene) -> None:
    panel = aim_panel(scene)
    decision = decision_at(panel, by=scene.business_support, young_person=scene.person)
    task = tasks.partner_task_create(
        actor=scene.business_support, decision=decision, system="flare"
    )
    assert task.extract.splitlines()[0] == "HSB AIM"
    plain = decision_at(schedule(scene), by=scene.chair, young_person=scene.person)
    other = tasks.partner_task_create(actor=scene.chair, decision=plain, system="flare")
    assert "HSB AIM" not in other.extract


def test_task_creation_is_refused_clearly(scene: Scene) -> None:
    meeting = schedule(scene)
    unled = YoungPersonFactory(recording_agency=scene.social_care, lead_professional=None)
    decision = decision_at(meeting, by=scene.chair, young_person=unled)
    with pytest.raises(NotPermitted):
        tasks.partner_task_create(actor=scene.officer, decision=decision, system="niche")
    with pytest.raises(FieldErrors) as refused:
        tasks.partner_task_create(actor=scene.chair, decision=decision, system="nowhere")
    assert set(refused.value.errors) == {"system", "assignee"}
    task = tasks.partner_task_create(
        actor=scene.chair, decision=decision, system="niche", assignee=scene.officer
    )
    assert task.assignee == scene.officer
    with pytest.raises(FieldErrors) as twice:
        tasks.partner_task_create(actor=scene.chair, decision=decision, system="niche")
    assert "already exists" in twice.value.errors["system"]
    assert PartnerTask.objects.count() == 1


def test_the_assignee_views_and_marks_the_task_done(scene: Scene) -> None:
    decision = decision_at(schedule(scene), by=scene.chair, young_person=scene.person)
    task = tasks.partner_task_create(actor=scene.chair, decision=decision, system="liquidlogic")
    seen = tasks.partner_task_get_for_user(scene.lead, task.pk)
    assert seen == task
    (viewed,) = events("PARTNER_TASK_VIEWED")
    assert viewed.actor_id == scene.lead.pk and viewed.subject_id == str(scene.person.pk)
    for outsider in (scene.teacher, scene.stranger, scene.officer):
        with pytest.raises(Http404):
            tasks.access_partner_task(outsider, task.pk)
    with pytest.raises(NotPermitted):
        tasks.partner_task_done(actor=scene.chair, task=task, expected_version=1)
    assert list(tasks.partner_tasks_for_user(scene.lead)) == [task]
    tasks.partner_task_done(actor=scene.lead, task=task, expected_version=1)
    task.refresh_from_db()
    assert task.done_by == scene.lead and task.done_at is not None
    assert len(events("PARTNER_TASK_DONE")) == 1
    with pytest.raises(FieldErrors):
        tasks.partner_task_done(actor=scene.lead, task=task, expected_version=2)


def test_a_stale_done_is_a_conflict(scene: Scene) -> None:
    decision = decision_at(schedule(scene), by=scene.chair, young_person=scene.person)
    task = tasks.partner_task_create(actor=scene.chair, decision=decision, system="mosaic")
    PartnerTask.objects.filter(pk=task.pk).update(version=2)
    with pytest.raises(ConcurrentEditError):
        tasks.partner_task_done(actor=scene.lead, task=task, expected_version=1)
