"""Who is involved with a young person, and so may see their record without breaking glass."""

from __future__ import annotations

from typing import Any

from riskpath.access.involvement import register
from riskpath.accounts.enums import Role


@register("people.youngperson")
def lead_professional(user: Any, person: Any) -> str | None:
    return "lead professional" if person.lead_professional_id == user.pk else None


@register("people.youngperson")
def recording_agency(user: Any, person: Any) -> str | None:
    if user.agency_id and person.recording_agency_id == user.agency_id:
        return "recording agency"
    return None


@register("people.youngperson")
def consultant_social_worker(user: Any, person: Any) -> str | None:
    # Consultant social workers track every young person on the pathway in their area.
    if user.has_role(Role.CONSULTANT_SOCIAL_WORKER) and person.area_id == user.area_id:
        return "consultant social worker for the area"
    return None
