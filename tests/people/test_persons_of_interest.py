"""Persons of interest: one identity when they are also a young person, disruption history,
who may see them, and the audit trail."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, FieldErrors, NotPermitted
from riskpath.people import selectors, services
from riskpath.people.enums import DisruptionKind
from riskpath.people.models import DisruptionActivity, PersonOfInterest
from tests.factories import AgencyFactory, AreaFactory, YoungPersonFactory
from tests.people.factories import PersonOfInterestFactory
from tests.people.scenario import AuditWatch, Scene

pytestmark = pytest.mark.django_db

LINK_TEXT = "Also recorded as a person of interest"


def html(response: Any) -> str:
    return response.content.decode()


# --- services --------------------------------------------------------------------------------


def test_a_poi_from_a_young_person_has_one_identity(scene: Scene) -> None:
    young = scene.person
    watch = AuditWatch()
    poi = services.person_of_interest_create_from_young_person(
        actor=scene.colleague, young_person=young, description="Seen recruiting younger children"
    )
    # Nothing of the identity is copied: it is read from the young person.
    assert (poi.given_names, poi.family_name, poi.date_of_birth, poi.aliases) == ("", "", None, [])
    assert str(poi) == str(young)
    assert poi.identity_date_of_birth == young.date_of_birth
    (event,) = watch.new()
    assert event.verb == Verb.POI_CREATED
    assert event.subject_id == str(young.pk)
    # A change of name on the young person's record is the person of interest's name too.
    services.young_person_update(
        actor=scene.colleague, person=young, expected_version=young.version, family_name="Renamed"
    )
    poi = PersonOfInterest.objects.select_related("young_person").get(pk=poi.pk)
    assert poi.identity_family_name == "Renamed"
    assert str(poi) == "Kai Renamed"
    assert PersonOfInterest.objects.count() == 1


def test_a_young_person_is_a_poi_at_most_once(scene: Scene) -> None:
    services.person_of_interest_create_from_young_person(
        actor=scene.colleague, young_person=scene.person
    )
    with pytest.raises(FieldErrors) as exc:
        services.person_of_interest_create_from_young_person(
            actor=scene.colleague, young_person=scene.person
        )
    assert set(exc.value.errors) == {"young_person"}
    # and the database holds the line too
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonOfInterestFactory(
            young_person=scene.person, recording_agency=scene.recording, area=scene.area
        )
    assert PersonOfInterest.objects.filter(young_person=scene.person).count() == 1


def test_identity_of_a_linked_poi_is_changed_only_on_the_young_person(scene: Scene) -> None:
    poi = services.person_of_interest_create_from_young_person(
        actor=scene.colleague, young_person=scene.person
    )
    with pytest.raises(FieldErrors) as exc:
        services.person_of_interest_update(
            actor=scene.colleague, person=poi, expected_version=poi.version, family_name="Other"
        )
    assert set(exc.value.errors) == {"family_name"}
    poi = services.person_of_interest_update(
        actor=scene.colleague, person=poi, expected_version=poi.version, postcode="bs16 1qy"
    )
    assert poi.postcode == "BS16 1QY" and poi.family_name == ""


def test_a_poi_from_a_young_person_needs_an_access_basis(scene: Scene) -> None:
    with pytest.raises(NotPermitted):
        services.person_of_interest_create_from_young_person(
            actor=scene.partner, young_person=scene.person
        )
    assert not PersonOfInterest.objects.exists()


def test_a_poi_needs_a_name_or_a_description(scene: Scene) -> None:
    with pytest.raises(FieldErrors) as exc:
        services.person_of_interest_create(actor=scene.partner)
    assert set(exc.value.errors) == {"family_name"}
    poi = services.person_of_interest_create(actor=scene.partner, description="Drives a red car")
    assert str(poi) == "Unnamed person of interest"


def test_stale_edit_of_a_poi_is_refused(scene: Scene) -> None:
    poi = services.person_of_interest_create(actor=scene.partner, family_name="Stale")
    services.person_of_interest_update(
        actor=scene.partner, person=poi, expected_version=1, description="first"
    )
    copy = PersonOfInterest.objects.get(pk=poi.pk)
    copy.version = 1
    with pytest.raises(ConcurrentEditError):
        services.person_of_interest_update(
            actor=scene.partner, person=copy, expected_version=1, description="second"
        )
    assert PersonOfInterest.objects.get(pk=poi.pk).description == "first"


def test_disruption_is_recorded_with_date_agency_and_outcome(scene: Scene) -> None:
    poi = services.person_of_interest_create(actor=scene.partner, family_name="Disrupted")
    watch = AuditWatch()
    services.disruption_record(
        actor=scene.partner,
        person=poi,
        kind=DisruptionKind.CAWN,
        date=clock.today(),
        agency=scene.recording,
        outcome="Served at home address",
    )
    (d,) = selectors.disruptions_of(poi)
    assert (d.kind, d.agency, d.outcome) == ("cawn", scene.recording, "Served at home address")
    (event,) = watch.new()
    assert event.verb == Verb.DISRUPTION_RECORDED
    assert event.changes["kind"] == {"before": None, "after": "cawn"}


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"kind": "tickling"}, "kind"),
        ({"date": None}, "date"),
        ({"date": "tomorrow"}, "date"),
        ({"agency": "other area"}, "agency"),
    ],
)
def test_disruption_validates(scene: Scene, kwargs: dict[str, Any], field: str) -> None:
    poi = services.person_of_interest_create(actor=scene.partner, family_name="Checked")
    values: dict[str, Any] = {"kind": DisruptionKind.ARREST, "date": clock.today()}
    values.update(kwargs)
    if values["date"] == "tomorrow":
        values["date"] = clock.today() + dt.timedelta(days=1)
    if values.get("agency") == "other area":
        values["agency"] = AgencyFactory(area=AreaFactory())
    watch = AuditWatch()
    with pytest.raises(FieldErrors) as exc:
        services.disruption_record(actor=scene.partner, person=poi, **values)
    assert set(exc.value.errors) == {field}
    assert not DisruptionActivity.objects.exists()
    assert watch.new() == []


# --- pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.QA_MEMBER, Role.STRATEGIC_PANEL_MEMBER])
def test_a_role_without_the_rule_is_refused_every_poi_page(
    client_for: Any, make_user: Any, scene: Scene, role: str
) -> None:
    poi = PersonOfInterestFactory(recording_agency=scene.recording)
    client = client_for(make_user(role))
    urls = [
        reverse("people:poi_list"),
        reverse("people:poi_create"),
        reverse("people:poi_detail", args=[poi.pk]),
        reverse("people:poi_edit", args=[poi.pk]),
        reverse("people:poi_create_from_young_person", args=[scene.person.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("people:poi_disruption_create", args=[poi.pk]),
        {"kind": "arrest", "date": "1 1 2024", "agency": str(scene.recording.pk)},
    )
    assert response.status_code == 403
    assert not DisruptionActivity.objects.exists()


def test_another_areas_poi_is_not_found(client_for: Any, scene: Scene) -> None:
    far = PersonOfInterestFactory(recording_agency=AgencyFactory(area=AreaFactory()))
    client = client_for(scene.partner)
    assert client.get(reverse("people:poi_detail", args=[far.pk])).status_code == 404
    assert client.get(reverse("people:poi_detail", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("people:poi_edit", args=[far.pk])).status_code == 404


def test_viewing_a_poi_is_audited_every_time(client_for: Any, scene: Scene) -> None:
    poi = PersonOfInterestFactory(recording_agency=scene.third, family_name="Watched")
    client = client_for(scene.partner)
    for _ in range(2):
        watch = AuditWatch()
        response = client.get(reverse("people:poi_detail", args=[poi.pk]))
        assert response.status_code == 200
        assert "Watched" in html(response)
        (event,) = watch.new()
        assert (event.verb, event.target_id) == (Verb.POI_VIEWED, str(poi.pk))


def test_the_list_is_the_areas_and_audited(
    client_for: Any, scene: Scene, django_assert_max_num_queries: Any
) -> None:
    for _ in range(15):
        PersonOfInterestFactory(recording_agency=scene.third)
    services.person_of_interest_create_from_young_person(
        actor=scene.colleague, young_person=scene.person
    )
    far = PersonOfInterestFactory(
        recording_agency=AgencyFactory(area=AreaFactory()), family_name="Farawayson"
    )
    client = client_for(scene.partner)
    watch = AuditWatch()
    with django_assert_max_num_queries(15):
        response = client.get(reverse("people:poi_list"))
    assert response.status_code == 200
    page = html(response)
    assert "16 people of interest" in page
    assert "Kai Testperson" in page
    assert far.family_name not in page
    (event,) = watch.new()
    assert event.verb == Verb.POI_LISTED and event.changes["count"] == 16
    searched = client.get(reverse("people:poi_list"), {"q": "testperson"})
    assert "1 person of interest" in html(searched)


def test_recording_a_poi_through_the_page(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.partner)
    bad = client.post(reverse("people:poi_create"), {"postcode": "nowhere"})
    assert bad.status_code == 400
    assert not PersonOfInterest.objects.exists()
    response = client.post(
        reverse("people:poi_create"),
        {"given_names": "Dex", "family_name": "Marlowe", "aliases": "Big D\nDM", "postcode": ""},
    )
    poi = PersonOfInterest.objects.get()
    assert response["Location"] == reverse("people:poi_detail", args=[poi.pk])
    assert poi.aliases == ["Big D", "DM"]


def test_recording_a_young_person_as_a_poi_through_the_page(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.colleague)
    url = reverse("people:poi_create_from_young_person", args=[scene.person.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="family_name"' not in html(form)  # the identity is not asked again
    response = client.post(url, {"description": "Holds drugs for older males"})
    poi = PersonOfInterest.objects.get()
    assert poi.young_person_id == scene.person.pk
    assert response["Location"] == reverse("people:poi_detail", args=[poi.pk])
    # asking again leads to the existing record
    again = client.get(url)
    assert again.status_code == 302 and again["Location"] == response["Location"]


def test_the_young_persons_page_links_to_the_poi_only_for_those_who_may_see_pois(
    client_for: Any, make_user: Any, scene: Scene
) -> None:
    poi = services.person_of_interest_create_from_young_person(
        actor=scene.colleague, young_person=scene.person
    )
    detail = reverse("people:detail", args=[scene.person.pk])
    page = html(client_for(scene.colleague).get(detail))
    assert LINK_TEXT in page
    assert reverse("people:poi_detail", args=[poi.pk]) in page
    # A strategic panel member of the recording agency sees neither the young person (an
    # agency's records are for those who record in it) nor the person of interest.
    panel = make_user(Role.STRATEGIC_PANEL_MEMBER, agency=scene.recording)
    response = client_for(panel).get(detail)
    assert response.status_code == 404
    assert LINK_TEXT not in html(response)
    assert client_for(panel).get(reverse("people:poi_detail", args=[poi.pk])).status_code == 403


def test_adding_disruption_through_the_page(client_for: Any, scene: Scene) -> None:
    poi = PersonOfInterestFactory(recording_agency=scene.third, family_name="Target")
    client = client_for(scene.partner)
    url = reverse("people:poi_disruption_create", args=[poi.pk])
    watch = AuditWatch()
    bad = client.post(url, {"kind": "", "date": "32 1 2024", "agency": str(scene.third.pk)})
    assert bad.status_code == 400
    assert "Select the kind of disruption" in html(bad)
    assert not DisruptionActivity.objects.exists()
    assert Verb.DISRUPTION_RECORDED not in watch.verbs()
    watch = AuditWatch()
    response = client.post(
        url,
        {"kind": "cbo", "date": "3 2 2024", "agency": str(scene.third.pk), "outcome": "Granted"},
    )
    assert response.status_code == 302
    assert watch.verbs() == [Verb.DISRUPTION_RECORDED]
    page = html(client.get(reverse("people:poi_detail", args=[poi.pk])))
    assert "Criminal behaviour order" in page and "3 February 2024" in page


def test_editing_a_poi_with_a_stale_version_is_409(client_for: Any, scene: Scene) -> None:
    poi = PersonOfInterestFactory(recording_agency=scene.third, family_name="Edited")
    client = client_for(scene.partner)
    url = reverse("people:poi_edit", args=[poi.pk])
    version = int(re.search(r'name="version" value="(\d+)"', html(client.get(url))).group(1))  # type: ignore[union-attr]
    data = {"family_name": "Edited", "description": "one", "version": version}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "description": "two"})
    assert stale.status_code == 409
    assert "Someone else changed" in html(stale)
    poi.refresh_from_db()
    assert poi.description == "one"


def test_a_user_of_another_agency_may_record_a_poi_from_a_young_person_they_lead(
    scene: Scene,
) -> None:
    led = YoungPersonFactory(recording_agency=scene.third, lead_professional=scene.lead)
    poi = services.person_of_interest_create_from_young_person(actor=scene.lead, young_person=led)
    assert poi.young_person_id == led.pk
