"""The analysis of a chart, with networkx: pure functions of the nodes and edges the viewer may
see (a record they may not open never takes part, so no measure leaks it).

Measures per node: degree (distinct neighbours), betweenness (networkx's default, normalised),
the connected component, articulation (removing it splits its component), the k-core number
and the community (Louvain, with a fixed seed so that the same chart gives the same answer).
Findings put the notable ones in plain words, saying "linked to", never "is" or "member of a
gang" (the lesson of the Information Commissioner's 2018 enforcement notice on the Metropolitan
Police's Gangs Matrix)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import networkx as nx

SEED = 15  # Louvain's seed: fixed, so a chart's communities do not change between views
# Exact betweenness costs O(nodes x links) in pure Python: a BFS from every node, some 20 ms
# each at 2,500 nodes on a 2-core machine. Pages and the API cap a chart at 300 nodes, where it
# is exact; past that (only when the cap is lifted) it is networkx's estimate from
# ``BETWEENNESS_SAMPLES`` sources drawn with the fixed seed.
EXACT_BETWEENNESS_NODES = 300
BETWEENNESS_SAMPLES = 100
MAX_FINDINGS = 8


@dataclass(frozen=True)
class Measures:
    degree: int
    betweenness: float
    component: int
    community: int
    articulation: bool
    core: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "degree": self.degree,
            "betweenness": round(self.betweenness, 6),
            "component": self.component,
            "community": self.community,
            "articulation": self.articulation,
            "core": self.core,
        }


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    nodes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "nodes": list(self.nodes)}


@dataclass
class Analysis:
    measures: dict[str, Measures] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    components: int = 0
    communities: int = 0


def to_graph(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> nx.Graph:
    """A simple undirected graph: two records linked more than once are one edge."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    return graph


def _numbered(groups: Iterable[Iterable[str]]) -> dict[str, int]:
    """Each node's group number: largest group first, ties by their first node, from 1."""
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0] if g else ""))
    return {node: index for index, g in enumerate(ordered, start=1) for node in g}


def betweenness_sampling(graph: nx.Graph) -> dict[str, Any]:
    """networkx's exact betweenness up to ``EXACT_BETWEENNESS_NODES``, sampled past it."""
    if graph.number_of_nodes() <= EXACT_BETWEENNESS_NODES:
        return {}
    return {"k": BETWEENNESS_SAMPLES, "seed": SEED}


def measure(graph: nx.Graph) -> dict[str, Measures]:
    if graph.number_of_nodes() == 0:
        return {}
    betweenness = nx.betweenness_centrality(graph, **betweenness_sampling(graph))
    component = _numbered(nx.connected_components(graph))
    community = _numbered(nx.community.louvain_communities(graph, seed=SEED))
    articulation = set(nx.articulation_points(graph))
    core = nx.core_number(graph)
    return {
        node: Measures(
            degree=int(graph.degree(node)),
            betweenness=float(betweenness[node]),
            component=component[node],
            community=community[node],
            articulation=node in articulation,
            core=int(core[node]),
        )
        for node in graph.nodes
    }


