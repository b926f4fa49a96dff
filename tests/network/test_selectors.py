"""Building the chart: only what the viewer may see, to the depth asked, filtered, capped and
audited."""

from __future__ import annotations

import datetime as dt

import pytest

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core.errors import FieldErrors, NotFound
from riskpath.network.selectors import Filters, Scope, network_for_user, parse_around, parse_depth
from tests.network.scenario import BEYOND, CANARY, Web

pytestmark = pytest.mark.django_db


def around(web: Web, depth: int = 1, **filters: object) -> object:
    p = web.places
    return network_for_user(
        p.recorder, Scope("around", "young_person", p.young_person.pk, depth), Filters(**filters)
    )


def labels(network: object) -> set[str]:
    return {n.label for n in network.nodes}  # type: ignore[attr-defined]


def test_the_chart_around_a_young_person(web: Web) -> None:
    p = web.places
    network = around(web, depth=3)
    assert labels(network) == {str(p.young_person), str(p.poi), p.location.name, p.group.name}
    # The hidden young person is counted, never named, and the chart does not go through them.
    assert network.hidden == 1
    poi = next(n for n in network.nodes if n.kind == "person_of_interest")
    assert poi.hidden_neighbours == 1 and poi.hidden_text == "1 linked record you may not open"
    text = repr(network)
    assert CANARY not in text and str(p.unseen.pk) not in text and BEYOND not in text
    # Every link shows its source, strength and the evidence the viewer may see.
    edge = next(e for e in network.edges if e.id == f"link:{web.exploited.pk}")
    assert edge.strength == "confirmed" and edge.recorded_by
    assert [e.grading for e in edge.evidence] == ["1AP"]
    assert {e.type for e in network.edges} == {"exploited_by", "frequents", "membership"}


def test_someone_involved_with_the_hidden_young_person_sees_them(web: Web) -> None:
    p = web.places
    network = network_for_user(p.colleague, Scope("around", "person_of_interest", p.poi.pk, 2))
    assert f"Ula {CANARY}" in labels(network)
    assert any(n.label.startswith(BEYOND) for n in network.nodes)


def test_depth_one_stops_at_the_neighbours(web: Web) -> None:
    p = web.places
    network = network_for_user(p.recorder, Scope("around", "location", p.location.pk, 1))
    assert labels(network) == {p.location.name, str(p.young_person)}
    assert network.hidden == 0


def test_the_filters(web: Web) -> None:
    p = web.places
    assert labels(around(web, min_strength="confirmed")) == {str(p.young_person), str(p.poi)}
    assert labels(around(web, harm_type="cce")) == {str(p.young_person), str(p.poi)}
    assert labels(around(web, harm_type="cse")) == {str(p.young_person)}
    assert labels(around(web, agency=str(p.agency.pk))) == {str(p.young_person), str(p.poi)}
    assert labels(around(web, source_evaluation="1", assessment="A")) == {
        str(p.young_person),
        str(p.poi),
    }
    assert labels(around(web, seen_from=dt.date(2026, 1, 1))) == {str(p.young_person), str(p.poi)}
    # A membership with no date of joining, like a link with no dates, matches no dates.
    assert labels(around(web, seen_to=dt.date(2025, 12, 31))) == {
        str(p.young_person),
        p.location.name,
    }
    assert labels(around(web, link_kinds=("frequents",))) == {str(p.young_person), p.location.name}


def test_the_node_count_is_capped(web: Web) -> None:
    p = web.places
    network = network_for_user(
        p.recorder, Scope("around", "young_person", p.young_person.pk, 3), limit=2
    )
    assert network.capped and len(network.nodes) == 2


def test_every_chart_is_audited(web: Web) -> None:
    p = web.places
    around(web, depth=2, link_kinds=("exploited_by",))
    event = AuditEvent.objects.filter(verb=Verb.NETWORK_VIEWED).get()
    assert event.actor_id == p.recorder.pk
    assert event.target_id == str(p.young_person.pk)
    assert event.changes["depth"] == 2 and event.changes["kind"] == ["exploited_by"]
    assert event.changes["hidden"] == 1


def test_a_record_the_viewer_may_not_open_is_not_found(web: Web) -> None:
    p = web.places
    with pytest.raises(NotFound):
        network_for_user(p.recorder, Scope("around", "location", p.far_location.pk, 1))
    with pytest.raises(NotFound):
        network_for_user(p.recorder, Scope("around", "young_person", p.far_young_person.pk, 1))
    assert not AuditEvent.objects.filter(verb=Verb.NETWORK_VIEWED).exists()


def test_bad_input_names_the_field() -> None:
    for text in ("", "nobody:1", "young_person", "young_person:not-a-uuid"):
        with pytest.raises(FieldErrors) as caught:
            parse_around(text)
        assert set(caught.value.errors) == {"around"}
    for value in ("0", "4", "9", "two"):
        with pytest.raises(FieldErrors) as caught:
            parse_depth(value)
        assert set(caught.value.errors) == {"depth"}
    assert parse_depth("", default=2) == 2
