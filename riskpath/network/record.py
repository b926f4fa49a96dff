"""The way to the network chart from each record's links section (a page part the links
section reads as ``network_url``), for users who may see the chart."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from riskpath.access import policy
from riskpath.core.pages import register_part
from riskpath.network.selectors import RULE


def _part(page: str) -> Any:
    def build(user: Any, obj: Any, shared: dict[str, Any]) -> dict[str, Any]:
        if not policy.check(RULE, user, obj):
            return {}
        return {"network_url": reverse(f"network:{page}", args=[obj.pk])}

    return build


for _page in ("young_person", "person_of_interest", "location", "group"):
    register_part(_page, "network", _part(_page), order=31)
