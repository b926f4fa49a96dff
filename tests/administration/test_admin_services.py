"""The area-administration services and selectors, called directly (no HTTP)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency, Area, User, UserRole
from riskpath.administration import selectors, services
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core.errors import ConcurrentEditError, FieldErrors, NotPermitted
from tests.factories import AgencyFactory, AreaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger_admin() -> User:
    """An area administrator of a different area."""
    return UserFactory(agency=AgencyFactory(area=AreaFactory()), roles=[Role.AREA_ADMINISTRATOR])


# --- area ------------------------------------------------------------------------------------


def test_area_update_needs_an_administrator_of_that_area(
    make_user: Any, area: Area, stranger_admin: User
) -> None:
    for actor in (make_user(Role.SERVICE_MANAGER), stranger_admin):
        with pytest.raises(NotPermitted):
            services.area_update(actor=actor, area=area, expected_version=1, name="Taken")
    area.refresh_from_db()
    assert area.name != "Taken" and area.version == 1
    assert not AuditEvent.objects.filter(verb=Verb.AREA_UPDATED).exists()


def test_area_update_from_a_stale_version_writes_nothing(area_admin: User, area: Area) -> None:
    services.area_update(actor=area_admin, area=area, expected_version=1, calendar="scotland")
    stale = Area.objects.get(pk=area.pk)
    with pytest.raises(ConcurrentEditError):
        services.area_update(actor=area_admin, area=stale, expected_version=1, name="Late")
    area.refresh_from_db()
    assert (area.name, area.calendar, area.version) == (area.name, "scotland", 2)
    assert area.name != "Late"
    assert AuditEvent.objects.filter(verb=Verb.AREA_UPDATED).count() == 1


def test_area_update_refuses_another_areas_name(area_admin: User, area: Area) -> None:
    AreaFactory(name="Eastshire")
    with pytest.raises(FieldErrors) as exc:
        services.area_update(actor=area_admin, area=area, expected_version=1, name="eastshire")
    assert set(exc.value.errors) == {"name"}


# --- agencies --------------------------------------------------------------------------------


def test_agency_create_is_refused_to_non_administrators(make_user: Any) -> None:
    with pytest.raises(NotPermitted):
        services.agency_create(
            actor=make_user(Role.TEAM_MANAGER), name="Rogue agency", kind=AgencyKind.OTHER
        )
    assert not Agency.objects.filter(name="Rogue agency").exists()


def test_agency_create_puts_the_agency_in_the_actors_area(area_admin: User, area: Area) -> None:
    created = services.agency_create(actor=area_admin, name=" School ", kind=AgencyKind.EDUCATION)
    assert (created.area_id, created.name, created.version) == (area.pk, "School", 1)
    assert AuditEvent.objects.get(verb=Verb.AGENCY_CREATED).target_id == str(created.pk)


def test_agency_update_of_another_area_is_refused(stranger_admin: User, agency: Agency) -> None:
    with pytest.raises(NotPermitted):
        services.agency_update(
            actor=stranger_admin, agency=agency, expected_version=1, name="Mine now"
        )
    agency.refresh_from_db()
    assert agency.name != "Mine now"


def test_agency_update_with_no_change_still_moves_the_version(
    area_admin: User, agency: Agency
) -> None:
    services.agency_update(actor=area_admin, agency=agency, expected_version=1)
    agency.refresh_from_db()
    assert agency.version == 2
    assert AuditEvent.objects.get(verb=Verb.AGENCY_UPDATED).changes == {}


def test_agency_selectors_are_scoped_to_the_area(
    area_admin: User, agency: Agency, make_user: Any, stranger_admin: User
) -> None:
    assert selectors.agency_list_for_user(area_admin) == [agency]
    assert selectors.agency_list_for_user(make_user(Role.SOCIAL_WORKER)) == []
    assert selectors.agency_get_for_user(area_admin, agency.pk) == agency
    assert selectors.agency_get_for_user(stranger_admin, agency.pk) is None


# --- users -----------------------------------------------------------------------------------


def test_user_create_normalises_and_records_roles(
    area_admin: User, agency: Agency, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_create(
            actor=area_admin,
            email="  Mixed.Case@Example.TEST ",
            full_name="  Pat Practitioner ",
            agency=agency,
            roles=[Role.CHAIR, Role.SOCIAL_WORKER, Role.CHAIR],
        )
    assert user.email == "mixed.case@example.test"
    assert user.full_name == "Pat Practitioner"
    assert sorted(UserRole.objects.filter(user=user).values_list("role", flat=True)) == [
        Role.CHAIR,
        Role.SOCIAL_WORKER,
    ]
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(verb=Verb.USER_CREATED)
    assert event.changes["roles"] == {"before": [], "after": [Role.CHAIR, Role.SOCIAL_WORKER]}


def test_user_create_without_invitation_sends_nothing(
    area_admin: User, agency: Agency, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.user_create(
            actor=area_admin,
            email="quiet@example.test",
            full_name="Quiet User",
            agency=agency,
            roles=[],
            send_invitation=False,
        )
    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"roles": ["not_a_role"]}, "roles"),
        ({"agency": None}, "agency"),
        ({"email": "   "}, "email"),
        ({"full_name": "  "}, "full_name"),
    ],
)
def test_user_create_refuses_bad_input(
    area_admin: User, agency: Agency, kwargs: dict[str, Any], field: str
) -> None:
    values: dict[str, Any] = {
        "email": "someone@example.test",
        "full_name": "Some One",
        "agency": agency,
        "roles": [Role.SOCIAL_WORKER],
    }
    values.update(kwargs)
    count = User.objects.count()
    with pytest.raises(FieldErrors) as exc:
        services.user_create(actor=area_admin, **values)
    assert field in exc.value.errors
    assert User.objects.count() == count
    assert not AuditEvent.objects.filter(verb=Verb.USER_CREATED).exists()


def test_user_create_refuses_an_agency_of_another_area(area_admin: User) -> None:
    with pytest.raises(FieldErrors) as exc:
        services.user_create(
            actor=area_admin,
            email="x@example.test",
            full_name="X",
            agency=AgencyFactory(area=AreaFactory()),
            roles=[],
        )
    assert set(exc.value.errors) == {"agency"}


def test_user_create_is_refused_to_non_administrators(make_user: Any, agency: Agency) -> None:
    with pytest.raises(NotPermitted):
        services.user_create(
            actor=make_user(Role.SERVICE_MANAGER),
            email="x@example.test",
            full_name="X",
            agency=agency,
            roles=[Role.AREA_ADMINISTRATOR],
        )
    assert not User.objects.filter(email="x@example.test").exists()


def test_user_update_from_a_stale_version_changes_neither_fields_nor_roles(
    area_admin: User, make_user: Any
) -> None:
    subject = make_user(Role.SOCIAL_WORKER)
    services.user_update(actor=area_admin, user=subject, expected_version=1, job_title="A")
    stale = User.objects.get(pk=subject.pk)
    stale.version = 1
    with pytest.raises(ConcurrentEditError):
        services.user_update(
            actor=area_admin,
            user=stale,
            expected_version=1,
            job_title="B",
            roles=[Role.AREA_ADMINISTRATOR],
        )
    fresh = User.objects.get(pk=subject.pk)
    assert (fresh.job_title, fresh.version) == ("A", 2)
    assert fresh.role_set() == {Role.SOCIAL_WORKER}


def test_user_update_refuses_a_move_to_another_area(area_admin: User, make_user: Any) -> None:
    subject = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(FieldErrors) as exc:
        services.user_update(
            actor=area_admin,
            user=subject,
            expected_version=1,
            agency=AgencyFactory(area=AreaFactory()),
        )
    assert set(exc.value.errors) == {"agency"}
    assert User.objects.get(pk=subject.pk).agency_id == subject.agency_id


def test_user_update_of_another_areas_user_is_refused(stranger_admin: User, make_user: Any) -> None:
    subject = make_user(Role.SOCIAL_WORKER)
    with pytest.raises(NotPermitted):
        services.user_update(
            actor=stranger_admin, user=subject, expected_version=1, is_active=False
        )
    assert User.objects.get(pk=subject.pk).is_active


def test_an_administrator_cannot_strip_or_deactivate_themselves(area_admin: User) -> None:
    with pytest.raises(FieldErrors) as exc:
        services.user_update(actor=area_admin, user=area_admin, expected_version=1, roles=[])
    assert set(exc.value.errors) == {"roles"}
    with pytest.raises(FieldErrors) as exc:
        services.user_update(actor=area_admin, user=area_admin, expected_version=1, is_active=False)
    assert set(exc.value.errors) == {"is_active"}
    fresh = User.objects.get(pk=area_admin.pk)
    assert fresh.is_active and fresh.role_set() == {Role.AREA_ADMINISTRATOR}


def test_another_administrator_may_remove_an_administrators_role(
    area_admin: User, make_user: Any
) -> None:
    other = make_user(Role.AREA_ADMINISTRATOR, Role.SOCIAL_WORKER)
    services.user_update(
        actor=area_admin, user=other, expected_version=1, roles=[Role.SOCIAL_WORKER]
    )
    assert User.objects.get(pk=other.pk).role_set() == {Role.SOCIAL_WORKER}


def test_user_selectors_are_scoped_and_reads_audited(
    area_admin: User, make_user: Any, stranger_admin: User
) -> None:
    subject = make_user(Role.SOCIAL_WORKER)
    listed = selectors.user_list_for_user(area_admin)
    assert subject in listed and stranger_admin not in listed
    assert selectors.user_list_for_user(subject) == []

    assert selectors.user_get_for_user(stranger_admin, subject.pk) is None
    assert not AuditEvent.objects.filter(verb=Verb.USER_VIEWED).exists()
    assert selectors.user_get_for_user(area_admin, subject.pk) == subject
    (event,) = AuditEvent.objects.filter(verb=Verb.USER_VIEWED)
    assert (event.actor_id, event.target_id) == (area_admin.pk, str(subject.pk))
