"""Group services: records, and members over time (never deleted, never two open at once)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors, NotPermitted
from riskpath.groups import selectors, services
from riskpath.groups.ends import HIDDEN_YOUNG_PERSON
from riskpath.groups.models import Group, GroupKind, GroupMembership
from tests.links.factories import PersonOfInterestFactory
from tests.links.scenario import AuditWatch, Places

pytestmark = pytest.mark.django_db

JAN = dt.date(2026, 1, 5)
MAR = dt.date(2026, 3, 2)


def test_create_and_update_are_audited_and_versioned(places: Places) -> None:
    watch = AuditWatch()
    group = services.group_create(
        actor=places.recorder, name=" Park lads ", kind=GroupKind.PEER_GROUP
    )
    assert (group.name, group.area_id, group.recording_agency_id) == (
        "Park lads",
        places.area.pk,
        places.agency.pk,
    )
    services.group_update(
        actor=places.colleague, group=group, expected_version=1, kind=GroupKind.COHORT
    )
    with pytest.raises(ConcurrentEditError):
        services.group_update(actor=places.recorder, group=group, expected_version=1, name="Y")
    group.refresh_from_db()
    assert (group.name, group.kind, group.version) == ("Park lads", GroupKind.COHORT, 2)
    created, updated = watch.new()
    assert created.verb == Verb.GROUP_CREATED
    assert updated.verb == Verb.GROUP_UPDATED
    assert updated.changes == {"kind": {"before": "peer_group", "after": "cohort"}}


@pytest.mark.parametrize("values,field", [({"name": ""}, "name"), ({"kind": "gang"}, "kind")])
def test_create_validates(places: Places, values: dict[str, str], field: str) -> None:
    kwargs = {"name": "A group", "kind": GroupKind.PEER_GROUP, **values}
    with pytest.raises(FieldErrors) as exc:
        services.group_create(actor=places.recorder, **kwargs)
    assert set(exc.value.errors) == {field}
    assert not Group.objects.filter(name="A group").exists()


def test_create_is_refused_to_a_role_without_the_rule(places: Places) -> None:
    with pytest.raises(NotPermitted):
        services.group_create(actor=places.qa, name="G", kind=GroupKind.PEER_GROUP)


def test_membership_history_is_kept(places: Places) -> None:
    group, yp = places.group, places.young_person
    watch = AuditWatch()
    first = services.group_member_add(
        actor=places.recorder, group=group, young_person=yp, joined_on=JAN
    )
    with pytest.raises(FieldErrors) as exc:
        services.group_member_add(
            actor=places.recorder, group=group, young_person=yp, joined_on=MAR
        )
    assert exc.value.errors == {"member": "They are already a member of this group"}
    services.group_member_end(actor=places.recorder, membership=first, left_on=MAR)
    with pytest.raises(DomainError):
        services.group_member_end(actor=places.recorder, membership=first, left_on=MAR)
    again = services.group_member_add(
        actor=places.recorder, group=group, young_person=yp, joined_on=MAR
    )
    assert GroupMembership.objects.filter(group=group, young_person=yp).count() == 2
    members = selectors.group_members_for_user(places.recorder, group)
    assert [r.membership for r in members.current] == [again]
    assert [r.membership for r in members.past] == [first]
    assert members.past[0].person.label == "Kai Linkperson"
    events = watch.new()
    assert [e.verb for e in events] == [Verb.GROUP_MEMBERSHIP_CHANGED] * 3
    assert {e.subject_id for e in events} == {str(yp.pk)}
    assert {e.target_id for e in events} == {str(group.pk)}
    assert events[1].changes["left_on"] == {"before": None, "after": "2026-03-02"}


def test_a_person_of_interest_can_be_a_member_and_the_event_has_no_subject(
    places: Places,
) -> None:
    watch = AuditWatch()
    services.group_member_add(
        actor=places.recorder, group=places.group, person_of_interest=places.poi, joined_on=JAN
    )
    (event,) = watch.new()
    assert event.subject_id == ""
    assert "Pat Interest" in event.changes["member"]["after"]


def test_the_database_refuses_two_open_memberships(places: Places) -> None:
    GroupMembership.objects.create(group=places.group, young_person=places.young_person)
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMembership.objects.create(group=places.group, young_person=places.young_person)
    # ... and a membership of nobody, or of two people at once
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMembership.objects.create(group=places.group)
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMembership.objects.create(
            group=places.group, young_person=places.unseen, person_of_interest=places.poi
        )


@pytest.mark.parametrize(
    "case,field",
    [
        ("other area", "member"),
        ("not involved", "member"),
        ("nobody", "member"),
        ("both", "member"),
        ("future", "joined_on"),
        ("no date", "joined_on"),
    ],
)
def test_add_member_validates(places: Places, case: str, field: str) -> None:
    kwargs: dict[str, object] = {"young_person": places.young_person, "joined_on": JAN}
    if case == "other area":
        kwargs["young_person"] = places.far_young_person
    elif case == "not involved":
        kwargs["young_person"] = places.unseen
    elif case == "nobody":
        kwargs["young_person"] = None
    elif case == "both":
        kwargs["person_of_interest"] = places.poi
    elif case == "future":
        kwargs["joined_on"] = clock.today() + dt.timedelta(days=1)
    elif case == "no date":
        kwargs["joined_on"] = None
    with pytest.raises(FieldErrors) as exc:
        services.group_member_add(actor=places.recorder, group=places.group, **kwargs)  # type: ignore[arg-type]
    assert set(exc.value.errors) == {field}
    assert not GroupMembership.objects.exists()


def test_a_poi_of_another_area_cannot_join(places: Places) -> None:
    far_poi = PersonOfInterestFactory(recording_agency=places.far_agency)
    with pytest.raises(FieldErrors):
        services.group_member_add(
            actor=places.recorder, group=places.group, person_of_interest=far_poi, joined_on=JAN
        )


def test_leaving_before_joining_is_refused(places: Places) -> None:
    membership = services.group_member_add(
        actor=places.recorder, group=places.group, young_person=places.young_person, joined_on=MAR
    )
    with pytest.raises(FieldErrors) as exc:
        services.group_member_end(actor=places.recorder, membership=membership, left_on=JAN)
    assert set(exc.value.errors) == {"left_on"}
    membership.refresh_from_db()
    assert membership.left_on is None


def test_members_the_user_is_not_involved_with_are_not_named(places: Places) -> None:
    services.group_member_add(
        actor=places.colleague, group=places.group, young_person=places.unseen, joined_on=JAN
    )
    (row,) = selectors.group_members_for_user(places.recorder, places.group).current
    assert (row.person.label, row.person.hidden, row.person.id) == (
        HIDDEN_YOUNG_PERSON,
        True,
        None,
    )
    (row,) = selectors.group_members_for_user(places.colleague, places.group).current
    assert row.person.label == "Ula Unseen"


def test_the_list_counts_current_members_and_stops_at_the_area(places: Places) -> None:
    m = services.group_member_add(
        actor=places.recorder, group=places.group, young_person=places.young_person, joined_on=JAN
    )
    services.group_member_add(
        actor=places.recorder, group=places.group, person_of_interest=places.poi, joined_on=JAN
    )
    services.group_member_end(actor=places.recorder, membership=m, left_on=MAR)
    (group,) = selectors.group_list_for_user(places.recorder)
    assert (group, group.current_members) == (places.group, 1)  # type: ignore[attr-defined]
    assert selectors.group_list_for_user(places.recorder, kind=GroupKind.COHORT) == []
    assert selectors.group_list_for_user(places.qa) == []
