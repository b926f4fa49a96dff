"""Who is involved with a young person, and so may see their record without breaking glass:
the lead professional, the agency that recorded them, and the area's consultant social
workers (who track every young person on the pathway). Other apps add their own bases (the
pathway's episode roles). Each basis is one query: see ``riskpath.access.involvement``."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from riskpath.access import policy
from riskpath.access.involvement import register_basis
from riskpath.accounts.enums import Role

YOUNG_PERSON = "people.youngperson"

register_basis(YOUNG_PERSON, "lead professional", q=lambda user: Q(lead_professional_id=user.pk))
# An agency's records are seen by those who record in it, not by every role it holds: a member
# of the strategic panel or the quality-assurance group in the agency does not see them.
register_basis(
    YOUNG_PERSON,
    "recording agency",
    q=lambda user: Q(recording_agency_id=user.agency_id),
    applies=policy.holds_recording_role,
)


def _is_consultant_social_worker(user: Any) -> bool:
    return user.has_role(Role.CONSULTANT_SOCIAL_WORKER)


register_basis(
    YOUNG_PERSON,
    "consultant social worker for the area",
    q=lambda user: Q(area_id=user.area_id),
    applies=_is_consultant_social_worker,
)
