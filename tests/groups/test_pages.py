"""Group pages through HTTP: list, record, detail with members over time, add and end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from riskpath.audit.verbs import Verb
from riskpath.groups import services
from riskpath.groups.ends import HIDDEN_YOUNG_PERSON
from riskpath.groups.models import Group, GroupKind, GroupMembership
from tests.links.factories import GroupFactory
from tests.links.scenario import AuditWatch, Places

pytestmark = pytest.mark.django_db


def html(response: Any) -> str:
    return response.content.decode()


def test_list_and_query_count(
    client_for: Any, places: Places, django_assert_max_num_queries: Any
) -> None:
    for i in range(20):
        group = GroupFactory(recording_agency=places.agency, name=f"Group {i:02}")
        GroupMembership.objects.create(group=group, person_of_interest=places.poi)
    client = client_for(places.recorder)
    # 12, and the 4 of recording the listing in the audit chain (fixed, not per row).
    with django_assert_max_num_queries(16):
        response = client.get(reverse("groups:list"))
    page = html(response)
    assert "21 groups" in page and "Far away crew" not in page
    page = html(client.get(reverse("groups:list"), {"kind": GroupKind.ORGANISED_CRIME_GROUP}))
    assert "No groups match your search." in page


def test_record_a_group_and_bad_input(client_for: Any, places: Places) -> None:
    client = client_for(places.recorder)
    response = client.post(reverse("groups:create"), {"name": "", "kind": "ocg"})
    assert response.status_code == 400
    assert "Enter the name of the group" in html(response)
    assert not Group.objects.filter(kind="ocg").exists()
    response = client.post(reverse("groups:create"), {"name": "Blue crew", "kind": "ocg"})
    group = Group.objects.get(name="Blue crew")
    assert response["Location"] == reverse("groups:detail", args=[group.pk])


def test_a_role_without_the_rule_is_refused(client_for: Any, places: Places) -> None:
    client = client_for(places.qa)
    assert client.get(reverse("groups:list")).status_code == 403
    assert client.get(reverse("groups:detail", args=[places.group.pk])).status_code == 403


def test_another_areas_group_is_not_found(client_for: Any, places: Places) -> None:
    client = client_for(places.recorder)
    pk = places.far_group.pk
    for name in ("detail", "edit", "member_add"):
        assert client.get(reverse(f"groups:{name}", args=[pk])).status_code == 404, name


def test_add_and_end_members_through_the_pages(client_for: Any, places: Places) -> None:
    client = client_for(places.recorder)
    add = reverse("groups:member_add", args=[places.group.pk])
    page = html(client.get(add))
    # Young people and persons of interest are searched for, never listed.
    assert "Linkperson" not in page and "INTEREST" not in page and "Pat " not in page
    poi = html(
        client.post(
            add, {"person_of_interest__search": "interest", "find__person_of_interest": "1"}
        )
    )
    assert f'value="{places.poi.pk}"' in poi
    found = html(client.post(add, {"young_person__search": "Kai", "find__young_person": "1"}))
    assert "Kai LINKPERSON" in found
    unseen = html(client.post(add, {"young_person__search": "Ula", "find__young_person": "1"}))
    assert str(places.unseen.pk) not in unseen  # not involved: not offered
    watch = AuditWatch()
    response = client.post(add, {"young_person": str(places.unseen.pk), "joined_on": ""})
    assert response.status_code == 400
    assert "Enter the date they joined the group" in html(response)
    assert "Choose young people from the search results" in html(response)
    response = client.post(add, {"joined_on": "5 1 2026"})
    assert response.status_code == 400
    assert "Search for and choose a young person or a person of interest" in html(response)
    response = client.post(
        add, {"young_person": str(places.young_person.pk), "joined_on": "5 1 2026"}
    )
    assert response.status_code == 302
    membership = GroupMembership.objects.get(group=places.group)
    assert membership.joined_on == dt.date(2026, 1, 5)
    response = client.post(
        add, {"young_person": str(places.young_person.pk), "joined_on": "6 1 2026"}
    )
    assert response.status_code == 400
    assert "They are already a member of this group" in html(response)
    end = reverse("groups:member_end", args=[places.group.pk, membership.pk])
    response = client.post(end, {"left_on": "1 1 2026"})
    assert response.status_code == 400
    assert "the same as or after the date they joined" in html(response)
    response = client.post(end, {"left_on": "2 3 2026"})
    assert response.status_code == 302
    assert [e.verb for e in watch.new()] == [Verb.GROUP_MEMBERSHIP_CHANGED] * 2

    page = html(client.get(reverse("groups:detail", args=[places.group.pk])))
    assert "Past members" in page and "2 March 2026" in page
    assert "The group has no current members." in page

    # A person of interest, chosen by the search above.
    response = client.post(add, {"person_of_interest": str(places.poi.pk), "joined_on": "6 1 2026"})
    assert response.status_code == 302
    assert GroupMembership.objects.filter(
        group=places.group, person_of_interest=places.poi
    ).exists()
    far = {"person_of_interest": str(places.far_location.pk), "joined_on": "6 1 2026"}
    response = client.post(add, far)  # not a person of interest of the area
    assert response.status_code == 400
    assert "Choose persons of interest from the search results" in html(response)


def test_detail_is_audited_and_hides_young_people_not_involved(
    client_for: Any, places: Places
) -> None:
    services.group_member_add(
        actor=places.colleague,
        group=places.group,
        young_person=places.unseen,
        joined_on=dt.date(2026, 2, 1),
    )
    client = client_for(places.recorder)
    watch = AuditWatch()
    page = html(client.get(reverse("groups:detail", args=[places.group.pk])))
    assert HIDDEN_YOUNG_PERSON in page and "Ula Unseen" not in page
    assert "Current members" in page
    (event,) = watch.new()
    assert (event.verb, event.target_id) == (Verb.GROUP_VIEWED, str(places.group.pk))


def test_stale_edit_is_409(client_for: Any, places: Places) -> None:
    client = client_for(places.recorder)
    url = reverse("groups:edit", args=[places.group.pk])
    data = {"name": "Renamed crew", "kind": "peer_group", "description": "", "version": 1}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "name": "Stale"})
    assert response.status_code == 409
    places.group.refresh_from_db()
    assert places.group.name == "Renamed crew"
