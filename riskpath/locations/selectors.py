"""Reads of locations, scoped to the user's area and the policy; a record read is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from riskpath.access import policy
from riskpath.audit.listing import audit_listing
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import NotFound, NotPermitted
from riskpath.locations.models import Location, LocationKind
from riskpath.locations.services import BASIS, normalise_postcode

LIST_LIMIT = 500


def location_search_for_user(user: Any, *, search: str = "", kind: str = "") -> QuerySet[Location]:
    """The area's locations whose name or postcode matches ``search`` and, if given, of type
    ``kind``; in a stable order (for paging). Not audited (no personal data)."""
    if not policy.check("can_view_location", user):
        return Location.objects.none()
    qs = Location.objects.filter(area_id=user.area_id).select_related("recording_agency")
    if kind in LocationKind.values:
        qs = qs.filter(kind=kind)
    search = search.strip()
    if search:
        postcode = normalise_postcode(search)
        by_postcode = Q(postcode__icontains=postcode or search.upper())
        qs = qs.filter(Q(name__icontains=search) | by_postcode)
    return qs.order_by("name", "pk")


def location_list_for_user(user: Any, *, search: str = "", kind: str = "") -> list[Location]:
    """The locations the list page shows, the listing recorded (fails closed)."""
    locations = list(location_search_for_user(user, search=search, kind=kind)[:LIST_LIMIT])
    record_location_listing(user, count=len(locations), searched=bool(search), kind=kind)
    return locations


def record_location_listing(
    user: Any, *, count: int, searched: bool = False, kind: str = ""
) -> None:
    audit_listing(
        user, Verb.LOCATIONS_LISTED, count=count, basis=BASIS, searched=searched, kind=kind
    )


def location_deleted_list_for_user(user: Any) -> list[Location]:
    """Deleted locations of the area that the user could restore."""
    if not policy.check("can_record_location", user):
        return []
    return list(
        Location.all_objects.filter(area_id=user.area_id, deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("-deleted_at")[:100]
    )


def access_location(
    user: Any, pk: Any, *, rule: str = "can_view_location", include_deleted: bool = False
) -> Location:
    """The location ``pk`` if ``user`` passes ``rule`` for it. A location of another area, or
    a missing one, is a 404. Does not audit."""
    manager = Location.all_objects if include_deleted else Location.objects
    location = (
        manager.select_related("recording_agency", "recorded_by")
        .filter(pk=pk, area_id=user.area_id)
        .first()
    )
    if location is None:
        raise NotFound("No such location")
    if not policy.check(rule, user, location):
        raise NotPermitted()
    return location


def location_get_for_user(user: Any, pk: Any, *, rule: str = "can_view_location") -> Location:
    """Look up (passing ``rule``) and record the read in one step (fails closed)."""
    with transaction.atomic():
        location = access_location(user, pk, rule=rule)
        audit_record(actor=user, verb=Verb.LOCATION_VIEWED, target=location, basis=BASIS)
    return location