def _names(labels: Sequence[str], limit: int = 6) -> str:
    """ "A, B and C"; past ``limit``, "A, B, C and 4 others"."""
    labels = list(labels)
    if len(labels) > limit:
        rest = len(labels) - (limit - 1)
        labels = [*labels[: limit - 1], f"{rest} others"]
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def analyse(nodes: dict[str, tuple[str, str]], edges: Iterable[tuple[str, str]]) -> Analysis:
    """``nodes``: id -> (kind, label); ``edges``: pairs of node ids."""
    graph = to_graph(nodes, edges)
    result = Analysis(measures=measure(graph))
    if not result.measures:
        return result
    result.components = max(m.component for m in result.measures.values())
    result.communities = max(m.community for m in result.measures.values())

    def label(node: str) -> str:
        return nodes[node][1]

    def young(ids: Iterable[str]) -> list[str]:
        return sorted((n for n in ids if nodes[n][0] == "young_person"), key=label)

    findings: list[Finding] = []
    # The only link between groups of young people: an articulation point whose removal
    # leaves young people on two or more sides.
    for node in sorted(result.measures, key=lambda n: -result.measures[n].betweenness):
        if not result.measures[node].articulation:
            continue
        rest = graph.subgraph(nx.node_connected_component(graph, node) - {node})
        sides = [young(part) for part in nx.connected_components(rest)]
        sides = sorted((s for s in sides if s), key=lambda s: (-len(s), label(s[0])))
        if len(sides) < 2:
            continue
        groups = "; and ".join(_names([label(n) for n in s]) for s in sides)
        findings.append(
            Finding(
                "only_link",
                f"{label(node)} is the only link between {len(sides)} groups of young people "
                f"in this chart: {groups}.",
                (node, *[n for s in sides for n in s]),
            )
        )
    findings.extend(_shared_persons_of_interest(graph, nodes, label))
    # The one who bridges most: highest betweenness, if any bridging at all.
    top = max(result.measures, key=lambda n: (result.measures[n].betweenness, label(n)))
    if result.measures[top].betweenness > 0 and not any(top in f.nodes[:1] for f in findings):
        findings.append(
            Finding(
                "bridge",
                f"{label(top)} is on more of the shortest paths between the others in this "
                "chart than any other record (the highest betweenness).",
                (top,),
            )
        )
    # A tightly linked core.
    best_core = max(m.core for m in result.measures.values())
    if best_core >= 2:
        members = sorted((n for n, m in result.measures.items() if m.core == best_core), key=label)
        if len(members) >= 3:
            findings.append(
                Finding(
                    "core",
                    f"{_names([label(n) for n in members])} are each linked to at least "
                    f"{best_core} others among themselves (the chart's {best_core}-core).",
                    tuple(members),
                )
            )
    if result.components > 1:
        findings.append(
            Finding(
                "components",
                f"The chart falls into {result.components} separate clusters with no link "
                "between them.",
            )
        )
    if result.communities > 1:
        findings.append(
            Finding(
                "communities",
                f"Community detection finds {result.communities} clusters of records more "
                "closely linked to each other than to the rest.",
            )
        )
    result.findings = findings[:MAX_FINDINGS]
    return result


def _shared_persons_of_interest(
    graph: nx.Graph, nodes: dict[str, tuple[str, str]], label: Any
) -> list[Finding]:
    """Young people who share persons of interest: the largest sets of young people all linked
    to the same two or more persons of interest, or three or more to the same one."""
    people_of: dict[str, frozenset[str]] = {}
    for poi, (kind, _) in nodes.items():
        if kind != "person_of_interest":
            continue
        linked = frozenset(n for n in graph.neighbors(poi) if nodes[n][0] == "young_person")
        if len(linked) >= 2:
            people_of[poi] = linked
    candidates = set(people_of.values())
    for a, b in combinations(list(people_of.values()), 2):
        if len(a & b) >= 2:
            candidates.add(a & b)
    found: dict[tuple[frozenset[str], frozenset[str]], None] = {}
    for people in candidates:
        shared = frozenset(p for p, linked in people_of.items() if people <= linked)
        if len(shared) >= 2 or (len(shared) == 1 and len(people) >= 3):
            found[(people, shared)] = None
    # Keep only the sets no other found set contains on both sides.
    kept = [
        (people, shared)
        for people, shared in found
        if not any(
            (p2 >= people and s2 >= shared) and (p2, s2) != (people, shared) for p2, s2 in found
        )
    ]
    kept.sort(key=lambda ps: (-len(ps[0]) * len(ps[1]), sorted(map(label, ps[0]))))
    findings = []
    for people, shared in kept[:3]:
        names = _names(sorted(map(label, people)))
        count = len(people)
        if len(shared) == 1:
            (poi,) = shared
            text = f"These {count} young people are each linked to {label(poi)}: {names}."
        else:
            text = (
                f"These {count} young people share "
                f"{_plural(len(shared), 'person', 'persons')} of interest "
                f"({_names(sorted(map(label, shared)))}): {names}."
            )
        findings.append(
            Finding("shared_persons_of_interest", text, (*sorted(people), *sorted(shared)))
        )
    return findings
