"""Location services and selectors, called directly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404

from riskpath.audit.verbs import Verb
from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors, NotPermitted
from riskpath.locations import selectors, services
from riskpath.locations.models import Location, LocationKind
from tests.links.factories import LocationFactory
from tests.links.scenario import AuditWatch, Places

pytestmark = pytest.mark.django_db

REASON = "Recorded twice by mistake at the last meeting."


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("bs161qy", "BS16 1QY"),
        ("  SW1A 1AA ", "SW1A 1AA"),
        ("m1 1ae", "M1 1AE"),
        ("IM1 3PS", "IM1 3PS"),
        ("dn31  1hu", "DN31 1HU"),
        ("", ""),
    ],
)
def test_postcodes_are_normalised(places: Places, typed: str, stored: str) -> None:
    location = services.location_create(
        actor=places.recorder, name="Corner shop", kind=LocationKind.SHOP, postcode=typed
    )
    assert location.postcode == stored


@pytest.mark.parametrize("typed", ["12345", "BS16 1Q", "ABC 123", "BS16-1QY!", "Q1 1AAA"])
def test_a_postcode_not_shaped_like_one_is_refused(places: Places, typed: str) -> None:
    with pytest.raises(FieldErrors) as exc:
        services.location_create(
            actor=places.recorder, name="Corner shop", kind=LocationKind.SHOP, postcode=typed
        )
    assert set(exc.value.errors) == {"postcode"}
    assert not Location.objects.filter(name="Corner shop").exists()


@pytest.mark.parametrize(
    "kind,lat,lon,field",
    [
        (LocationKind.PARK, "91", "0", "latitude"),
        (LocationKind.PARK, "-90.5", "0", "latitude"),
        (LocationKind.PARK, "51.5", "180.01", "longitude"),
        (LocationKind.PARK, "51.5", "-181", "longitude"),
        (LocationKind.PARK, "51.5", None, "longitude"),
        (LocationKind.PARK, None, "-2.5", "latitude"),
        (LocationKind.PARK, "north", "-2.5", "latitude"),
        (LocationKind.PARK, "1e40", "-2.5", "latitude"),
        (LocationKind.PARK, "NaN", "-2.5", "latitude"),
        (LocationKind.ONLINE, "51.5", "-2.5", "latitude"),
    ],
)
def test_coordinates_must_be_in_range_both_or_neither_and_never_online(
    places: Places, kind: str, lat: Any, lon: Any, field: str
) -> None:
    watch = AuditWatch()
    with pytest.raises(FieldErrors) as exc:
        services.location_create(
            actor=places.recorder, name="Rec ground", kind=kind, latitude=lat, longitude=lon
        )
    assert set(exc.value.errors) == {field}
    assert watch.new() == []


def test_create_records_area_agency_and_audit(places: Places) -> None:
    watch = AuditWatch()
    location = services.location_create(
        actor=places.recorder,
        name=" Riverside park ",
        kind=LocationKind.PARK,
        postcode="bs16 1qy",
        latitude="51.4812345",
        longitude=-2.5,
    )
    assert location.name == "Riverside park"
    assert (location.latitude, location.longitude) == (Decimal("51.481235"), Decimal("-2.5"))
    assert location.area_id == places.area.pk
    assert location.recording_agency_id == places.agency.pk
    (event,) = watch.new()
    assert event.verb == Verb.LOCATION_CREATED
    assert event.target_id == str(location.pk)
    assert event.changes["postcode"] == {"before": None, "after": "BS16 1QY"}
    assert event.changes["latitude"]["after"] == "51.481235"


def test_an_online_platform_has_no_coordinates(places: Places) -> None:
    location = services.location_create(
        actor=places.recorder, name="Group chat", kind=LocationKind.ONLINE, address="chat app"
    )
    assert location.latitude is None and location.longitude is None


def test_create_is_refused_to_a_role_without_the_rule(places: Places) -> None:
    with pytest.raises(NotPermitted):
        services.location_create(actor=places.qa, name="X", kind=LocationKind.SHOP)
    assert not Location.objects.filter(name="X").exists()


def test_update_is_versioned_and_audits_only_what_changed(places: Places) -> None:
    location = places.location
    watch = AuditWatch()
    services.location_update(
        actor=places.colleague,
        location=location,
        expected_version=1,
        postcode="bs5 6xx",
    )
    location.refresh_from_db()
    assert (location.postcode, location.version) == ("BS5 6XX", 2)
    (event,) = watch.new()
    assert event.verb == Verb.LOCATION_UPDATED
    assert event.changes == {"postcode": {"before": "BS16 1QY", "after": "BS5 6XX"}}

    stale = Location.objects.get(pk=location.pk)
    with pytest.raises(ConcurrentEditError):
        services.location_update(
            actor=places.recorder, location=stale, expected_version=1, name="Renamed"
        )
    location.refresh_from_db()
    assert location.name == "Station Road takeaway"
    assert len(watch.new()) == 1


def test_update_of_another_areas_location_is_refused(places: Places) -> None:
    with pytest.raises(NotPermitted):
        services.location_update(
            actor=places.recorder, location=places.far_location, expected_version=1, name="Mine"
        )


def test_delete_hides_and_restore_brings_back(places: Places) -> None:
    watch = AuditWatch()
    with pytest.raises(FieldErrors):
        services.location_delete(
            actor=places.recorder, location=places.location, expected_version=1, reason="no"
        )
    services.location_delete(
        actor=places.recorder, location=places.location, expected_version=1, reason=REASON
    )
    assert places.location not in selectors.location_list_for_user(places.recorder)
    assert selectors.location_deleted_list_for_user(places.recorder) == [places.location]
    with pytest.raises(Http404):
        selectors.access_location(places.recorder, places.location.pk)
    with pytest.raises(DomainError):
        services.location_delete(
            actor=places.recorder, location=places.location, expected_version=2, reason=REASON
        )
    services.location_restore(actor=places.recorder, location=places.location, expected_version=2)
    assert places.location in selectors.location_list_for_user(places.recorder)
    deleted, restored = watch.new(verb=Verb.LOCATION_UPDATED)
    assert [e.verb for e in watch.new(verb=Verb.LOCATIONS_LISTED)] == [Verb.LOCATIONS_LISTED] * 2
    assert deleted.reason == REASON
    assert deleted.changes == {"deleted": {"before": False, "after": True}}
    assert restored.changes == {"deleted": {"before": True, "after": False}}


def test_search_by_name_or_postcode_and_filter_by_type(places: Places) -> None:
    park = LocationFactory(
        recording_agency=places.agency, name="Oak park", kind=LocationKind.PARK, postcode="M1 1AE"
    )
    user = places.recorder
    assert selectors.location_list_for_user(user, search="oak") == [park]
    assert selectors.location_list_for_user(user, search="m11ae") == [park]
    assert selectors.location_list_for_user(user, search="M1 1") == [park]
    assert selectors.location_list_for_user(user, kind=LocationKind.PARK) == [park]
    assert set(selectors.location_list_for_user(user)) == {park, places.location}
    # Never another area's, never for a role without the rule.
    assert selectors.location_list_for_user(user, search="far away") == []
    assert selectors.location_list_for_user(places.qa) == []


def test_reading_a_location_is_audited_and_stops_at_the_area(places: Places) -> None:
    watch = AuditWatch()
    assert selectors.location_get_for_user(places.recorder, places.location.pk) == places.location
    (event,) = watch.new()
    assert (event.verb, event.target_id) == (Verb.LOCATION_VIEWED, str(places.location.pk))
    with pytest.raises(Http404):
        selectors.location_get_for_user(places.recorder, places.far_location.pk)
    assert len(watch.new()) == 1
