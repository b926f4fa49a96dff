"""The young-people services and selectors, called directly (no HTTP)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from riskpath.access.services import emergency_access_grant
from riskpath.accounts.enums import Role
from riskpath.accounts.models import User
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors, NotPermitted
from riskpath.people import selectors, services
from riskpath.people.models import YoungPerson
from tests.factories import UserFactory, YoungPersonFactory
from tests.people.scenario import LONG_REASON, AuditWatch, Scene

pytestmark = pytest.mark.django_db

REASON = "Duplicate of an existing record, entered twice."


# --- create ----------------------------------------------------------------------------------


def test_create_records_the_actors_agency_and_area(scene: Scene) -> None:
    watch = AuditWatch()
    person = services.young_person_create(
        actor=scene.lead,
        given_names=" Rio ",
        family_name=" Newman ",
        date_of_birth=dt.date(2011, 5, 1),
    )
    assert (person.given_names, person.family_name) == ("Rio", "Newman")
    assert person.recording_agency_id == scene.lead_agency.pk
    assert person.area_id == scene.area.pk
    assert person.recorded_by_id == scene.lead.pk
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_CREATED
    assert event.basis == "recording agency"
    assert event.changes["date_of_birth"] == {"before": None, "after": "2011-05-01"}
    assert "lead_professional" not in event.changes  # None before and after


@pytest.mark.parametrize(
    "role", [Role.QA_MEMBER, Role.STRATEGIC_PANEL_MEMBER, Role.AREA_ADMINISTRATOR]
)
def test_create_is_refused_to_roles_that_do_not_record(make_user: Any, role: str) -> None:
    with pytest.raises(NotPermitted):
        services.young_person_create(actor=make_user(role), given_names="A", family_name="B")
    assert not YoungPerson.all_objects.filter(family_name="B").exists()


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"given_names": " "}, "given_names"),
        ({"family_name": ""}, "family_name"),
        ({"date_of_birth": "tomorrow"}, "date_of_birth"),
        ({"date_of_birth": "30 years ago"}, "date_of_birth"),
    ],
)
def test_create_validates(scene: Scene, kwargs: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {"given_names": "Val", "family_name": "Idate"}
    values.update(kwargs)
    if values.get("date_of_birth") == "tomorrow":
        values["date_of_birth"] = clock.today() + dt.timedelta(days=1)
    elif values.get("date_of_birth") == "30 years ago":
        values["date_of_birth"] = clock.today() - dt.timedelta(days=365 * 30)
    with pytest.raises(FieldErrors) as exc:
        services.young_person_create(actor=scene.colleague, **values)
    assert set(exc.value.errors) == {field}
    assert not AuditEvent.objects.filter(verb=Verb.PERSON_CREATED).exists()


def test_a_care_leaver_of_24_can_be_recorded(scene: Scene) -> None:
    born = clock.today() - dt.timedelta(days=365 * 24)
    person = services.young_person_create(
        actor=scene.colleague, given_names="Old", family_name="Enough", date_of_birth=born
    )
    assert person.date_of_birth == born


def test_the_lead_professional_must_be_an_active_person_in_the_area(
    scene: Scene, make_user: Any
) -> None:
    inactive = make_user(Role.LEAD_PROFESSIONAL, is_active=False)
    integration = make_user(Role.LEAD_PROFESSIONAL, is_service_account=True)
    for lead in (inactive, integration, scene.stranger):
        with pytest.raises(FieldErrors) as exc:
            services.young_person_create(
                actor=scene.colleague, given_names="A", family_name="B", lead_professional=lead
            )
        assert set(exc.value.errors) == {"lead_professional"}


# --- update ----------------------------------------------------------------------------------


def test_update_records_the_basis_and_only_the_changes(scene: Scene) -> None:
    watch = AuditWatch()
    services.young_person_update(
        actor=scene.lead,
        person=scene.person,
        expected_version=1,
        family_name="  Changed ",
        given_names=scene.person.given_names,
    )
    fresh = YoungPerson.objects.get(pk=scene.person.pk)
    assert (fresh.family_name, fresh.version) == ("Changed", 2)
    (event,) = watch.new()
    assert event.basis == "lead professional"
    assert event.changes == {"family_name": {"before": "Testperson", "after": "Changed"}}


def test_update_from_a_stale_version_writes_nothing(scene: Scene) -> None:
    stale = YoungPerson.objects.get(pk=scene.person.pk)
    services.young_person_update(
        actor=scene.lead, person=scene.person, expected_version=1, given_names="First"
    )
    watch = AuditWatch()
    with pytest.raises(ConcurrentEditError):
        services.young_person_update(
            actor=scene.colleague, person=stale, expected_version=1, given_names="Second"
        )
    fresh = YoungPerson.objects.get(pk=scene.person.pk)
    assert (fresh.given_names, fresh.version) == ("First", 2)
    assert watch.new() == []


@pytest.mark.parametrize("who", ["outsider", "partner", "stranger"])
def test_update_needs_a_basis(scene: Scene, who: str) -> None:
    with pytest.raises(NotPermitted):
        services.young_person_update(
            actor=getattr(scene, who), person=scene.person, expected_version=1, family_name="X"
        )
    assert YoungPerson.objects.get(pk=scene.person.pk).family_name == "Testperson"


def test_emergency_access_is_a_basis_for_a_recorder_to_update(scene: Scene) -> None:
    emergency_access_grant(actor=scene.outsider, target=scene.person, reason=LONG_REASON)
    watch = AuditWatch()
    services.young_person_update(
        actor=scene.outsider, person=scene.person, expected_version=1, family_name="Urgent"
    )
    (event,) = watch.new()
    assert event.basis == f"emergency access: {LONG_REASON}"


# --- delete and restore ----------------------------------------------------------------------


def test_delete_and_restore(scene: Scene) -> None:
    watch = AuditWatch()
    services.young_person_delete(
        actor=scene.manager, person=scene.person, expected_version=1, reason=f"  {REASON}  "
    )
    deleted = YoungPerson.all_objects.get(pk=scene.person.pk)
    assert deleted.is_deleted
    assert (deleted.deleted_by_id, deleted.deletion_reason, deleted.version) == (
        scene.manager.pk,
        REASON,
        2,
    )
    assert not YoungPerson.objects.filter(pk=scene.person.pk).exists()

    services.young_person_restore(actor=scene.manager, person=deleted, expected_version=2)
    restored = YoungPerson.objects.get(pk=scene.person.pk)
    assert (restored.deleted_at, restored.deleted_by_id, restored.deletion_reason) == (
        None,
        None,
        "",
    )
    assert [(e.verb, e.reason) for e in watch.new()] == [
        (Verb.PERSON_DELETED, REASON),
        (Verb.PERSON_RESTORED, ""),
    ]


def test_delete_needs_a_reason_of_ten_characters(scene: Scene) -> None:
    with pytest.raises(FieldErrors) as exc:
        services.young_person_delete(
            actor=scene.manager, person=scene.person, expected_version=1, reason="   short   "
        )
    assert set(exc.value.errors) == {"reason"}
    assert not YoungPerson.all_objects.get(pk=scene.person.pk).is_deleted


def test_delete_twice_and_restore_of_a_live_record_are_refused(scene: Scene) -> None:
    with pytest.raises(DomainError, match="not deleted"):
        services.young_person_restore(actor=scene.manager, person=scene.person, expected_version=1)
    services.young_person_delete(
        actor=scene.manager, person=scene.person, expected_version=1, reason=REASON
    )
    with pytest.raises(DomainError, match="already been deleted"):
        services.young_person_delete(
            actor=scene.manager, person=scene.person, expected_version=2, reason=REASON
        )
    assert AuditEvent.objects.filter(verb=Verb.PERSON_DELETED).count() == 1


def test_delete_needs_a_manager_involved_with_the_record(scene: Scene) -> None:
    outside_manager = UserFactory(agency=scene.third, roles=[Role.SERVICE_MANAGER])
    emergency_access_grant(actor=outside_manager, target=scene.person, reason=LONG_REASON)
    for actor in (scene.lead, scene.colleague, scene.consultant, outside_manager):
        with pytest.raises(NotPermitted):
            services.young_person_delete(
                actor=actor, person=scene.person, expected_version=1, reason=REASON
            )
    assert not YoungPerson.all_objects.get(pk=scene.person.pk).is_deleted


def test_a_lead_professional_who_is_a_manager_may_delete(scene: Scene) -> None:
    manager_lead = UserFactory(agency=scene.third, roles=[Role.SERVICE_MANAGER])
    person = YoungPersonFactory(recording_agency=scene.lead_agency, lead_professional=manager_lead)
    services.young_person_delete(
        actor=manager_lead, person=person, expected_version=1, reason=REASON
    )
    assert YoungPerson.all_objects.get(pk=person.pk).is_deleted


# --- selectors -------------------------------------------------------------------------------


def test_access_tells_break_glass_from_not_found(scene: Scene) -> None:
    with pytest.raises(selectors.EmergencyAccessRequired) as exc:
        selectors.access_young_person(scene.outsider, scene.person.pk)
    assert exc.value.person == scene.person
    for user in (scene.partner, scene.stranger):
        with pytest.raises(Http404):
            selectors.access_young_person(user, scene.person.pk)
    # A break-glass role in another area never learns the record exists.
    other_area_social_worker = scene.stranger
    with pytest.raises(Http404):
        selectors.access_young_person(other_area_social_worker, scene.person.pk)


def test_access_to_deleted_records_only_when_asked(scene: Scene) -> None:
    services.young_person_delete(
        actor=scene.manager, person=scene.person, expected_version=1, reason=REASON
    )
    with pytest.raises(Http404):
        selectors.access_young_person(scene.manager, scene.person.pk)
    seen = selectors.access_young_person(
        scene.manager, scene.person.pk, rule="can_delete_young_person", include_deleted=True
    )
    assert seen.person.is_deleted and seen.basis == "recording agency"


def test_get_for_user_records_the_view_or_gives_nothing(scene: Scene, monkeypatch: Any) -> None:
    seen = selectors.young_person_get_for_user(scene.consultant, scene.person.pk)
    assert seen.basis == "consultant social worker for the area"
    assert AuditEvent.objects.filter(verb=Verb.PERSON_VIEWED).count() == 1

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("riskpath.audit.services.AuditEvent.objects.create", broken)
    with pytest.raises(RuntimeError):
        selectors.young_person_get_for_user(scene.consultant, scene.person.pk)


def test_deleted_list_is_only_for_involved_managers(scene: Scene) -> None:
    services.young_person_delete(
        actor=scene.manager, person=scene.person, expected_version=1, reason=REASON
    )
    outside_manager = UserFactory(agency=scene.third, roles=[Role.TEAM_MANAGER])
    assert selectors.young_person_deleted_list_for_user(scene.manager) == [scene.person]
    assert selectors.young_person_deleted_list_for_user(outside_manager) == []
    assert selectors.young_person_deleted_list_for_user(scene.colleague) == []


def test_lists_skip_deleted_and_other_areas(scene: Scene) -> None:
    assert selectors.young_person_list_for_user(scene.consultant) == [scene.person]
    services.young_person_delete(
        actor=scene.manager, person=scene.person, expected_version=1, reason=REASON
    )
    assert selectors.young_person_list_for_user(scene.consultant) == []
    assert selectors.young_person_list_for_user(scene.stranger) == [scene.other_area_person]


def test_an_inactive_user_sees_nobody(scene: Scene) -> None:
    User.objects.filter(pk=scene.lead.pk).update(is_active=False)
    lead = User.objects.get(pk=scene.lead.pk)
    assert list(selectors.young_person_queryset_for_user(lead)) == []
