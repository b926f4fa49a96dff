"""The parts of a young person's page that other records contribute: missing episodes,
referrals, their Risk Management Pathway episode, and (for those who may see persons of
interest only) a link to the person-of-interest record of the same human."""

from __future__ import annotations

from typing import Any

from riskpath.access import policy
from riskpath.people import selectors
from riskpath.people.models import YoungPerson


def record_sections(user: Any, person: YoungPerson) -> dict[str, Any]:
    from riskpath.pathway.selectors import pathway_summary_for
    from riskpath.referrals.selectors import referrals_of

    as_poi = selectors.person_of_interest_of(user, person)
    return {
        "missing_episodes": selectors.missing_episodes_of(person),
        "pathway": pathway_summary_for(user, person),
        "referrals": referrals_of(person),
        "can_record_missing": policy.check("can_record_missing_episode", user, person),
        "can_record_referral": policy.check("can_record_referral", user, person),
        "person_of_interest": as_poi,
        "can_merge": policy.check("can_merge_records", user, person),
        "can_record_as_poi": as_poi is None
        and policy.check("can_record_person_of_interest", user, person),
    }
