"""The chart's analysis against networkx itself on hand-built and classic graphs: the measures
are networkx's, and the findings say what they find in plain words."""

from __future__ import annotations

import networkx as nx
import pytest

from riskpath.network.analysis import (
    BETWEENNESS_SAMPLES,
    EXACT_BETWEENNESS_NODES,
    SEED,
    analyse,
    measure,
    to_graph,
)


def _hand_built() -> tuple[dict[str, tuple[str, str]], list[tuple[str, str]]]:
    """Two groups of young people joined only through one person of interest (P), and a
    separate pair."""
    nodes = {
        "a": ("young_person", "Amy"),
        "b": ("young_person", "Ben"),
        "c": ("young_person", "Cal"),
        "d": ("young_person", "Dee"),
        "e": ("young_person", "Eve"),
        "p": ("person_of_interest", "Pat"),
        "l": ("location", "Park"),
        "x": ("young_person", "Xan"),
        "y": ("young_person", "Yas"),
    }
    edges = [
        ("a", "b"),
        ("b", "c"),
        ("a", "c"),
        ("c", "p"),
        ("p", "d"),
        ("d", "e"),
        ("e", "l"),
        ("d", "l"),
        ("x", "y"),
        ("a", "b"),
    ]
    return nodes, edges


def test_measures_are_networkxs_own() -> None:
    nodes, edges = _hand_built()
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    measures = analyse(nodes, edges).measures
    betweenness = nx.betweenness_centrality(graph)
    cores = nx.core_number(graph)
    articulation = set(nx.articulation_points(graph))
    for node in nodes:
        assert measures[node].degree == graph.degree(node)
        assert measures[node].betweenness == pytest.approx(betweenness[node])
        assert measures[node].core == cores[node]
        assert measures[node].articulation == (node in articulation)
    # Components: the same partition, numbered largest first.
    ours: dict[int, set[str]] = {}
    for node, m in measures.items():
        ours.setdefault(m.component, set()).add(node)
    assert sorted(map(frozenset, ours.values()), key=len) == sorted(
        map(frozenset, nx.connected_components(graph)), key=len
    )
    assert ours[1] == {"a", "b", "c", "p", "d", "e", "l"}
    # Communities: Louvain with the fixed seed, the same partition networkx gives.
    communities: dict[int, set[str]] = {}
    for node, m in measures.items():
        communities.setdefault(m.community, set()).add(node)
    expected = nx.community.louvain_communities(graph, seed=SEED)
    assert set(map(frozenset, communities.values())) == set(map(frozenset, expected))


def test_the_same_chart_gives_the_same_communities() -> None:
    nodes, edges = _hand_built()
    first = {n: m.community for n, m in analyse(nodes, edges).measures.items()}
    for _ in range(3):
        assert {n: m.community for n, m in analyse(nodes, edges).measures.items()} == first


def test_karate_club_matches_networkx() -> None:
    """A published classic social network bundled with networkx."""
    karate = nx.karate_club_graph()
    nodes = {str(n): ("young_person", f"Member {n}") for n in karate.nodes}
    edges = [(str(a), str(b)) for a, b in karate.edges]
    measures = measure(to_graph(nodes, edges))
    expected = nx.betweenness_centrality(karate)
    ranking = sorted(expected, key=lambda n: -expected[n])[:10]
    assert sorted(measures, key=lambda n: -measures[n].betweenness)[:10] == [
        str(n) for n in ranking
    ]
    assert {n for n, m in measures.items() if m.articulation} == {
        str(n) for n in nx.articulation_points(karate)
    }


def test_findings_in_plain_words() -> None:
    nodes, edges = _hand_built()
    findings = analyse(nodes, edges).findings
    texts = [f.text for f in findings]
    only = [f for f in findings if f.kind == "only_link"]
    assert any(f.nodes[0] == "p" for f in only)
    assert any(t.startswith("Pat is the only link between 2 groups of young people") for t in texts)
    assert any("separate clusters" in t for t in texts)
    for text in texts:
        assert "gang" not in text.lower() and "member" not in text.lower()


def test_young_people_sharing_persons_of_interest() -> None:
    nodes = {f"y{i}": ("young_person", f"Young {i}") for i in range(7)}
    nodes |= {f"p{i}": ("person_of_interest", f"Adult {i}") for i in range(3)}
    edges = [(f"y{i}", f"p{j}") for i in range(7) for j in range(3)]
    texts = [f.text for f in analyse(nodes, edges).findings]
    assert any(
        t.startswith(
            "These 7 young people share 3 persons of interest (Adult 0, Adult 1 and Adult 2)"
        )
        for t in texts
    ), texts


def test_an_empty_chart() -> None:
    result = analyse({}, [])
    assert result.measures == {} and result.findings == []


def test_past_the_exact_limit_betweenness_is_networkxs_sampled_estimate() -> None:
    graph = nx.gnm_random_graph(EXACT_BETWEENNESS_NODES + 20, 900, seed=1)
    nodes = {str(n): ("young_person", f"Young {n}") for n in graph.nodes}
    measures = measure(to_graph(nodes, [(str(a), str(b)) for a, b in graph.edges]))
    relabelled = nx.relabel_nodes(graph, str)
    expected = nx.betweenness_centrality(relabelled, k=BETWEENNESS_SAMPLES, seed=SEED)
    for node, value in expected.items():
        assert measures[node].betweenness == pytest.approx(value)
