"""Reads of intelligence, scoped to what the user may know exists, and audited.

Two questions, both answered by the access policy: may the user know that an item exists
(``can_view_intelligence``: an access basis, see ``involvement.py``), and may they read it in
full (``can_read_intelligence_in_full``: its handling code allows it). Everyone else with access
sees a restricted summary: date, source agency, grading and harm types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from riskpath.access import policy
from riskpath.access.involvement import access_basis, involved_queryset, involvement_basis
from riskpath.audit.listing import audit_listing
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import NotFound, NotPermitted
from riskpath.intelligence.enums import DisclosureStatus
from riskpath.intelligence.models import DisclosureRequest, IntelligenceItem
from riskpath.people.models import YoungPerson


@dataclass(frozen=True)
class SeenItem:
    item: IntelligenceItem
    basis: str
    full: bool  # may read the text; otherwise only the restricted summary


@dataclass(frozen=True)
class ListedItem:
    item: IntelligenceItem
    full: bool


@dataclass(frozen=True)
class IntelligenceFilter:
    harm_type: str = ""
    source_evaluation: str = ""
    assessment: str = ""
    handling_code: str = ""
    agency: Any = None
    reported_from: dt.date | None = None
    reported_to: dt.date | None = None
    young_person: Any = None


_Through = IntelligenceItem.young_people.through


def intelligence_queryset_for_user(user: Any) -> QuerySet[IntelligenceItem]:
    """The live items the user may know exist: those they are involved with through any basis
    (``intelligence/involvement.py``: their agency submitted it; it is about a young person
    they are involved with; or, for a recording member, it is about no young person at all).
    Emergency access is per visit and puts nothing in anyone's lists."""
    if not policy.check("can_view_intelligence", user):
        return IntelligenceItem.objects.none()
    return involved_queryset(IntelligenceItem, user)


def intelligence_search_for_user(
    user: Any, criteria: IntelligenceFilter | None = None
) -> QuerySet[IntelligenceItem]:
    """The items the user may know of that match ``criteria``, newest first (stable, for
    paging). Not audited: lists show no item's text; opening an item is audited."""
    c = criteria or IntelligenceFilter()
    qs = intelligence_queryset_for_user(user)
    if c.harm_type:
        # JSON text match of the quoted value: works on SQLite and PostgreSQL alike.
        qs = qs.filter(harm_types__icontains=f'"{c.harm_type}"')
    if c.source_evaluation:
        qs = qs.filter(source_evaluation=c.source_evaluation)
    if c.assessment:
        qs = qs.filter(assessment=c.assessment)
    if c.handling_code:
        qs = qs.filter(handling_code=c.handling_code)
    if c.agency:
        qs = qs.filter(source_agency_id=c.agency)
    if c.reported_from:
        qs = qs.filter(reported_on__gte=c.reported_from)
    if c.reported_to:
        qs = qs.filter(reported_on__lte=c.reported_to)
    if c.young_person:
        qs = qs.filter(young_people=c.young_person)
    return (
        qs.select_related("source_agency")
        .prefetch_related(_live_people())
        .order_by("-reported_on", "-created_at", "pk")
    )


def _live_people() -> Prefetch[Any]:
    """The young people each item is about, for tables that name them."""
    return Prefetch("young_people", queryset=YoungPerson.objects.order_by("family_name"))


def record_intelligence_listing(
    user: Any, *, count: int, page: int = 1, filters: dict[str, Any] | None = None
) -> None:
    """Record a list of items shown (their dates, agencies, gradings and young people)."""
    audit_listing(user, Verb.INTELLIGENCE_LISTED, count=count, page=page, filters=filters)


def with_access(user: Any, items: Iterable[IntelligenceItem]) -> list[ListedItem]:
    """Each item with whether the user may read it in full. The items must come from
    ``intelligence_queryset_for_user`` (so the user has an access basis for each); what is
    left to decide is the handling code, answered with one query for the whole page."""
    items = list(items)
    granted = set(
        DisclosureRequest.objects.filter(
            item__in=[i.pk for i in items], requested_by=user, status=DisclosureStatus.GRANTED
        ).values_list("item_id", flat=True)
    )
    out = []
    for item in items:
        item._granted_to = (user.pk, item.pk in granted)  # type: ignore[attr-defined]
        out.append(ListedItem(item=item, full=bool(policy.handling_permits(user, item))))
    return out


# The young person's page shows the newest items here; the timeline on the same page pages
# through all of them.
SECTION_LIMIT = 20


ABOUT_IDS_LIMIT = 5000


def intelligence_about_queryset(user: Any, person: YoungPerson) -> QuerySet[IntelligenceItem]:
    """The live items about ``person`` the user may know exist, newest first.

    The same set as ``intelligence_search_for_user`` filtered by the young person, asked so
    that the database starts from the person's own items (an index lookup) rather than from
    every item in the area. When the user is involved with the young person, every item about
    the person is visible to them; otherwise (a record opened under emergency access, or only
    their own agency's items) the general visibility test applies."""
    if not policy.check("can_view_intelligence", user):
        return IntelligenceItem.objects.none()
    # The person's item ids as a list: with the subquery instead, PostgreSQL expects a few
    # matches spread evenly over the area and walks every item in date order to find the
    # newest twenty (0.4 s on a large area). A young person with more items than fit
    # comfortably in one statement falls back to the subquery.
    linked = _Through.objects.filter(youngperson_id=person.pk).values_list(
        "intelligenceitem_id", flat=True
    )
    ids = list(linked[: ABOUT_IDS_LIMIT + 1])
    about: Any = ids if len(ids) <= ABOUT_IDS_LIMIT else linked
    # Involved with the young person (not merely opening the record under emergency access):
    # every item about them is visible.
    sees_all = involvement_basis(user, person) is not None
    # Every item about the person, when the user may know of them all: no test of the area
    # here (the person is in the user's area, which the caller checked, and an item is only
    # ever linked to young people of its own area); a test on it lets SQLite's planner walk
    # the area's items instead of fetching the person's by key.
    base = (
        IntelligenceItem.objects.all()
        if sees_all and person.deleted_at is None and person.area_id == user.area_id
        else intelligence_queryset_for_user(user)
    )
    return (
        base.filter(pk__in=about)
        .select_related("source_agency")
        .order_by("-reported_on", "-created_at", "pk")
    )


