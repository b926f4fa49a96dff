"""The young-person picker on every form (``people.picker``) matches names through this
search: registered here, so that people, below search in the layers, need not import it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from riskpath.people import picker
from riskpath.people.models import YoungPerson
from riskpath.search.services import rank_young_people


def _find(
    user: Any, pool: QuerySet[YoungPerson], text: str, limit: int, whole_area: bool
) -> list[YoungPerson]:
    return rank_young_people(user, pool, text, limit, whole_area=whole_area)


def register() -> None:
    picker.register_finder(_find)
