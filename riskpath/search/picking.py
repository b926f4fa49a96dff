"""The pickers on every form (``people.picker``: young people, and persons of interest,
locations and groups) find records through this search: registered here, so that people and
the apps between it and search in the layers need not import it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from riskpath.people import picker
from riskpath.people.models import YoungPerson
from riskpath.search import pickers
from riskpath.search.services import rank_young_people


def _find(
    user: Any, pool: QuerySet[YoungPerson], text: str, limit: int, whole_area: bool
) -> list[YoungPerson]:
    return rank_young_people(user, pool, text, limit, whole_area=whole_area)


def register() -> None:
    picker.register_finder(_find)
    picker.register_record_search(
        picker.RecordSearch(
            choosable=pickers.choosable, label=pickers.label_for, pick=pickers.record_pick
        )
    )
