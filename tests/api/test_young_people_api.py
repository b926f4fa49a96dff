"""The JSON API for young people, through HTTP with service-account tokens: the same access
policy, the same audit events and the same optimistic concurrency as the pages."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.people.models import YoungPerson
from tests.api.helpers import errors, fields, service_account
from tests.factories import AgencyFactory, UserFactory, YoungPersonFactory
from tests.people.scenario import AuditWatch, Scene

pytestmark = pytest.mark.django_db

LIST = "/api/v1/young-people/"
REASON = "Created in error by the case management sync; duplicate."


def detail(person: Any) -> str:
    return f"/api/v1/young-people/{person.pk}/"


def send(client: Any, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def recorder(scene: Scene) -> Any:
    """A service account of the recording agency (involved with the scene's young person)."""
    return service_account(scene.recording, Role.SOCIAL_WORKER, full_name="Case system")


@pytest.fixture
def manager_account(scene: Scene) -> Any:
    return service_account(scene.recording, Role.TEAM_MANAGER, full_name="Manager sync")


def test_the_urls_are_where_the_documentation_says() -> None:
    assert reverse("api:young_person_list") == LIST
    assert reverse("api:young_person_detail", args=[uuid.UUID(int=1)]) == (
        f"/api/v1/young-people/{uuid.UUID(int=1)}/"
    )


# ---------------------------------------------------------------------------------------------
# Listing
# ---------------------------------------------------------------------------------------------


def test_the_list_is_paginated(api_for: Any, scene: Scene, recorder: Any) -> None:
    for _ in range(4):
        YoungPersonFactory(recording_agency=scene.recording)
    client = api_for(recorder)
    first = client.get(LIST, {"page_size": 2})
    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5
    assert body["previous"] is None
    assert "page=2" in body["next"]
    assert len(body["results"]) == 2
    assert set(body["results"][0]) == {
        "id",
        "given_names",
        "family_name",
        "date_of_birth",
        "lead_professional",
        "recording_agency",
        "version",
        "created_at",
        "updated_at",
        # The fuller record (aliases, demographics, care status, partner-system identifiers)
        "aliases",
        "date_of_birth_estimated",
        "gender",
        "ethnicity",
        "school",
        "locality",
        "postcode",
        "care_status",
        "mosaic_id",
        "liquidlogic_id",
        "niche_id",
        "flare_id",
        "nhs_number",
    }
    last = client.get(LIST, {"page_size": 2, "page": 3}).json()
    assert last["next"] is None and last["previous"] is not None
    assert len(last["results"]) == 1
    seen = {r["id"] for r in body["results"]} | {r["id"] for r in last["results"]}
    seen |= {r["id"] for r in client.get(LIST, {"page_size": 2, "page": 2}).json()["results"]}
    assert len(seen) == 5


def test_the_list_queries_do_not_grow_with_the_records(
    api_for: Any, scene: Scene, recorder: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(30):
        other = AgencyFactory(area=scene.area, name=f"Partner agency {i}")
        YoungPersonFactory(
            recording_agency=other,
            lead_professional=UserFactory(agency=other, roles=[Role.LEAD_PROFESSIONAL]),
        )
    client = api_for(service_account(scene.third, Role.CONSULTANT_SOCIAL_WORKER))
    with django_assert_max_num_queries(10):
        response = client.get(LIST, {"page_size": 50})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 31
    assert {r["recording_agency"] for r in results} >= {"Partner agency 0", "Partner agency 29"}


def test_the_count_is_the_true_total_beyond_one_screenful(
    api_for: Any, scene: Scene, recorder: Any
) -> None:
    YoungPerson.objects.bulk_create(
        [
            YoungPerson(
                area=scene.area,
                given_names=f"Bulk{i}",
                family_name="Imported",
                recording_agency=scene.recording,
                recorded_by=scene.colleague,
            )
            for i in range(520)
        ]
    )
    client = api_for(recorder)
    first = client.get(LIST, {"page_size": 200}).json()
    assert first["count"] == 521
    last = client.get(LIST, {"page_size": 200, "page": 3}).json()
    assert len(last["results"]) == 121
    assert last["next"] is None


def test_the_list_is_scoped_and_audited(api_for: Any, scene: Scene) -> None:
    outsider = service_account(scene.third, Role.SOCIAL_WORKER)
    consultant = service_account(scene.third, Role.CONSULTANT_SOCIAL_WORKER)
    outsider_client, consultant_client = api_for(outsider), api_for(consultant)
    watch = AuditWatch()
    assert outsider_client.get(LIST).json()["count"] == 0
    listed = consultant_client.get(LIST).json()
    assert [r["id"] for r in listed["results"]] == [str(scene.person.pk)]
    assert listed["results"][0]["recording_agency"] == scene.recording.name
    assert listed["results"][0]["lead_professional"] == str(scene.lead.pk)
    events = watch.new()
    assert [e.verb for e in events] == [Verb.PERSON_LISTED, Verb.PERSON_LISTED]
    assert {e.channel for e in events} == {"api"}


def test_search(api_for: Any, scene: Scene, recorder: Any) -> None:
    YoungPersonFactory(recording_agency=scene.recording, given_names="Xan", family_name="Other")
    results = api_for(recorder).get(LIST, {"q": "testperson"}).json()["results"]
    assert [r["family_name"] for r in results] == ["Testperson"]


# ---------------------------------------------------------------------------------------------
# Reading one record
# ---------------------------------------------------------------------------------------------


def test_reading_a_record_is_audited_with_the_basis(
    api_for: Any, scene: Scene, recorder: Any
) -> None:
    client = api_for(recorder)
    watch = AuditWatch()
    response = client.get(detail(scene.person))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["given_names"], body["version"]) == (str(scene.person.pk), "Kai", 1)
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_VIEWED
    assert event.basis == "recording agency"
    assert event.actor_id == recorder.pk
    assert event.subject_id == str(scene.person.pk)
    assert event.channel == "api"


def test_no_involvement_but_may_break_glass_is_403(api_for: Any, scene: Scene) -> None:
    client = api_for(service_account(scene.third, Role.SOCIAL_WORKER))
    watch = AuditWatch()
    response = client.get(detail(scene.person))
    assert response.status_code == 403
    (error,) = errors(response)
    assert error["field"] is None
    assert "Emergency access" in error["message"]
    assert "Testperson" not in response.content.decode()
    assert watch.new() == []


@pytest.mark.parametrize("where", ["partner", "other_area", "missing"])
def test_no_business_knowing_the_record_exists_is_404(
    api_for: Any, scene: Scene, where: str
) -> None:
    if where == "partner":
        account, url = (
            service_account(scene.third, Role.PARTNER_REPRESENTATIVE),
            detail(scene.person),
        )
    elif where == "other_area":
        account = service_account(scene.stranger.agency, Role.CONSULTANT_SOCIAL_WORKER)
        url = detail(scene.person)
    else:
        account = service_account(scene.recording, Role.CONSULTANT_SOCIAL_WORKER)
        url = f"/api/v1/young-people/{uuid.uuid4()}/"
    client = api_for(account)
    watch = AuditWatch()
    response = client.get(url)
    assert response.status_code == 404
    assert errors(response) == [{"field": None, "message": "Not found."}]
    assert watch.new() == []


def test_audit_fails_closed_on_the_api(
    api_for: Any, scene: Scene, recorder: Any, monkeypatch: Any
) -> None:
    client = api_for(recorder)
    client.raise_request_exception = False

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("riskpath.audit.services.AuditEvent.objects.create", broken)
    response = client.get(detail(scene.person))
    assert response.status_code == 500
    assert "Testperson" not in response.content.decode()
    listed = client.get(LIST)
    assert listed.status_code == 500
    assert "Testperson" not in listed.content.decode()


# ---------------------------------------------------------------------------------------------
# Recording
# ---------------------------------------------------------------------------------------------


def test_recording_a_young_person(api_for: Any, scene: Scene, recorder: Any) -> None:
    client = api_for(recorder)
    watch = AuditWatch()
    response = send(
        client,
        "post",
        LIST,
        {
            "given_names": "Api",
            "family_name": "Created",
            "date_of_birth": "2010-03-27",
            "lead_professional": str(scene.lead.pk),
        },
    )
    assert response.status_code == 201
    body = response.json()
    person = YoungPerson.objects.get(pk=body["id"])
    assert (person.family_name, person.recording_agency_id, person.lead_professional_id) == (
        "Created",
        scene.recording.pk,
        scene.lead.pk,
    )
    assert body["version"] == 1
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_CREATED
    assert event.channel == "api"
    assert event.changes["family_name"] == {"before": None, "after": "Created"}


@pytest.mark.parametrize(
    "body,field",
    [
        ({"family_name": "Nofirst"}, "given_names"),
        ({"given_names": "", "family_name": "Blank"}, "given_names"),
        ({"given_names": "A", "family_name": "B", "date_of_birth": "27/13/2010"}, "date_of_birth"),
        ({"given_names": "A", "family_name": "B", "date_of_birth": "2999-01-01"}, "date_of_birth"),
        (
            {"given_names": "A", "family_name": "B", "lead_professional": "nope"},
            "lead_professional",
        ),
        (
            {"given_names": "A", "family_name": "B", "lead_professional": str(uuid.uuid4())},
            "lead_professional",
        ),
    ],
)
def test_bad_input_is_refused_and_creates_nothing(
    api_for: Any, recorder: Any, body: dict[str, Any], field: str
) -> None:
    client = api_for(recorder)
    count = YoungPerson.all_objects.count()
    watch = AuditWatch()
    response = send(client, "post", LIST, body)
    assert response.status_code == 400
    assert field in fields(response)
    assert YoungPerson.all_objects.count() == count
    assert watch.new() == []


def test_a_lead_professional_in_another_area_is_refused(
    api_for: Any, scene: Scene, recorder: Any
) -> None:
    response = send(
        api_for(recorder),
        "post",
        LIST,
        {"given_names": "A", "family_name": "Cross", "lead_professional": str(scene.stranger.pk)},
    )
    assert response.status_code == 400
    assert fields(response) == {"lead_professional"}
    assert not YoungPerson.objects.filter(family_name="Cross").exists()


def test_a_service_account_cannot_be_made_lead_professional(
    api_for: Any, scene: Scene, recorder: Any
) -> None:
    client = api_for(recorder)
    created = send(
        client,
        "post",
        LIST,
        {"given_names": "A", "family_name": "Botled", "lead_professional": str(recorder.pk)},
    )
    assert created.status_code == 400
    assert fields(created) == {"lead_professional"}
    changed = send(
        client,
        "patch",
        detail(scene.person),
        {"lead_professional": str(recorder.pk), "version": 1},
    )
    assert changed.status_code == 400
    assert YoungPerson.objects.get(pk=scene.person.pk).lead_professional_id == scene.lead.pk


def test_a_body_that_is_not_json_is_400(api_for: Any, recorder: Any) -> None:
    response = api_for(recorder).post(LIST, data="{not json", content_type="application/json")
    assert response.status_code == 400
    errors(response)


def test_a_role_that_does_not_record_cannot_post(api_for: Any, scene: Scene) -> None:
    client = api_for(service_account(scene.recording, Role.QA_MEMBER))
    response = send(client, "post", LIST, {"given_names": "A", "family_name": "Nope"})
    assert response.status_code == 403
    errors(response)
    assert not YoungPerson.objects.filter(family_name="Nope").exists()


# ---------------------------------------------------------------------------------------------
# Changing
# ---------------------------------------------------------------------------------------------


def test_patch_changes_and_audits(api_for: Any, scene: Scene, recorder: Any) -> None:
    client = api_for(recorder)
    watch = AuditWatch()
    response = send(client, "patch", detail(scene.person), {"family_name": "Patched", "version": 1})
    assert response.status_code == 200
    assert (response.json()["family_name"], response.json()["version"]) == ("Patched", 2)
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_UPDATED
    assert event.changes == {"family_name": {"before": "Testperson", "after": "Patched"}}


def test_patch_can_clear_the_lead_professional(api_for: Any, scene: Scene, recorder: Any) -> None:
    response = send(
        api_for(recorder), "patch", detail(scene.person), {"lead_professional": None, "version": 1}
    )
    assert response.status_code == 200
    assert response.json()["lead_professional"] is None
    assert YoungPerson.objects.get(pk=scene.person.pk).lead_professional_id is None


def test_patch_from_a_stale_version_is_409(api_for: Any, scene: Scene, recorder: Any) -> None:
    first = api_for(recorder)
    second = api_for(service_account(scene.recording, Role.LEAD_PROFESSIONAL))
    assert first.get(detail(scene.person)).json()["version"] == 1
    assert second.get(detail(scene.person)).json()["version"] == 1
    ok = send(first, "patch", detail(scene.person), {"given_names": "First", "version": 1})
    watch = AuditWatch()
    late = send(second, "patch", detail(scene.person), {"given_names": "Second", "version": 1})
    assert ok.status_code == 200
    assert late.status_code == 409
    (error,) = errors(late)
    assert error["field"] == "version"
    assert "Someone else changed" in error["message"]
    assert YoungPerson.objects.get(pk=scene.person.pk).given_names == "First"
    assert watch.new() == []


def test_patch_without_a_version_is_400(api_for: Any, scene: Scene, recorder: Any) -> None:
    response = send(api_for(recorder), "patch", detail(scene.person), {"given_names": "X"})
    assert response.status_code == 400
    assert fields(response) == {"version"}
    assert YoungPerson.objects.get(pk=scene.person.pk).given_names == "Kai"


def test_patch_with_bad_input_is_400_and_changes_nothing(
    api_for: Any, scene: Scene, recorder: Any
) -> None:
    response = send(
        api_for(recorder), "patch", detail(scene.person), {"given_names": "  ", "version": 1}
    )
    assert response.status_code == 400
    assert fields(response) == {"given_names"}
    fresh = YoungPerson.objects.get(pk=scene.person.pk)
    assert (fresh.given_names, fresh.version) == ("Kai", 1)


def test_patch_needs_involvement(api_for: Any, scene: Scene) -> None:
    breaker = api_for(service_account(scene.third, Role.SOCIAL_WORKER))
    partner = api_for(service_account(scene.third, Role.PARTNER_REPRESENTATIVE))
    body = {"family_name": "Hijacked", "version": 1}
    assert send(breaker, "patch", detail(scene.person), body).status_code == 403
    assert send(partner, "patch", detail(scene.person), body).status_code == 404
    assert YoungPerson.objects.get(pk=scene.person.pk).family_name == "Testperson"


# ---------------------------------------------------------------------------------------------
# Deleting
# ---------------------------------------------------------------------------------------------


def test_delete_soft_deletes_with_a_reason(
    api_for: Any, scene: Scene, manager_account: Any
) -> None:
    client = api_for(manager_account)
    watch = AuditWatch()
    response = send(client, "delete", detail(scene.person), {"reason": REASON, "version": 1})
    assert response.status_code == 204
    (event,) = watch.new()
    assert (event.verb, event.reason, event.channel) == (Verb.PERSON_DELETED, REASON, "api")
    kept = YoungPerson.all_objects.get(pk=scene.person.pk)
    assert kept.is_deleted and kept.deletion_reason == REASON
    assert client.get(detail(scene.person)).status_code == 404
    assert client.get(LIST).json()["count"] == 0


@pytest.mark.parametrize(
    "body,field",
    [
        ({"version": 1}, "reason"),
        ({"reason": "short", "version": 1}, "reason"),
        ({"reason": REASON}, "version"),
    ],
)
def test_delete_with_bad_input_is_400(
    api_for: Any, scene: Scene, manager_account: Any, body: dict[str, Any], field: str
) -> None:
    response = send(api_for(manager_account), "delete", detail(scene.person), body)
    assert response.status_code == 400
    assert field in fields(response)
    assert not YoungPerson.all_objects.get(pk=scene.person.pk).is_deleted


def test_delete_from_a_stale_version_is_409(
    api_for: Any, scene: Scene, manager_account: Any, recorder: Any
) -> None:
    send(api_for(recorder), "patch", detail(scene.person), {"given_names": "Moved", "version": 1})
    response = send(
        api_for(manager_account), "delete", detail(scene.person), {"reason": REASON, "version": 1}
    )
    assert response.status_code == 409
    assert fields(response) == {"version"}
    assert not YoungPerson.all_objects.get(pk=scene.person.pk).is_deleted


def test_delete_needs_an_involved_manager(api_for: Any, scene: Scene, recorder: Any) -> None:
    body = {"reason": REASON, "version": 1}
    assert send(api_for(recorder), "delete", detail(scene.person), body).status_code == 403
    outside_manager = api_for(service_account(scene.third, Role.TEAM_MANAGER))
    assert send(outside_manager, "delete", detail(scene.person), body).status_code == 403
    assert not YoungPerson.all_objects.get(pk=scene.person.pk).is_deleted
    assert not AuditEvent.objects.filter(verb=Verb.PERSON_DELETED).exists()
