"""Referrals and signposting: NRM only from first responders, adult safeguarding only for
young people of 18 or over, status and outcome, and the young person's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, FieldErrors, NotPermitted
from riskpath.referrals import services
from riskpath.referrals.models import Referral, ReferralStatus, ReferralTo
from tests.factories import AgencyFactory, UserFactory, YoungPersonFactory
from tests.people.scenario import AuditWatch, Scene
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


def years_ago(years: int) -> dt.date:
    today = clock.today()
    return today.replace(year=today.year - years) - dt.timedelta(days=1)


def user_of_kind(scene: Scene, kind: str) -> tuple[Any, Any]:
    """A social worker of an agency of ``kind`` and a young person that agency recorded."""
    agency = AgencyFactory(area=scene.area, kind=kind)
    user = UserFactory(agency=agency, roles=[Role.SOCIAL_WORKER])
    return user, YoungPersonFactory(recording_agency=agency)


@pytest.mark.parametrize(
    "kind,allowed",
    [
        (AgencyKind.POLICE, True),
        (AgencyKind.SOCIAL_CARE, True),
        (AgencyKind.LOCAL_AUTHORITY, True),
        (AgencyKind.EDUCATION, False),
        (AgencyKind.HEALTH, False),
        (AgencyKind.YOUTH_JUSTICE, False),
        (AgencyKind.VOLUNTARY, False),
        (AgencyKind.OTHER, False),
    ],
)
def test_only_first_responders_refer_to_the_nrm(scene: Scene, kind: str, allowed: bool) -> None:
    user, young = user_of_kind(scene, kind)
    watch = AuditWatch()
    if allowed:
        referral = services.referral_record(actor=user, young_person=young, to=ReferralTo.NRM)
        assert referral.referring_agency_id == user.agency_id
        assert watch.verbs() == [Verb.REFERRAL_RECORDED]
    else:
        with pytest.raises(FieldErrors) as exc:
            services.referral_record(actor=user, young_person=young, to=ReferralTo.NRM)
        assert set(exc.value.errors) == {"to"}
        assert "first responders" in exc.value.errors["to"]
        assert not Referral.objects.exists()
        assert watch.new() == []


def test_a_non_first_responder_cannot_turn_a_referral_into_an_nrm_one(scene: Scene) -> None:
    user, young = user_of_kind(scene, AgencyKind.EDUCATION)
    referral = services.referral_record(actor=user, young_person=young, to=ReferralTo.BASE)
    with pytest.raises(FieldErrors) as exc:
        services.referral_update(
            actor=user, referral=referral, expected_version=1, to=ReferralTo.NRM
        )
    assert set(exc.value.errors) == {"to"}
    referral.refresh_from_db()
    assert referral.to == ReferralTo.BASE


@pytest.mark.parametrize("age,allowed", [(17, False), (18, True), (22, True), (None, False)])
def test_adult_safeguarding_only_from_18(scene: Scene, age: int | None, allowed: bool) -> None:
    young = scene.person
    young.date_of_birth = None if age is None else years_ago(age)
    young.save()
    if allowed:
        services.referral_record(
            actor=scene.colleague, young_person=young, to=ReferralTo.ADULT_SAFEGUARDING
        )
        assert Referral.objects.count() == 1
    else:
        with pytest.raises(FieldErrors) as exc:
            services.referral_record(
                actor=scene.colleague, young_person=young, to=ReferralTo.ADULT_SAFEGUARDING
            )
        assert set(exc.value.errors) == {"to"}
        assert "18 or over" in exc.value.errors["to"]
        assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "values,field",
    [
        ({"to": "nowhere"}, "to"),
        ({"to": ReferralTo.OTHER}, "to_detail"),
        ({"status": "lost"}, "status"),
        ({"status": ReferralStatus.MADE}, "made_on"),
        ({"made_on": "tomorrow"}, "made_on"),
    ],
)
def test_referrals_validate(scene: Scene, values: dict[str, Any], field: str) -> None:
    data: dict[str, Any] = {"to": ReferralTo.BASE}
    data.update(values)
    if data.get("made_on") == "tomorrow":
        data["made_on"] = clock.today() + dt.timedelta(days=1)
    with pytest.raises(FieldErrors) as exc:
        services.referral_record(actor=scene.colleague, young_person=scene.person, **data)
    assert set(exc.value.errors) == {field}
    assert not Referral.objects.exists()


def test_recording_needs_an_access_basis(scene: Scene) -> None:
    with pytest.raises(NotPermitted):
        services.referral_record(actor=scene.partner, young_person=scene.person, to="base")


def test_status_and_outcome_are_updated_with_a_version(scene: Scene) -> None:
    referral = services.referral_record(
        actor=scene.colleague, young_person=scene.person, to=ReferralTo.DRUG_AND_ALCOHOL
    )
    watch = AuditWatch()
    services.referral_update(
        actor=scene.colleague,
        referral=referral,
        expected_version=1,
        status=ReferralStatus.ACCEPTED,
        made_on=clock.today(),
        outcome="Allocated a worker",
    )
    (event,) = watch.new()
    assert event.verb == Verb.REFERRAL_UPDATED
    assert set(event.changes) == {"status", "made_on", "outcome"}
    stale = Referral.objects.get(pk=referral.pk)
    stale.version = 1
    with pytest.raises(ConcurrentEditError):
        services.referral_update(
            actor=scene.colleague, referral=stale, expected_version=1, outcome="x"
        )


# --- pages -----------------------------------------------------------------------------------


def test_recording_and_updating_through_the_pages(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.colleague)
    detail = reverse("people:detail", args=[scene.person.pk])
    assert "Record a referral" in client.get(detail).content.decode()
    url = reverse("referrals:create", args=[scene.person.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"to": "", "status": "planned"})
    assert bad.status_code == 400
    assert "Select who the referral is to" in bad.content.decode()
    response = client.post(url, {"to": "mentoring", "status": "made", "made_on": "2 1 2025"})
    assert response.status_code == 302 and response["Location"] == detail
    referral = Referral.objects.get()
    page = client.get(detail).content.decode()
    assert "Mentoring service" in page and "2 January 2025" in page
    edit = reverse("referrals:edit", args=[referral.pk])
    assert client.get(edit).status_code == 200
    data = {"to": "mentoring", "status": "accepted", "made_on": "2 1 2025", "version": 1}
    assert client.post(edit, {**data, "outcome": "Weekly sessions"}).status_code == 302
    stale = client.post(edit, {**data, "outcome": "Other"})
    assert stale.status_code == 409
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("accepted", "Weekly sessions")


def test_the_nrm_refusal_is_shown_on_the_page(client_for: Any, scene: Scene) -> None:
    user, young = user_of_kind(scene, AgencyKind.EDUCATION)
    response = client_for(user).post(
        reverse("referrals:create", args=[young.pk]), {"to": "nrm", "status": "planned"}
    )
    assert response.status_code == 400
    assert "Only first responders can refer to the National Referral Mechanism" in (
        response.content.decode()
    )
    assert not Referral.objects.exists()


def test_pages_are_not_found_without_a_basis_or_in_another_area(
    client_for: Any, scene: Scene, make_user: Any
) -> None:
    referral = ReferralFactory(young_person=scene.person)
    far = ReferralFactory(young_person=scene.other_area_person)
    assert (
        client_for(scene.partner).get(reverse("referrals:edit", args=[referral.pk])).status_code
        == 404
    )
    assert (
        client_for(scene.colleague).get(reverse("referrals:edit", args=[far.pk])).status_code == 404
    )
    panel = make_user(Role.STRATEGIC_PANEL_MEMBER, agency=scene.recording)
    assert (
        client_for(panel).get(reverse("referrals:create", args=[scene.person.pk])).status_code
        == 403
    )
