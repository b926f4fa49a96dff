"""The agenda: built from the record, then shaped by the chair; nothing leaves it silently."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.cohort.selectors import suggestion_for, suggestions_for_many
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors, NotPermitted
from riskpath.meetings import agenda
from riskpath.meetings.models import (
    Action,
    AgendaItem,
    ItemKind,
    Meeting,
    MeetingStatus,
)
from riskpath.people.models import YoungPerson
from tests.cohort.factories import intelligence, link, missing_episode, on_cohort, reentry_flag
from tests.factories import YoungPersonFactory
from tests.intelligence.factories import LocationFactory, PersonOfInterestFactory
from tests.meetings.scenario import Scene, at, schedule

pytestmark = pytest.mark.django_db


def earlier_meeting(scene: Scene, days_ago: int) -> Meeting:
    return schedule(scene, starts_at=at(clock.today() - dt.timedelta(days=days_ago)))


def open_action(scene: Scene, meeting: Meeting, text: str, **kwargs: Any) -> Action:
    return Action.objects.create(
        area=scene.area,
        meeting=meeting,
        description=text,
        owner_agency=scene.police,
        due_on=clock.today() + dt.timedelta(days=7),
        created_by=scene.chair,
        **kwargs,
    )


def items_of(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))


def titled(meeting: Meeting) -> dict[str, AgendaItem]:
    return {i.title: i for i in items_of(meeting)}


def test_the_pimm_agenda_is_built_from_the_record(scene: Scene) -> None:
    previous = earlier_meeting(scene, days_ago=14)
    meeting = schedule(scene)
    red = YoungPersonFactory(recording_agency=scene.police, family_name="Redmond")
    amber_recent = YoungPersonFactory(recording_agency=scene.police, family_name="Ambrose")
    amber_never = YoungPersonFactory(recording_agency=scene.police, family_name="Amberley")
    returning = YoungPersonFactory(recording_agency=scene.police, family_name="Returner")
    on_cohort(red, tier=1, by=scene.chair, last_discussed_on=clock.today())
    on_cohort(amber_recent, tier=2, by=scene.chair, last_discussed_on=clock.today())
    on_cohort(amber_never, tier=2, by=scene.chair)
    on_cohort(returning, tier=3, by=scene.chair, exited=True)
    reentry_flag(returning, intelligence(returning, scene.school, days_ago=2))
    # New intelligence in the window, from two agencies, about someone never reported before
    intelligence(scene.person, scene.police, days_ago=3)
    intelligence(scene.person, scene.school, days_ago=2)
    # Old intelligence (before the previous meeting) is not new
    intelligence(amber_recent, scene.police, days_ago=40)
    poi = PersonOfInterestFactory(area=scene.area)
    place = LocationFactory(area=scene.area)
    item = intelligence(scene.person, scene.health, days_ago=1)
    item.persons_of_interest.add(poi)
    item.locations.add(place)
    carried = open_action(scene, previous, "Police to visit the address")
    closed = open_action(scene, previous, "School to share attendance")
    Action.objects.filter(pk=closed.pk).update(status="closed", outcome="Shared")

    added = agenda.agenda_build(actor=scene.chair, meeting=meeting)

    by_title = titled(meeting)
    assert len(added) == len(by_title)
    assert by_title[str(red)].kind == ItemKind.COHORT_REVIEW
    assert "Tier 1 (red)" in by_title[str(red)].detail
    assert str(amber_recent) not in by_title  # discussed since the last meeting: not yet due
    assert by_title[str(amber_never)].kind == ItemKind.COHORT_REVIEW
    assert by_title[str(returning)].kind == ItemKind.REENTRY
    reported = by_title[str(scene.person)]
    assert reported.kind == ItemKind.NEWLY_REPORTED
    assert "Newly reported by 3 agencies" in reported.detail
    assert len(reported.intelligence_ids) == 3
    assert by_title[str(poi)].person_of_interest_id == poi.pk
    assert by_title[str(place)].location_id == place.pk
    actions = [i for i in items_of(meeting) if i.kind == ItemKind.OPEN_ACTION]
    assert [i.action_id for i in actions] == [carried.pk]
    # Tier 1 first, open actions last
    order = [i.title for i in items_of(meeting)]
    assert order[0] == str(red)
    assert order[-1].startswith("Open action")
    event = AuditEvent.objects.filter(verb=Verb.AGENDA_BUILT).get()
    assert event.changes["added"] == len(added)


def test_the_window_runs_from_the_previous_meeting(scene: Scene) -> None:
    earlier_meeting(scene, days_ago=5)
    meeting = schedule(scene)
    inside = YoungPersonFactory(recording_agency=scene.police, family_name="Inside")
    outside = YoungPersonFactory(recording_agency=scene.police, family_name="Outside")
    intelligence(inside, scene.police, days_ago=2)
    intelligence(outside, scene.police, days_ago=8)
    agenda.agenda_build(actor=scene.chair, meeting=meeting)
    titles = titled(meeting)
    assert str(inside) in titles and str(outside) not in titles
    after, until = agenda.intelligence_window(meeting)
    assert after == clock.today() - dt.timedelta(days=5)
    assert until == meeting.starts_at.date()


def test_tier_two_and_three_come_up_on_the_types_cadence(scene: Scene) -> None:
    scene.pimm.tier_2_every = 2
    scene.pimm.tier_3_every = 3
    scene.pimm.save()
    for days in (42, 28, 14):
        earlier_meeting(scene, days_ago=days)
    meeting = schedule(scene)
    # discussed at the meeting 14 days ago: tier 2 (every 2) not due; at 28 days ago: due
    t2_recent = on_cohort(
        YoungPersonFactory(recording_agency=scene.police),
        tier=2,
        by=scene.chair,
        last_discussed_on=clock.today() - dt.timedelta(days=14),
    )
    t2_older = on_cohort(
        YoungPersonFactory(recording_agency=scene.police),
        tier=2,
        by=scene.chair,
        last_discussed_on=clock.today() - dt.timedelta(days=28),
    )
    # tier 3 (every 3): discussed 28 days ago is within the last 2 meetings: not due
    t3 = on_cohort(
        YoungPersonFactory(recording_agency=scene.police),
        tier=3,
        by=scene.chair,
        last_discussed_on=clock.today() - dt.timedelta(days=28),
    )
    review = on_cohort(
        YoungPersonFactory(recording_agency=scene.police),
        tier=3,
        by=scene.chair,
        last_discussed_on=clock.today() - dt.timedelta(days=14),
        next_review_on=clock.today(),
    )
    agenda.agenda_build(actor=scene.chair, meeting=meeting)
    on_agenda = set(
        AgendaItem.objects.filter(meeting=meeting).values_list("young_person_id", flat=True)
    )
    assert t2_older.young_person_id in on_agenda
    assert review.young_person_id in on_agenda
    assert t2_recent.young_person_id not in on_agenda
    assert t3.young_person_id not in on_agenda


def test_building_again_adds_only_what_is_new_and_never_restores_a_removal(scene: Scene) -> None:
    meeting = schedule(scene)
    red = YoungPersonFactory(recording_agency=scene.police)
    on_cohort(red, tier=1, by=scene.chair)
    agenda.agenda_build(actor=scene.chair, meeting=meeting)
    item = AgendaItem.objects.get(meeting=meeting, young_person=red)
    agenda.agenda_item_remove(
        actor=scene.chair, item=item, expected_version=item.version, reason="Moved out of area"
    )
    assert agenda.agenda_build(actor=scene.chair, meeting=meeting) == []
    intelligence(scene.person, scene.police, days_ago=1)
    added = agenda.agenda_build(actor=scene.chair, meeting=meeting)
    assert [i.young_person_id for i in added] == [scene.person.pk]
    item.refresh_from_db()
    assert item.is_removed and item.removal_reason == "Moved out of area"


def test_a_tier_change_suggestion_is_put_to_the_meeting(scene: Scene) -> None:
    meeting = schedule(scene)
    on_cohort(scene.person, tier=3, by=scene.chair)
    intelligence(scene.person, scene.police, days_ago=1, immediate_risk=True, grade="A1")
    agenda.agenda_build(actor=scene.chair, meeting=meeting)
    item = AgendaItem.objects.get(meeting=meeting, young_person=scene.person)
    assert "Tier-change suggestion: Tier 1 (red), now Tier 3 (green)" in item.detail


def test_bulk_suggestions_agree_with_one_at_a_time(scene: Scene) -> None:
    people = [YoungPersonFactory(recording_agency=scene.police) for _ in range(4)]
    on_cohort(people[0], tier=1, by=scene.chair)
    link(people[1], people[0])
    intelligence(people[1], scene.police, days_ago=2, grade="B2")
    intelligence(people[1], scene.school, days_ago=3, grade="C2")
    intelligence(people[2], scene.health, days_ago=1, grade="A1", immediate_risk=True)
    missing_episode(people[3], scene.police, days_ago=2)
    bulk = suggestions_for_many([p.pk for p in people], area_id=scene.area.pk, as_of=clock.today())
    for person in people:
        one = suggestion_for(person)
        assert (bulk[person.pk].tier, bulk[person.pk].reasons) == (one.tier, one.reasons), person


# --- The chair's edits ------------------------------------------------------------------------


def built(scene: Scene) -> Meeting:
    meeting = schedule(scene)
    for n in range(3):
        on_cohort(
            YoungPersonFactory(recording_agency=scene.police, family_name=f"Tier{n}"),
            tier=1,
            by=scene.chair,
        )
    agenda.agenda_build(actor=scene.chair, meeting=meeting)
    return meeting


def test_removal_needs_a_reason_and_is_kept_and_audited(scene: Scene) -> None:
    meeting = built(scene)
    item = items_of(meeting)[0]
    with pytest.raises(FieldErrors) as exc:
        agenda.agenda_item_remove(
            actor=scene.chair, item=item, expected_version=item.version, reason="  "
        )
    assert exc.value.errors == {"reason": "Enter why this item is coming off the agenda"}
    item.refresh_from_db()
    assert not item.is_removed
    agenda.agenda_item_remove(
        actor=scene.chair, item=item, expected_version=item.version, reason="Discussed at MARMM"
    )
    event = AuditEvent.objects.get(verb=Verb.AGENDA_ITEM_REMOVED)
    assert event.reason == "Discussed at MARMM" and event.subject_id == str(item.young_person_id)
    live, removed = agenda.agenda_for_user(scene.chair, meeting)
    assert [r.item for r in removed] == [item] and item not in [r.item for r in live]
    agenda.agenda_item_restore(actor=scene.chair, item=item, expected_version=item.version)
    assert items_of(meeting)[-1] == item and not item.is_removed


def test_reordering_must_name_every_item_once(scene: Scene) -> None:
    meeting = built(scene)
    a, b, c = items_of(meeting)
    agenda.agenda_reorder(actor=scene.chair, meeting=meeting, order=[c.pk, a.pk, b.pk])
    assert items_of(meeting) == [c, a, b]
    for bad in ([c.pk, a.pk], [c.pk, a.pk, a.pk], [c.pk, a.pk, b.pk, scene.person.pk]):
        with pytest.raises(FieldErrors):
            agenda.agenda_reorder(actor=scene.chair, meeting=meeting, order=bad)
    assert items_of(meeting) == [c, a, b]
    agenda.agenda_item_move(actor=scene.chair, item=a, up=True)
    assert items_of(meeting) == [a, c, b]


def test_changes_detect_a_concurrent_edit_and_check_the_time_allowed(scene: Scene) -> None:
    meeting = built(scene)
    item = items_of(meeting)[0]
    stale = item.version
    agenda.agenda_item_change(
        actor=scene.chair, item=item, expected_version=stale, minutes_allowed=10
    )
    other = AgendaItem.objects.get(pk=item.pk)
    with pytest.raises(ConcurrentEditError):
        agenda.agenda_item_change(
            actor=scene.vice_chair, item=other, expected_version=stale, title="Renamed"
        )
    with pytest.raises(FieldErrors) as exc:
        agenda.agenda_item_change(
            actor=scene.chair, item=item, expected_version=item.version, minutes_allowed=500
        )
    assert "minutes_allowed" in exc.value.errors
    assert AgendaItem.objects.get(pk=item.pk).minutes_allowed == 10


def test_only_those_who_run_the_meeting_edit_its_agenda(scene: Scene) -> None:
    meeting = built(scene)
    item = items_of(meeting)[0]
    for outsider in (scene.officer, scene.teacher, scene.stranger):
        with pytest.raises(NotPermitted):
            agenda.agenda_build(actor=outsider, meeting=meeting)
        with pytest.raises(NotPermitted):
            agenda.agenda_item_remove(
                actor=outsider, item=item, expected_version=item.version, reason="No"
            )
    agenda.agenda_item_add(actor=scene.business_support, meeting=meeting, title="AOB")
    # The minute-taker may mark a confidential slot, and nothing else
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.APPROVED)
    meeting.refresh_from_db()
    with pytest.raises(DomainError):
        agenda.agenda_item_add(actor=scene.chair, meeting=meeting, title="Too late")


def test_participants_see_names_only_of_young_people_they_may_see(scene: Scene) -> None:
    meeting = schedule(scene)
    on_cohort(scene.person, tier=1, by=scene.chair)
    agenda.agenda_build(actor=scene.chair, meeting=meeting)
    (chair_row,), _ = agenda.agenda_for_user(scene.chair, meeting)
    (officer_row,), _ = agenda.agenda_for_user(scene.officer, meeting)
    (worker_row,), _ = agenda.agenda_for_user(scene.social_worker, meeting)
    assert chair_row.subject == str(scene.person)
    assert officer_row.restricted and str(scene.person) not in officer_row.subject
    assert worker_row.subject == str(scene.person)  # same agency that recorded the young person


# --- The invariant ----------------------------------------------------------------------------

OPS = st.lists(
    st.tuples(
        st.sampled_from(["remove", "remove_blank", "restore", "reorder", "move", "add", "build"]),
        st.integers(min_value=0, max_value=50),
    ),
    max_size=12,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=OPS)
def test_no_sequence_of_edits_drops_an_action_or_tier_one_without_a_reason(
    scene: Scene, ops: list[tuple[str, int]]
) -> None:
    previous = Meeting.objects.filter(meeting_type=scene.pimm, starts_at__lt=clock.now()).first()
    previous = previous or earlier_meeting(scene, days_ago=14)
    meeting = schedule(scene)
    if not Action.objects.filter(meeting=previous).exists():
        open_action(scene, previous, "Health to offer an appointment")
        open_action(scene, previous, "Police to patrol the park")
        for n in range(2):
            on_cohort(YoungPersonFactory(recording_agency=scene.police), tier=1, by=scene.chair)
    agenda.agenda_build(actor=scene.chair, meeting=meeting)
    for op, n in ops:
        items = items_of(meeting)
        if not items:
            continue
        item = items[n % len(items)]
        try:
            if op == "remove":
                agenda.agenda_item_remove(
                    actor=scene.chair, item=item, expected_version=item.version, reason=f"R{n}"
                )
            elif op == "remove_blank":
                agenda.agenda_item_remove(
                    actor=scene.chair, item=item, expected_version=item.version, reason=""
                )
            elif op == "restore":
                agenda.agenda_item_restore(
                    actor=scene.chair, item=item, expected_version=item.version
                )
            elif op == "reorder":
                live = [i.pk for i in items if not i.is_removed]
                order = live[n % max(len(live), 1) :] + live[: n % max(len(live), 1)]
                agenda.agenda_reorder(actor=scene.chair, meeting=meeting, order=order)
            elif op == "move":
                agenda.agenda_item_move(actor=scene.chair, item=item, up=n % 2 == 0)
            elif op == "add":
                agenda.agenda_item_add(actor=scene.chair, meeting=meeting, title=f"AOB {n}")
            else:
                agenda.agenda_build(actor=scene.chair, meeting=meeting)
        except DomainError:
            pass
    must_be_there = set(
        Action.objects.filter(meeting=previous, status="open").values_list("pk", flat=True)
    )
    tier_one = set(
        YoungPerson.objects.filter(
            cohort_spells__tier=1, cohort_spells__exited_at__isnull=True
        ).values_list("pk", flat=True)
    )
    final = items_of(meeting)
    for item in final:
        if item.is_removed:
            assert item.removal_reason.strip(), item
            assert AuditEvent.objects.filter(
                verb=Verb.AGENDA_ITEM_REMOVED, target_id=str(item.pk), reason=item.removal_reason
            ).exists()
    assert must_be_there <= {i.action_id for i in final}
    assert tier_one <= {i.young_person_id for i in final}
    positions = [i.position for i in final]
    assert len(positions) == len(set(positions))
