"""Writes to the people app's records, by kind of record: young people (with the name keys the
duplicate check reads), persons of interest and their disruption, missing episodes. Each write
checks the policy, validates, writes and records its audit event in one transaction."""

from riskpath.people.services.duplicate_decisions import not_same_person_record, ordered_pair
from riskpath.people.services.missing_episodes import (
    MISSING_FIELDS,
    missing_episode_record,
    missing_episode_update,
)
from riskpath.people.services.persons_of_interest import (
    POI_BASIS,
    POI_FIELDS,
    POI_IDENTITY,
    disruption_record,
    person_of_interest_create,
    person_of_interest_create_from_young_person,
    person_of_interest_update,
    person_of_interest_validate,
)
from riskpath.people.services.young_people import (
    FIELDS,
    KEY_FIELDS,
    MAX_ALIASES,
    TEXT_FIELDS,
    age_on,
    clean_aliases,
    refresh_name_keys,
    set_name_keys,
    store_alias_keys,
    young_person_create,
    young_person_delete,
    young_person_restore,
    young_person_update,
    young_person_validate,
)

__all__ = [
    "FIELDS",
    "KEY_FIELDS",
    "MAX_ALIASES",
    "MISSING_FIELDS",
    "POI_BASIS",
    "POI_FIELDS",
    "POI_IDENTITY",
    "TEXT_FIELDS",
    "age_on",
    "clean_aliases",
    "disruption_record",
    "missing_episode_record",
    "missing_episode_update",
    "not_same_person_record",
    "ordered_pair",
    "person_of_interest_create",
    "person_of_interest_create_from_young_person",
    "person_of_interest_update",
    "person_of_interest_validate",
    "refresh_name_keys",
    "set_name_keys",
    "store_alias_keys",
    "young_person_create",
    "young_person_delete",
    "young_person_restore",
    "young_person_update",
    "young_person_validate",
]
