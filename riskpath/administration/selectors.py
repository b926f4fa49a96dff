from __future__ import annotations

from typing import Any

from riskpath.access import policy
from riskpath.accounts.models import Agency, ClosureDay, User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb


def agency_list_for_user(user: Any) -> list[Agency]:
    if not policy.check("can_manage_agencies", user):
        return []
    return list(Agency.objects.filter(area_id=user.area_id))


def agency_get_for_user(user: Any, pk: Any) -> Agency | None:
    agency = Agency.objects.filter(pk=pk, area_id=user.area_id).first()
    if agency is None or not policy.check("can_manage_agencies", user, agency):
        return None
    return agency


def closure_day_list_for_user(user: Any) -> list[ClosureDay]:
    """The closure days of the administrator's area, earliest first."""
    if not policy.check("can_manage_area", user):
        return []
    return list(ClosureDay.objects.filter(area_id=user.area_id).select_related("created_by"))


def closure_day_get_for_user(user: Any, pk: Any) -> ClosureDay | None:
    closure_day = ClosureDay.objects.filter(pk=pk, area_id=user.area_id).first()
    if closure_day is None or not policy.check("can_manage_area", user, closure_day):
        return None
    return closure_day


def user_list_for_user(user: Any) -> list[User]:
    if not policy.check("can_manage_users", user):
        return []
    return list(
        User.objects.filter(agency__area_id=user.area_id)
        .select_related("agency")
        .prefetch_related("roles")
    )


def user_get_for_user(user: Any, pk: Any) -> User | None:
    """A user of the administrator's area; the read of their details is audited."""
    subject = User.objects.filter(pk=pk, agency__area_id=user.area_id).first()
    if subject is None or not policy.check("can_manage_users", user, subject):
        return None
    audit_record(actor=user, verb=Verb.USER_VIEWED, target=subject)
    return subject
