"""The cohort API: the same rules, services and audit events as the pages."""

from __future__ import annotations

from typing import Any

import pytest

from riskpath.audit.verbs import Verb
from riskpath.cohort.models import CohortMembership
from riskpath.cohort.suggestion import Criterion
from tests.api.helpers import errors, fields
from tests.cohort.conftest import Scene
from tests.cohort.factories import intelligence, on_cohort
from tests.people.scenario import AuditWatch

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cohort/"


def detail(person: Any, tail: str = "") -> str:
    return f"/api/v1/cohort/{person.pk}/{tail}"


def post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def add_body(person: Any, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "young_person": str(person.pk),
        "tier": 2,
        "reason": "Two partners report older associates",
        "criteria": [str(Criterion.T2_NOT_IMMEDIATE)],
        "meeting_ref": "PIMM 2 March",
    }
    body.update(overrides)
    return body


def test_list_is_paginated_filtered_and_audited(client_for: Any, scene: Scene) -> None:
    on_cohort(scene.led, tier=1, by=scene.chair)
    on_cohort(scene.unled, tier=3, by=scene.chair)
    on_cohort(scene.far, tier=1, by=scene.far_chair)
    client = client_for(scene.partner)
    watch = AuditWatch()
    body = client.get(LIST, {"tier": 1}).json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["membership"]["young_person"] == str(scene.led.pk)
    assert row["lead_professional"] == str(scene.lead.pk)
    assert client.get(LIST).json()["count"] == 2
    assert watch.verbs() == [Verb.COHORT_VIEWED, Verb.COHORT_VIEWED]


def test_a_bad_filter_is_a_400_naming_it(client_for: Any, scene: Scene) -> None:
    response = client_for(scene.partner).get(LIST, {"harm_type": "gossip"})
    assert response.status_code == 400
    assert fields(response) == {"harm_type"}


def test_detail_has_history_and_the_current_suggestion(client_for: Any, scene: Scene) -> None:
    on_cohort(scene.led, tier=2, by=scene.chair)
    intelligence(scene.led, scene.police, grade="A1", immediate_risk=True)
    intelligence(scene.led, scene.school, grade="C2")
    client = client_for(scene.partner)
    watch = AuditWatch()
    body = client.get(detail(scene.led)).json()
    assert body["current"]["tier"] == 2
    assert [h["to_tier"] for h in body["history"]] == [2]
    assert body["suggestion"]["tier"] == 1
    assert body["suggestion"]["reasons"][0]["criterion"] == Criterion.T1_IMMEDIATE_RISK
    assert body["corroboration"]["agencies"] == sorted([scene.police.name, scene.school.name])
    (event,) = watch.new()
    assert event.verb == Verb.COHORT_VIEWED and event.subject_id == str(scene.led.pk)


def test_refusals(client_for: Any, scene: Scene) -> None:
    on_cohort(scene.far, by=scene.far_chair)
    on_cohort(scene.led, by=scene.chair)
    chair = client_for(scene.chair)
    assert chair.get(detail(scene.far)).status_code == 404
    assert post(chair, detail(scene.far, "tier/"), {"tier": 1}).status_code == 404
    assert client_for(scene.qa).get(LIST).status_code == 403
    partner = client_for(scene.partner)
    assert post(partner, LIST, add_body(scene.unled)).status_code == 403
    assert post(partner, detail(scene.led, "exit/"), {}).status_code == 403
    assert CohortMembership.objects.filter(young_person=scene.unled).count() == 0


def test_add_change_tier_and_exit(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.chair)
    watch = AuditWatch()
    created = post(client, LIST, add_body(scene.led))
    assert created.status_code == 201, created.json()
    assert created.json()["current"]["version"] == 1
    changed = post(
        client,
        detail(scene.led, "tier/"),
        {
            "tier": 1,
            "reason": "Knife seized",
            "criteria": [str(Criterion.T1_RAPID_ESCALATION)],
            "version": 1,
        },
    )
    assert changed.status_code == 200, changed.json()
    assert [h["to_tier"] for h in changed.json()["history"]] == [2, 1]
    stale = post(
        client,
        detail(scene.led, "exit/"),
        {"exit_reason": "risk_reduced", "note": "Settled", "version": 1},
    )
    assert stale.status_code == 409
    assert fields(stale) == {"version"}
    bad = post(
        client,
        detail(scene.led, "exit/"),
        {"exit_reason": "moved_out", "note": "Moved", "version": 2},
    )
    assert bad.status_code == 400 and fields(bad) == {"receiving_area"}
    done = post(
        client,
        detail(scene.led, "exit/"),
        {"exit_reason": "moved_out", "note": "Moved", "receiving_area": "Bath", "version": 2},
    )
    assert done.status_code == 200
    assert done.json()["current"] is None
    assert done.json()["spells"][0]["receiving_area"] == "Bath"
    assert watch.verbs() == [Verb.COHORT_ENTERED, Verb.TIER_CHANGED, Verb.COHORT_EXITED]


def test_tier_rules_on_lead_professionals(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.chair)
    refused = post(client, LIST, add_body(scene.unled, tier=1))
    assert refused.status_code == 400
    (error,) = errors(refused)
    assert error["field"] == "tier" and "lead professional" in error["message"]
    warned = post(client, LIST, add_body(scene.unled))
    assert warned.status_code == 400 and fields(warned) == {"accept_warning"}
    assert not CohortMembership.objects.exists()
    accepted = post(client, LIST, add_body(scene.unled, accept_warning=True))
    assert accepted.status_code == 201
    assert accepted.json()["history"][0]["warning"]


def test_bad_input_changes_nothing(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.chair)
    watch = AuditWatch()
    response = post(client, LIST, add_body(scene.led, criteria=["made_up"], reason=""))
    assert response.status_code == 400
    assert fields(response) == {"criteria", "reason"}
    assert not CohortMembership.objects.exists()
    assert watch.new() == []


def test_the_endpoints_are_in_the_openapi_document(client_for: Any, scene: Scene) -> None:
    paths = client_for(scene.partner).get("/api/v1/openapi.json").json()["paths"]
    for p in ("/api/v1/cohort/", "/api/v1/cohort/{id}/", "/api/v1/cohort/{id}/tier/"):
        assert p in paths or p.replace("{id}", "{pk}") in paths, p
    assert "/api/v1/cohort/{pk}/exit/" in paths or "/api/v1/cohort/{id}/exit/" in paths
