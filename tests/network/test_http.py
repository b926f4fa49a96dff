"""The network pages and API through HTTP: what they show, what they never show (the hidden
young person's name, planted as a canary), refusals, bad input, and the OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from tests.network.scenario import BEYOND, CANARY, Web

pytestmark = pytest.mark.django_db
API = "/api/v1/network/"


def page_url(web: Web, **query: str) -> str:
    url = reverse("network:young_person", args=[web.places.young_person.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_page_shows_chart_data_table_and_findings(client_for: Any, web: Web) -> None:
    p = web.places
    response = client_for(p.recorder).get(page_url(web, depth="3"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Links around Kai Linkperson" in html
    assert 'id="network-data"' in html and "network.mjs" in html
    assert "1 linked record you may not open" in html
    assert "What the links show" in html
    assert "<table" in html and p.location.name in html and "1AP" in html
    assert " linked to " in html and "gang" not in html.lower()
    for secret in (CANARY, str(p.unseen.pk), BEYOND, str(web.hidden_link.pk)):
        assert secret not in html
    data = json.loads(
        html.split('id="network-data" type="application/json">')[1].split("</script>")[0]
    )
    assert {e["data"]["id"] for e in data["elements"]} >= {f"young_person:{p.young_person.pk}"}
    assert AuditEvent.objects.filter(verb=Verb.NETWORK_VIEWED, actor=p.recorder).count() == 1


def test_each_record_page_leads_to_its_chart(client_for: Any, web: Web) -> None:
    p = web.places
    client = client_for(p.recorder)
    for page, network in [
        (reverse("people:detail", args=[p.young_person.pk]), "network:young_person"),
        (reverse("people:poi_detail", args=[p.poi.pk]), "network:person_of_interest"),
        (reverse("locations:detail", args=[p.location.pk]), "network:location"),
        (reverse("groups:detail", args=[p.group.pk]), "network:group"),
    ]:
        html = client.get(page).content.decode()
        pk = page.rstrip("/").split("/")[-1]
        assert reverse(network, args=[pk]) in html, page
        assert client.get(reverse(network, args=[pk])).status_code == 200


def test_the_whole_group_and_the_cohort(client_for: Any, web: Web) -> None:
    p = web.places
    client = client_for(p.recorder)
    html = client.get(reverse("network:group", args=[p.group.pk])).content.decode()
    assert "Kai Linkperson" in html and str(p.poi) in html  # members, and their links
    assert client.get(reverse("network:cohort")).status_code == 200


def test_the_api(client_for: Any, web: Web) -> None:
    p = web.places
    client = client_for(p.recorder)
    response = client.get(API, {"around": f"young_person:{p.young_person.pk}", "depth": "3"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) >= {"nodes", "edges", "findings", "hidden"}
    assert body["hidden"] == 1
    node = body["nodes"][0]
    assert set(node["measures"]) >= {
        "degree",
        "betweenness",
        "component",
        "community",
        "articulation",
    }
    edge = next(e for e in body["edges"] if e["id"] == f"link:{web.exploited.pk}")
    assert edge["type"] == "exploited_by" and edge["strength"] == "confirmed"
    assert edge["evidence_count"] == 1 and edge["first_seen"] == "2026-01-05"
    text = response.content.decode()
    assert CANARY not in text and str(p.unseen.pk) not in text and BEYOND not in text
    group = client.get(API, {"group": str(p.group.pk)}).json()
    assert any(n["label"] == str(p.poi) for n in group["nodes"])
    assert client.get(API, {"cohort": "1"}).status_code == 200
    filtered = client.get(
        API, {"around": f"young_person:{p.young_person.pk}", "strength": "confirmed"}
    ).json()
    assert {n["kind"] for n in filtered["nodes"]} == {"young_person", "person_of_interest"}
    assert AuditEvent.objects.filter(verb=Verb.NETWORK_VIEWED, actor=p.recorder).count() == 4


@pytest.mark.parametrize(
    "query,field",
    [
        ({}, "around"),
        ({"around": "nobody:1"}, "around"),
        ({"around": "young_person:not-a-uuid"}, "around"),
        ({"around": "young_person:00000000-0000-4000-8000-000000000001", "depth": "9"}, "depth"),
        ({"around": "young_person:00000000-0000-4000-8000-000000000001", "depth": "x"}, "depth"),
        ({"group": "12"}, "around"),
        ({"cohort": "yes"}, "cohort"),
        ({"cohort": "1", "strength": "strong"}, "strength"),
        ({"cohort": "1", "seen_from": "31 2 2026"}, "seen_from"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    client_for: Any, web: Web, query: dict[str, str], field: str
) -> None:
    response = client_for(web.places.recorder).get(API, query)
    assert response.status_code == 400, response.content
    assert field in [e["field"] for e in response.json()["errors"]]


def test_bad_input_on_the_page(client_for: Any, web: Web) -> None:
    response = client_for(web.places.recorder).get(page_url(web, depth="9"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Select a depth of 1, 2 or 3 steps" in html


def test_refusals(client_for: Any, web: Web) -> None:
    p = web.places
    assert client_for(p.qa).get(page_url(web)).status_code == 403
    assert client_for(p.qa).get(API, {"cohort": "1"}).status_code == 403
    # A young person the recorder may not open, and another area's records: not found.
    unseen = reverse("network:young_person", args=[p.unseen.pk])
    assert client_for(p.recorder).get(unseen).status_code in (403, 404)
    assert CANARY not in client_for(p.recorder).get(unseen).content.decode()
    far = reverse("network:location", args=[p.far_location.pk])
    assert client_for(p.recorder).get(far).status_code == 404
    answer = client_for(p.recorder).get(API, {"around": f"young_person:{p.unseen.pk}"})
    assert answer.status_code in (403, 404) and CANARY not in answer.content.decode()


def test_the_openapi_document_describes_it(client_for: Any, web: Web) -> None:
    schema = client_for(web.places.recorder).get(reverse("api:openapi")).json()
    operation = schema["paths"]["/api/v1/network/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"around", "depth", "group", "cohort"}
    assert "Network" in schema["components"]["schemas"]
