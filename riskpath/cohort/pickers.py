"""The cohort's pool for the young-person picker: whom a chair may add to the cohort."""

from __future__ import annotations

from riskpath.cohort.selectors import eligible_young_people_for_user
from riskpath.people.picker import register_pool

ENTRY_POOL = "cohort_entry"

register_pool(ENTRY_POOL, rule="can_decide_cohort", queryset=eligible_young_people_for_user)
