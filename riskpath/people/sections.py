"""people's own part of the young person's page: missing episodes, the person-of-interest
record of the same human (for those who may see persons of interest), and what the user may
do from the page. Other apps add theirs from their ``record.py`` (``core.pages``)."""

from __future__ import annotations

from typing import Any

from riskpath.access import policy
from riskpath.core.pages import register_part
from riskpath.people import selectors
from riskpath.people.models import YoungPerson


def record_part(user: Any, person: YoungPerson, shared: dict[str, Any]) -> dict[str, Any]:
    as_poi = selectors.person_of_interest_of(user, person)
    return {
        "missing_episodes": selectors.missing_episodes_of(person),
        "can_record_missing": policy.check("can_record_missing_episode", user, person),
        "person_of_interest": as_poi,
        "can_merge": policy.check("can_merge_records", user, person),
        "can_record_as_poi": as_poi is None
        and policy.check("can_record_person_of_interest", user, person),
    }


register_part("young_person", "record", record_part, order=10)
