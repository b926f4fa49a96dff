"""Who is involved with an intelligence item, and so may know that it exists (how much of it
they may read is the handling code's business: ``policy.handling_permits``). Also: an agency
that submitted intelligence about a young person is involved with that young person."""

from __future__ import annotations

from typing import Any

from riskpath.access.involvement import access_basis, register
from riskpath.access.policy import RECORDING_ROLES


@register("intelligence.intelligenceitem")
def submitting_agency(user: Any, item: Any) -> str | None:
    if user.agency_id and item.source_agency_id == user.agency_id:
        return "submitting agency"
    return None


@register("intelligence.intelligenceitem")
def involved_with_young_person(user: Any, item: Any) -> str | None:
    for person in item.young_people.all():
        basis = access_basis(user, person)
        if basis:
            return f"involved with {person} ({basis})"[:200]
    return None


@register("intelligence.intelligenceitem")
def partnership_member(user: Any, item: Any) -> str | None:
    """Intelligence about no young person (only persons of interest, places or groups) is the
    partnership's: every recording member in the area may know of it."""
    if item.area_id != user.area_id or not (user.role_set() & RECORDING_ROLES):
        return None
    if item.young_people.exists():
        return None
    return "partnership member"


@register("people.youngperson")
def agency_submitted_intelligence(user: Any, person: Any) -> str | None:
    from riskpath.intelligence.models import IntelligenceItem

    if not user.agency_id:
        return None
    submitted = IntelligenceItem.objects.filter(
        young_people=person, source_agency_id=user.agency_id
    ).exists()
    return "agency submitted intelligence" if submitted else None
