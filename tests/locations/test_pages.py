"""Location pages through HTTP: who sees what, bad input, stale edits, the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.verbs import Verb
from riskpath.links.models import LinkKind
from riskpath.locations.models import Location, LocationKind
from tests.factories import UserFactory
from tests.links.factories import LinkFactory, LocationFactory
from tests.links.scenario import AuditWatch, Places

pytestmark = pytest.mark.django_db


def html(response: Any) -> str:
    return response.content.decode()


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Bus station",
        "kind": LocationKind.TRANSPORT_HUB,
        "address": "1 Station Approach",
        "postcode": "bs16 1qy",
        "latitude": "",
        "longitude": "",
    }
    data.update(overrides)
    return data


def test_the_list_filters_by_type_and_searches(client_for: Any, places: Places) -> None:
    LocationFactory(recording_agency=places.agency, name="Oak park", kind=LocationKind.PARK)
    client = client_for(places.recorder)
    page = html(client.get(reverse("locations:list")))
    assert "Oak park" in page and "Station Road takeaway" in page
    assert "Far away park" not in page
    page = html(client.get(reverse("locations:list"), {"kind": LocationKind.PARK}))
    assert "Oak park" in page and "Station Road takeaway" not in page
    page = html(client.get(reverse("locations:list"), {"q": "bs161qy"}))
    assert "Station Road takeaway" in page and "Oak park" in page  # both in BS16 1QY
    page = html(client.get(reverse("locations:list"), {"q": "takeaway"}))
    assert "Station Road takeaway" in page and "Oak park" not in page


def test_the_list_page_queries_do_not_grow(
    client_for: Any, places: Places, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        LocationFactory(recording_agency=places.agency, name=f"Place {i:02}")
    client = client_for(places.recorder)
    # 12, and the 4 of recording the listing in the audit chain (fixed, not per row).
    with django_assert_max_num_queries(16):
        response = client.get(reverse("locations:list"))
    assert "31 locations" in html(response)


@pytest.mark.parametrize("role", [Role.QA_MEMBER, Role.STRATEGIC_PANEL_MEMBER])
def test_roles_without_the_rule_are_refused(client_for: Any, places: Places, role: str) -> None:
    client = client_for(UserFactory(agency=places.agency, roles=[role]))
    assert client.get(reverse("locations:list")).status_code == 403
    assert client.get(reverse("locations:detail", args=[places.location.pk])).status_code == 403
    assert client.post(reverse("locations:create"), form_data()).status_code == 403
    assert not Location.objects.filter(name="Bus station").exists()


def test_record_a_location(client_for: Any, places: Places) -> None:
    client = client_for(places.recorder)
    watch = AuditWatch()
    response = client.post(reverse("locations:create"), form_data())
    location = Location.objects.get(name="Bus station")
    assert response.status_code == 302
    assert response["Location"] == reverse("locations:detail", args=[location.pk])
    assert location.postcode == "BS16 1QY"
    assert watch.verbs() == [Verb.LOCATION_CREATED]


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"name": ""}, "name", "Enter the name of the location"),
        ({"kind": ""}, "kind", "Select the type of location"),
        ({"postcode": "B16"}, "postcode", "Enter a real UK postcode"),
        ({"latitude": "95", "longitude": "1"}, "latitude", "between -90 and 90"),
        ({"latitude": "51"}, "longitude", "Enter the longitude as well"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    client_for: Any, places: Places, overrides: dict[str, str], field: str, message: str
) -> None:
    watch = AuditWatch()
    response = client_for(places.recorder).post(reverse("locations:create"), form_data(**overrides))
    assert response.status_code == 400
    page = html(response)
    assert 'class="govuk-error-summary"' in page
    assert f'href="#id_{field}' in page
    assert message in page
    assert not Location.objects.filter(name="Bus station").exists()
    assert watch.new() == []


def test_the_detail_page_is_audited_and_shows_links(client_for: Any, places: Places) -> None:
    LinkFactory(
        area=places.area,
        source_group=places.group,
        target_location=places.location,
        kind=LinkKind.FREQUENTS,
    )
    client = client_for(places.recorder)
    watch = AuditWatch()
    response = client.get(reverse("locations:detail", args=[places.location.pk]))
    assert response.status_code == 200
    page = html(response)
    assert "Station Road crew" in page and "frequents" in page
    assert "Add a link" in page
    (event,) = watch.new()
    assert (event.verb, event.target_id) == (Verb.LOCATION_VIEWED, str(places.location.pk))


def test_another_areas_location_is_not_found(client_for: Any, places: Places) -> None:
    client = client_for(places.recorder)
    far = places.far_location.pk
    for name in ("detail", "edit", "delete"):
        assert client.get(reverse(f"locations:{name}", args=[far])).status_code == 404, name
    assert client.post(reverse("locations:edit", args=[far]), form_data()).status_code == 404
    places.far_location.refresh_from_db()
    assert places.far_location.name == "Far away park"


def test_edit_and_stale_edit(client_for: Any, places: Places) -> None:
    url = reverse("locations:edit", args=[places.location.pk])
    client = client_for(places.recorder)
    assert 'name="version" value="1"' in html(client.get(url))
    response = client.post(url, form_data(name="Station Road chip shop", version=1))
    assert response.status_code == 302
    watch = AuditWatch()
    response = client.post(url, form_data(name="Something else", version=1))
    assert response.status_code == 409
    assert "Someone else changed this location" in html(response)
    places.location.refresh_from_db()
    assert (places.location.name, places.location.version) == ("Station Road chip shop", 2)
    assert watch.new() == []


def test_delete_and_restore_through_the_pages(client_for: Any, places: Places) -> None:
    client = client_for(places.recorder)
    pk = places.location.pk
    response = client.post(
        reverse("locations:delete", args=[pk]), {"reason": "short", "version": 1}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("locations:delete", args=[pk]),
        {"reason": "Duplicate of another location record.", "version": 1},
    )
    assert response.status_code == 302
    assert client.get(reverse("locations:detail", args=[pk])).status_code == 404
    page = html(client.get(reverse("locations:list")))
    assert "Deleted locations you can restore" in page
    response = client.post(reverse("locations:restore", args=[pk]), {"version": 2})
    assert response["Location"] == reverse("locations:detail", args=[pk])
    assert Location.objects.filter(pk=pk).exists()
