"""Link pages through HTTP: add a link from a location or group page in two steps, view it,
change it, delete it; refusals and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from riskpath.audit.verbs import Verb
from riskpath.links import services
from riskpath.links.models import Link, LinkKind
from tests.links.factories import IntelligenceItemFactory
from tests.links.scenario import AuditWatch, Places

pytestmark = pytest.mark.django_db


def html(response: Any) -> str:
    return response.content.decode()


def add_url(from_type: str, obj: Any, to_type: str | None = None) -> str:
    url = f"{reverse('links:create')}?from_type={from_type}&from_id={obj.pk}"
    return f"{url}&to_type={to_type}" if to_type else url


def details(**overrides: Any) -> dict[str, Any]:
    data = {"kind": "frequents", "strength": "tentative", "first_seen": "", "last_seen": ""}
    data.update(overrides)
    return data


def test_add_a_link_from_a_location_page(client_for: Any, places: Places) -> None:
    item = IntelligenceItemFactory(source_agency=places.agency)
    client = client_for(places.recorder)
    page = html(client.get(reverse("locations:detail", args=[places.location.pk])))
    assert add_url("location", places.location).replace("&", "&amp;") in page
    step_one = client.get(add_url("location", places.location))
    assert step_one.status_code == 200
    assert "What is at the other end of the link?" in html(step_one)
    step_two = client.get(add_url("location", places.location, "young_person"))
    form = html(step_two)
    assert "Linkperson" not in form  # nobody is listed: the recorder searches
    assert str(item.pk) in form  # the evidence the recorder may cite

    def search(name: str) -> str:
        return html(
            client.post(
                add_url("location", places.location, "young_person"),
                {"other__search": name, "find__other": "1"},
            )
        )

    # Only young people the recorder may open can be linked from here.
    assert "Kai LINKPERSON" in search("Kai")
    assert "UNSEEN" not in search("Unseen") and str(places.unseen.pk) not in search("Ula")
    assert not Link.objects.exists()
    watch = AuditWatch()
    response = client.post(
        add_url("location", places.location, "young_person"),
        details(
            other=str(places.young_person.pk),
            first_seen="3 1 2026",
            last_seen="2026-02-03",
            evidence=[str(item.pk)],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("locations:detail", args=[places.location.pk])
    link = Link.objects.get()
    # People come first: "Kai frequents the takeaway".
    assert (link.source, link.target, link.kind) == (
        places.young_person,
        places.location,
        "frequents",
    )
    assert (link.first_seen, link.last_seen) == (dt.date(2026, 1, 3), dt.date(2026, 2, 3))
    assert list(link.evidence.all()) == [item]
    (event,) = watch.new()
    assert (event.verb, event.subject_id) == (Verb.LINK_CREATED, str(places.young_person.pk))
    page = html(client.get(reverse("locations:detail", args=[places.location.pk])))
    assert "Kai Linkperson" in page and "frequents" in page


def test_a_duplicate_is_refused_with_a_way_to_the_existing_link(
    client_for: Any, places: Places
) -> None:
    existing = services.link_create(
        actor=places.recorder, source=places.group, target=places.location, kind="frequents"
    )
    client = client_for(places.recorder)
    response = client.post(
        add_url("group", places.group, "location"), details(other=str(places.location.pk))
    )
    assert response.status_code == 400
    page = html(response)
    assert "This link is already recorded" in page
    assert reverse("links:detail", args=[existing.pk]) in page
    assert Link.objects.count() == 1


def test_a_place_group_or_person_of_interest_is_found_by_a_search_never_listed(
    client_for: Any, places: Places
) -> None:
    client = client_for(places.recorder)
    url = add_url("group", places.group, "location")
    form = html(client.get(url))
    assert places.location.name not in form and str(places.location.pk) not in form
    assert "Find a location by name" in form
    # Without JavaScript: the picker's own Search button, then the choice.
    typed = places.location.name[:-1]  # one letter short, as it is being typed
    found = html(client.post(url, {"other__search": typed, "find__other": "1"}))
    assert f'value="{places.location.pk}"' in found
    assert str(places.far_location.pk) not in found  # another area's is never found
    response = client.post(url, details(other=str(places.location.pk)))
    assert response.status_code == 302
    (link,) = Link.objects.all()
    assert (link.source_group, link.target_location) == (places.group, places.location)
    # Another area's location, posted by hand, is refused and changes nothing.
    response = client.post(url, details(other=str(places.far_location.pk)))
    assert response.status_code == 400 and Link.objects.count() == 1


def test_a_self_link_and_bad_input_are_refused(client_for: Any, places: Places) -> None:
    client = client_for(places.recorder)
    url = add_url("location", places.location, "location")
    response = client.post(url, details(kind="seen_with", other=str(places.location.pk)))
    assert response.status_code == 400
    assert "two different things" in html(response)
    response = client.post(url, details(other=""))
    assert response.status_code == 400
    assert "Search for and choose the location at the other end" in html(response)
    response = client.post(
        add_url("location", places.location, "group"),
        details(other=str(places.group.pk), first_seen="2 2 2026", last_seen="1 2 2026"),
    )
    assert response.status_code == 400
    assert "same as or after the date first seen" in html(response)
    assert not Link.objects.exists()


def test_the_other_end_must_be_of_the_area(client_for: Any, places: Places) -> None:
    client = client_for(places.recorder)
    response = client.post(
        add_url("location", places.location, "group"), details(other=str(places.far_group.pk))
    )
    assert response.status_code == 400
    assert client.get(add_url("location", places.far_location)).status_code == 404
    assert client.get(add_url("young_person", places.unseen)).status_code == 404
    assert not Link.objects.exists()


def test_link_detail_is_audited_and_hides_young_people_not_involved(
    client_for: Any, places: Places
) -> None:
    link = services.link_create(
        actor=places.colleague, source=places.unseen, target=places.group, kind="member_of"
    )
    client = client_for(places.recorder)
    watch = AuditWatch()
    page = html(client.get(reverse("links:detail", args=[link.pk])))
    assert "A young person you are not involved with" in page and "Ula Unseen" not in page
    (event,) = watch.new()
    assert (event.verb, event.subject_id) == (Verb.LINK_VIEWED, str(places.unseen.pk))


def test_edit_stale_edit_and_delete(client_for: Any, places: Places) -> None:
    link = services.link_create(
        actor=places.recorder, source=places.poi, target=places.location, kind="lives_at"
    )
    client = client_for(places.recorder)
    url = reverse("links:edit", args=[link.pk])
    assert 'name="version" value="1"' in html(client.get(url))
    data = details(kind="lives_at", strength="confirmed", version=1)
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "strength": "unconfirmed"})
    assert response.status_code == 409
    link.refresh_from_db()
    assert (link.strength, link.version) == ("confirmed", 2)
    response = client.post(
        reverse("links:delete", args=[link.pk]),
        {"reason": "The address was recorded in error.", "version": 2},
    )
    assert response["Location"] == reverse("locations:detail", args=[places.location.pk])
    assert client.get(reverse("links:detail", args=[link.pk])).status_code == 404


def test_refusals(client_for: Any, places: Places) -> None:
    link = services.link_create(
        actor=places.recorder, source=places.poi, target=places.group, kind=LinkKind.MEMBER_OF
    )
    qa = client_for(places.qa)
    assert qa.get(reverse("links:detail", args=[link.pk])).status_code == 403
    assert qa.get(add_url("location", places.location)).status_code == 403
    far = client_for(places.far_user)
    for name in ("detail", "edit", "delete"):
        assert far.get(reverse(f"links:{name}", args=[link.pk])).status_code == 404, name
    response = far.post(reverse("links:delete", args=[link.pk]), {"reason": "x" * 20, "version": 1})
    assert response.status_code == 404
    assert Link.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize(
    "query",
    [
        "from_type=group&from_id=x",
        "from_type=young_person&from_id=1%27%20OR%201%3D1",
        "from_type=planet&from_id=5d7c7c59-6c38-4a43-9d5d-6f0d7c4c1f10",
        "from_type=location",
        "",
    ],
)
def test_a_malformed_start_of_a_new_link_is_not_found(
    client_for: Any, places: Places, query: str
) -> None:
    """The link form's start comes from the query string: a malformed id or type finds no
    record (it used to raise a ValidationError: a 500)."""
    client = client_for(places.recorder)
    response = client.get(f"{reverse('links:create')}?{query}")
    assert response.status_code == 404
    assert client.post(f"{reverse('links:create')}?{query}", {}).status_code == 404


def test_group_page_links_section_query_count(
    client_for: Any, places: Places, django_assert_max_num_queries: Any
) -> None:
    from tests.links.factories import LocationFactory

    for i in range(15):
        location = LocationFactory(recording_agency=places.agency, name=f"Spot {i}")
        services.link_create(
            actor=places.recorder, source=places.group, target=location, kind="frequents"
        )
    client = client_for(places.recorder)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("groups:detail", args=[places.group.pk]))
    assert html(response).count("frequents") == 15
