"""HSB/AIM panel slots: the grid, booking a referral, and no slot booked twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from riskpath.accounts.models import User
from riskpath.audit.models import AuditEvent
from riskpath.core import clock
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.meetings import slots
from riskpath.meetings.models import AgendaItem, ItemKind, Meeting
from riskpath.people.models import YoungPerson
from tests.factories import YoungPersonFactory
from tests.meetings.scenario import Scene, aim_panel, schedule

pytestmark = pytest.mark.django_db


def at_time(meeting: Meeting, hhmm: str) -> dt.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    local = timezone.localtime(meeting.starts_at)
    return local.replace(hour=hour, minute=minute)


def book(
    scene: Scene,
    meeting: Meeting,
    hhmm: str,
    person: YoungPerson | None = None,
    *,
    actor: User | None = None,
    title: str = "AIM assessment review",
) -> AgendaItem:
    return slots.slot_book(
        actor=actor or scene.business_support,
        meeting=meeting,
        starts_at=at_time(meeting, hhmm),
        young_person=person or scene.person,
        title=title,
    )


def test_the_panel_afternoon_is_cut_into_half_hour_slots(scene: Scene) -> None:
    panel = aim_panel(scene)
    labels = [s.label for s in slots.slots_for(panel)]
    assert labels == ["13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30"]
    assert all(s.is_free for s in slots.slots_for(panel))
    assert slots.slots_for(schedule(scene)) == []  # a PIMM has no slots


def test_a_referral_is_booked_into_a_free_slot_at_the_end_of_the_agenda(scene: Scene) -> None:
    panel = aim_panel(scene)
    AgendaItem.objects.create(meeting=panel, position=4, kind=ItemKind.OTHER, title="Welcome")
    item = book(scene, panel, "13:30")
    assert item.kind == ItemKind.REFERRAL_SLOT and item.position == 5
    assert item.young_person == scene.person and item.title == "AIM assessment review"
    assert item.slot_starts_at == at_time(panel, "13:30")
    grid = {s.label: s for s in slots.slots_for(panel)}
    assert grid["13:30"].item == item and grid["13:00"].is_free
    (event,) = AuditEvent.objects.filter(verb="SLOT_BOOKED")
    assert event.changes["slot"] == "13:30" and event.subject_id == str(scene.person.pk)


def test_a_booked_slot_is_refused_with_a_clear_message(scene: Scene) -> None:
    panel = aim_panel(scene)
    book(scene, panel, "13:30")
    other = YoungPersonFactory(recording_agency=scene.social_care)
    with pytest.raises(FieldErrors) as refused:
        book(scene, panel, "13:30", other)
    assert refused.value.errors == {"slot": "The 13:30 slot is already booked"}
    assert AgendaItem.objects.filter(meeting=panel).count() == 1


def test_a_lost_race_is_caught_by_the_constraint_with_the_same_message(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two bookings at once both pass the check; the database's constraint refuses the
    second, and the user sees the same message (the check is skipped here to stand for the
    other booking committing between check and insert)."""
    panel = aim_panel(scene)
    book(scene, panel, "14:00")
    monkeypatch.setattr(slots, "slot_taken", lambda meeting, starts_at: False)
    other = YoungPersonFactory(recording_agency=scene.social_care)
    with transaction.atomic():
        with pytest.raises(FieldErrors) as refused:
            book(scene, panel, "14:00", other)
        # The savepoint kept the surrounding transaction usable
        assert AgendaItem.objects.filter(meeting=panel).count() == 1
    assert refused.value.errors == {"slot": "The 14:00 slot is already booked"}
    assert AuditEvent.objects.filter(verb="SLOT_BOOKED").count() == 1


def test_the_constraint_itself_holds(scene: Scene) -> None:
    panel = aim_panel(scene)
    first = book(scene, panel, "15:00")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(
            meeting=panel,
            position=9,
            kind=ItemKind.REFERRAL_SLOT,
            title="Twice",
            slot_starts_at=first.slot_starts_at,
        )


def test_a_removed_booking_frees_its_slot(scene: Scene) -> None:
    panel = aim_panel(scene)
    item = book(scene, panel, "16:30")
    AgendaItem.objects.filter(pk=item.pk).update(
        removed_at=clock.now(), removed_by=scene.chair, removal_reason="Withdrawn"
    )
    assert book(scene, panel, "16:30").pk != item.pk


def test_bad_bookings_are_refused_naming_the_field(scene: Scene) -> None:
    panel = aim_panel(scene)
    with pytest.raises(FieldErrors) as off_grid:
        book(scene, panel, "13:15", title="")
    assert off_grid.value.errors == {
        "slot": "Choose one of the panel's slots",
        "title": "Enter a short title for the referral",
    }
    with pytest.raises(FieldErrors) as end:
        book(scene, panel, "17:00")
    assert set(end.value.errors) == {"slot"}
    stranger_child = YoungPersonFactory()
    with pytest.raises(FieldErrors) as elsewhere:
        book(scene, panel, "13:00", stranger_child)
    assert set(elsewhere.value.errors) == {"young_person"}
    with pytest.raises(FieldErrors) as not_a_panel:
        book(scene, schedule(scene), "10:00")
    assert "HSB/AIM" in not_a_panel.value.errors["slot"]
    assert not AgendaItem.objects.exists()


def test_only_the_chair_or_business_support_book(scene: Scene) -> None:
    panel = aim_panel(scene)
    for user in (scene.officer, scene.teacher, scene.lead, scene.stranger):
        with pytest.raises(NotPermitted):
            book(scene, panel, "13:00", actor=user)


def test_slot_parse_accepts_the_time_or_an_iso_datetime(scene: Scene) -> None:
    panel = aim_panel(scene)
    assert slots.slot_parse(panel, "14:30") == at_time(panel, "14:30")
    assert slots.slot_parse(panel, at_time(panel, "15:30").isoformat()) == at_time(panel, "15:30")
    assert slots.slot_parse(panel, "14:45") is None
    assert slots.slot_parse(panel, "nonsense") is None


@pytest.mark.django_db(transaction=True)
def test_two_bookings_at_once_on_postgresql_one_wins(
    area: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real race: two connections both find the slot free, then both insert; the database's
    constraint lets one through and the other is told the slot is booked."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs two concurrent connections (PostgreSQL)")
    from tests.meetings.scenario import build_scene

    scene = build_scene(area)  # type: ignore[arg-type]
    panel = aim_panel(scene)
    people = [scene.person, YoungPersonFactory(recording_agency=scene.social_care)]
    real_check = slots.slot_taken
    both_checked = threading.Barrier(2, timeout=20)

    def check_then_wait(meeting: Meeting, starts_at: dt.datetime) -> bool:
        taken = real_check(meeting, starts_at)
        both_checked.wait()  # neither has inserted yet: both saw the slot free
        return taken

    monkeypatch.setattr(slots, "slot_taken", check_then_wait)
    outcomes: list[object] = []

    def attempt(person: YoungPerson) -> None:
        try:
            outcomes.append(book(scene, panel, "15:30", person))
        except FieldErrors as exc:
            outcomes.append(exc.errors)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(outcomes) == 2
    assert {"slot": "The 15:30 slot is already booked"} in outcomes
    assert sum(isinstance(o, AgendaItem) for o in outcomes) == 1
    assert AgendaItem.objects.filter(meeting=panel).count() == 1
