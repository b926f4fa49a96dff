"""What the home page shows a user: only what is theirs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from riskpath.access import policy
from riskpath.access.models import EmergencyAccessGrant
from riskpath.audit.listing import audit_listing
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.people.models import YoungPerson


def home_for_user(user: Any) -> dict[str, Any]:
    """The young people the user leads and the emergency openings of their records, the list
    recorded before it is shown (fails closed)."""
    led = list(YoungPerson.objects.filter(lead_professional=user).order_by("family_name")[:50])
    since = clock.now() - dt.timedelta(days=30)
    emergency = list(
        EmergencyAccessGrant.objects.filter(
            target_type="people.youngperson",
            target_id__in=[str(p.pk) for p in led],
            created_at__gte=since,
        ).select_related("user", "user__agency")
    )
    if led:
        audit_listing(
            user,
            Verb.PERSON_LISTED,
            count=len(led),
            basis="lead professional",
            page="home",
            emergency_openings=len(emergency),
        )
    return {
        "led": led,
        "emergency_openings": emergency,
        "can_administer": policy.check("can_manage_users", user),
        "can_list_people": policy.check("can_list_young_people", user),
        "has_roles": bool(user.role_set()),
    }