def intelligence_about_young_person(user: Any, person: YoungPerson, limit: int) -> list[ListedItem]:
    """The ``limit`` newest items about ``person`` the user may know of, with whether they
    may read each in full (the young person's timeline)."""
    return with_access(user, intelligence_about_queryset(user, person)[:limit])


@dataclass(frozen=True)
class Section:
    """The intelligence part of a young person's page."""

    listed: list[ListedItem]
    caption: str
    can_submit: bool


def intelligence_section(user: Any, person: YoungPerson) -> Section:
    qs = intelligence_about_queryset(user, person).prefetch_related(_live_people())
    return Section(
        listed=with_access(user, qs[:SECTION_LIMIT]),
        caption=f"Intelligence about {person}",
        can_submit=policy.check("can_submit_intelligence", user),
    )


def access_intelligence(
    user: Any, pk: Any, *, include_deleted: bool = False, rule: str = "can_view_intelligence"
) -> SeenItem:
    """The item ``pk`` if the user may know it exists (and passes ``rule``), with the basis
    and whether they may read it in full. NotFound (404) for a missing item, one in another area, or
    one the user has no business knowing of. Does not audit."""
    manager = IntelligenceItem.all_objects if include_deleted else IntelligenceItem.objects
    item = (
        manager.select_related("source_agency", "submitted_by")
        .filter(pk=pk, area_id=user.area_id)
        .first()
    )
    if item is None:
        raise NotFound("No such intelligence item")
    basis = access_basis(user, item)
    if basis is None or not policy.check("can_view_intelligence", user, item):
        raise NotFound("No such intelligence item")
    if rule != "can_view_intelligence" and not policy.check(rule, user, item):
        raise NotPermitted()
    full = policy.check("can_read_intelligence_in_full", user, item)
    return SeenItem(item=item, basis=basis, full=full)


def intelligence_get_for_user(
    user: Any, pk: Any, *, rule: str = "can_view_intelligence"
) -> SeenItem:
    """Look up (passing ``rule``) and record the read (full or restricted) in one step. Pages
    that show the item to change it read it through here too."""
    with transaction.atomic():
        seen = access_intelligence(user, pk, rule=rule)
        item = seen.item
        audit_record(
            actor=user,
            verb=Verb.INTELLIGENCE_VIEWED,
            target=item,
            subject=item.young_people.order_by("family_name", "given_names", "pk").first(),
            basis=seen.basis,
            changes={"read": "in full" if seen.full else "restricted summary"},
        )
    return seen


def deleted_intelligence_for_user(user: Any) -> list[IntelligenceItem]:
    """Deleted items the user's agency submitted, which the user could restore."""
    if not policy.check("can_edit_intelligence", user):
        return []
    return list(
        IntelligenceItem.all_objects.filter(
            area_id=user.area_id, source_agency_id=user.agency_id, deleted_at__isnull=False
        )
        .select_related("deleted_by", "source_agency")
        .order_by("-deleted_at")[:50]
    )


def pending_disclosures_for_user(user: Any) -> list[DisclosureRequest]:
    """Requests awaiting a decision about items the user's agency submitted."""
    if not policy.check("can_decide_disclosure", user):
        return []
    return list(
        DisclosureRequest.objects.filter(
            status=DisclosureStatus.REQUESTED,
            item__source_agency_id=user.agency_id,
            item__area_id=user.area_id,
            item__deleted_at__isnull=True,
        )
        .select_related("item", "item__source_agency", "requested_by", "requested_by__agency")
        .order_by("created_at")
    )


def access_disclosure_request(user: Any, pk: Any) -> DisclosureRequest:
    """A request the user may decide (their agency submitted the item), else NotFound (404)."""
    request = (
        DisclosureRequest.objects.select_related(
            "item", "item__source_agency", "requested_by", "requested_by__agency", "decided_by"
        )
        .filter(pk=pk, item__area_id=user.area_id, item__deleted_at__isnull=True)
        .first()
    )
    if request is None or not policy.check("can_decide_disclosure", user, request.item):
        raise NotFound("No such request")
    return request


def disclosure_request_get_for_user(user: Any, pk: Any) -> DisclosureRequest:
    """A request the user may decide, the read of its item recorded (the decision page shows
    the item in full to its own agency)."""
    with transaction.atomic():
        request = access_disclosure_request(user, pk)
        audit_record(
            actor=user,
            verb=Verb.INTELLIGENCE_VIEWED,
            target=request.item,
            subject=request.item.young_people.order_by("family_name", "given_names", "pk").first(),
            basis="submitting agency",
            changes={"read": "in full", "disclosure_request": str(request.pk)},
        )
    return request


def my_disclosure_requests(user: Any, item: IntelligenceItem) -> list[DisclosureRequest]:
    return list(DisclosureRequest.objects.filter(item=item, requested_by=user))
