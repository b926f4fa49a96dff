"""A chart as data: for the API's answer and for the page's chart (the JSON the script reads,
through ``json_script``). Names only what the selectors let the user see."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from riskpath.network.selectors import Edge, Network, Node

CENTRE = "centre"


def node_data(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "kind": node.kind,
        "label": node.label,
        "url": node.url,
        "tier": node.tier,
        "centre": node.centre,
        "hidden_neighbours": node.hidden_neighbours,
        "measures": node.measures.as_dict() if node.measures else None,
    }


def edge_data(edge: Edge) -> dict[str, Any]:
    return {
        "id": edge.id,
        "source": edge.source,
        "target": edge.target,
        "type": edge.type,
        "type_label": edge.type_label,
        "strength": edge.strength,
        "first_seen": edge.first_seen.isoformat() if edge.first_seen else None,
        "last_seen": edge.last_seen.isoformat() if edge.last_seen else None,
        "recorded_by": edge.recorded_by,
        "evidence_count": edge.evidence_count,
        "evidence_withheld": edge.withheld,
        "evidence": [
            {
                "id": str(item.id),
                "grading": item.grading,
                "agency": item.agency,
                "reported_on": item.reported_on.isoformat(),
                "harm_types": item.harm_types,
            }
            for item in edge.evidence
        ],
    }


def network_data(network: Network) -> dict[str, Any]:
    return {
        "nodes": [node_data(n) for n in network.nodes],
        "edges": [edge_data(e) for e in network.edges],
        "findings": [f.as_dict() for f in network.findings],
        "hidden": network.hidden,
        "capped": network.capped,
        "limit": network.limit,
        "components": network.components,
        "communities": network.communities,
    }


def chart_data(network: Network) -> dict[str, Any]:
    """Cytoscape's elements, with what the script shows of an edge when it is chosen."""
    elements: list[dict[str, Any]] = []
    for node in network.nodes:
        data = node_data(node)
        data["kind_label"] = node.kind_label
        data["network_url"] = reverse(f"network:{node.kind}", args=[node.pk])
        elements.append({"group": "nodes", "data": data})
    for edge in network.edges:
        data = edge_data(edge)
        data["sentence"] = f"{edge.source_label} linked to {edge.target_label}"
        data["strength_label"] = edge.strength_label
        elements.append({"group": "edges", "data": data})
    return {"elements": elements, "capped": network.capped}
