"""Reads of the cohort, scoped to the user's area and the policy, and audited.

Also the derived facts the chair decides on: corroboration (``corroboration_for``) and the
evidence the tier suggestion reads (``evidence_for``). Both read the intelligence, missing and
link records directly."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from riskpath.access import policy
from riskpath.audit.listing import audit_listing
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.cohort.models import CohortMembership, ReentryFlag, TierDecision
from riskpath.cohort.suggestion import DEFAULT_WINDOW_DAYS, Evidence, ItemFact, Suggestion, suggest
from riskpath.core import clock
from riskpath.core.errors import NotFound
from riskpath.core.paging import page_at
from riskpath.intelligence.enums import harm_type_labels
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import Link
from riskpath.people.models import MissingEpisode, YoungPerson

COHORT_BASIS = "PIMM member in the area"
PAGE_SIZE = 25


def corroboration_window_days() -> int:
    """The corroboration window: ``COHORT_CORROBORATION_WINDOW_DAYS`` or 14 days."""
    return int(getattr(settings, "COHORT_CORROBORATION_WINDOW_DAYS", DEFAULT_WINDOW_DAYS))


# ---------------------------------------------------------------------------------------------
# Corroboration and evidence
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkedMember:
    young_person: YoungPerson
    tier: int
    link_kind: str


@dataclass(frozen=True)
class Corroboration:
    """Derived, never typed: who reports about the young person, how well graded, and whom
    they are linked to on the cohort."""

    as_of: dt.date
    window_days: int
    agencies: list[str] = field(default_factory=list)  # distinct, reporting usable items
    graded_b_or_better: int = 0  # items in the window graded A or B
    linked_cohort: list[LinkedMember] = field(default_factory=list)

    @property
    def linked_tier_1(self) -> list[LinkedMember]:
        return [m for m in self.linked_cohort if m.tier == 1]


def _window(as_of: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """Items reported after the first date, up to and including ``as_of``."""
    return as_of - dt.timedelta(days=days), as_of


def _items_in_window(person: YoungPerson, as_of: dt.date, days: int) -> list[IntelligenceItem]:
    after, until = _window(as_of, days)
    return list(
        IntelligenceItem.objects.filter(
            young_people=person,
            area_id=person.area_id,
            reported_on__gt=after,
            reported_on__lte=until,
        ).select_related("source_agency")
    )


def _usable_reports(until: dt.date) -> QuerySet[Any]:
    """Links between young people and the live, usable intelligence (not graded E, not from a
    source evaluated 3) reported about them up to ``until``, at any time before."""
    return IntelligenceItem.young_people.through.objects.filter(
        intelligenceitem__deleted_at__isnull=True,
        intelligenceitem__reported_on__lte=until,
    ).exclude(Q(intelligenceitem__assessment="E") | Q(intelligenceitem__source_evaluation="3"))


def _known_agencies(person_ids: Iterable[Any], area_id: Any, until: dt.date) -> dict[Any, set[str]]:
    """The agencies that have ever reported usable intelligence about each young person, up to
    ``until``: what "not known to any other agency" and "cannot be corroborated" read."""
    known: dict[Any, set[str]] = defaultdict(set)
    rows = (
        _usable_reports(until)
        .filter(youngperson_id__in=list(person_ids), intelligenceitem__area_id=area_id)
        .values_list("youngperson_id", "intelligenceitem__source_agency__name")
        .distinct()
    )
    for person_id, agency in rows:
        known[person_id].add(agency)
    return known


def _linked_cohort(person: YoungPerson) -> list[LinkedMember]:
    """Young people with an open cohort spell whom a live link joins to ``person``."""
    links = Link.objects.filter(area_id=person.area_id).filter(
        Q(source_young_person=person, target_young_person__isnull=False)
        | Q(target_young_person=person, source_young_person__isnull=False)
    )
    others: dict[Any, str] = {}
    for link in links:
        other = (
            link.target_young_person_id
            if link.source_young_person_id == person.pk
            else link.source_young_person_id
        )
        if other != person.pk:
            others.setdefault(other, link.get_kind_display())
    spells = CohortMembership.objects.filter(
        young_person_id__in=others, exited_at__isnull=True, area_id=person.area_id
    ).select_related("young_person")
    members = [LinkedMember(s.young_person, s.tier, others[s.young_person_id]) for s in spells]
    return sorted(members, key=lambda m: (m.tier, str(m.young_person)))


def _fact(item: IntelligenceItem) -> ItemFact:
    return ItemFact(
        agency=item.source_agency.name,
        reported_on=item.reported_on,
        assessment=item.assessment,
        source_evaluation=item.source_evaluation,
        provenance=item.provenance,
        immediate_risk=item.immediate_risk,
        harm_types=tuple(item.harm_types or ()),
    )


def corroboration_for(
    young_person: YoungPerson, *, window_days: int | None = None, as_of: dt.date | None = None
) -> Corroboration:
    """Distinct agencies reporting usable intelligence (not graded E, not from a source
    evaluated not reliable) about the young person in the window; how many items are graded
    B or better; the young people on the cohort they are linked to (tier 1 first)."""
    days = window_days if window_days is not None else corroboration_window_days()
    day = as_of or clock.today()
    facts = [_fact(i) for i in _items_in_window(young_person, day, days)]
    usable = [f for f in facts if f.progressable]
    return Corroboration(
        as_of=day,
        window_days=days,
        agencies=sorted({f.agency for f in usable}),
        graded_b_or_better=sum(1 for f in usable if f.assessment in ("A", "B")),
        linked_cohort=_linked_cohort(young_person),
    )


def evidence_for(
    young_person: YoungPerson, *, window_days: int | None = None, as_of: dt.date | None = None
) -> Evidence:
    """The plain evidence the tier suggestion reads, built from the records."""
    days = window_days if window_days is not None else corroboration_window_days()
    day = as_of or clock.today()
    after, until = _window(day, days)
    episodes = list(
        MissingEpisode.objects.filter(young_person=young_person).values_list(
            "reported_at", flat=True
        )
    )
    local = [timezone.localdate(t) for t in episodes]
    return Evidence(
        as_of=day,
        window_days=days,
        items=tuple(_fact(i) for i in _items_in_window(young_person, day, days)),
        missing_in_window=sum(1 for d in local if after < d <= until),
        missing_total=len(local),
        linked_cohort_tiers=tuple(m.tier for m in _linked_cohort(young_person)),
        known_agencies=tuple(
            sorted(_known_agencies([young_person.pk], young_person.area_id, until)[young_person.pk])
        ),
    )


def suggestion_for(
    young_person: YoungPerson, *, window_days: int | None = None, as_of: dt.date | None = None
) -> Suggestion:
    return suggest(evidence_for(young_person, window_days=window_days, as_of=as_of))


def suggestions_for_many(
    person_ids: Iterable[Any], *, area_id: Any, as_of: dt.date, window_days: int | None = None
) -> dict[Any, Suggestion]:
    """``suggestion_for`` for many young people of one area at once (an agenda's worth), in
    five queries whatever their number. Same evidence, same rules."""
    ids = list(person_ids)
    if not ids:
        return {}
    days = window_days if window_days is not None else corroboration_window_days()
    after, until = _window(as_of, days)
    facts: dict[Any, list[ItemFact]] = defaultdict(list)
    rows = (
        IntelligenceItem.young_people.through.objects.filter(
            youngperson_id__in=ids,
            intelligenceitem__area_id=area_id,
            intelligenceitem__deleted_at__isnull=True,
            intelligenceitem__reported_on__gt=after,
            intelligenceitem__reported_on__lte=until,
        )
        .select_related("intelligenceitem", "intelligenceitem__source_agency")
        .order_by("intelligenceitem__reported_on")
    )
    for row in rows:
        facts[row.youngperson_id].append(_fact(row.intelligenceitem))
    missing: dict[Any, list[dt.date]] = defaultdict(list)
    episodes = MissingEpisode.objects.filter(young_person_id__in=ids).values_list(
        "young_person_id", "reported_at"
    )
    for person_id, reported_at in episodes:
        missing[person_id].append(timezone.localdate(reported_at))
    linked: dict[Any, set[Any]] = defaultdict(set)
    links = (
        Link.objects.filter(area_id=area_id)
        .filter(
            Q(source_young_person_id__in=ids, target_young_person__isnull=False)
            | Q(target_young_person_id__in=ids, source_young_person__isnull=False)
        )
        .values_list("source_young_person_id", "target_young_person_id")
    )
    wanted = set(ids)
    for a, b in links:
        if a in wanted and b != a:
            linked[a].add(b)
        if b in wanted and a != b:
            linked[b].add(a)
    others = set().union(*linked.values()) if linked else set()
    tiers = dict(
        CohortMembership.objects.filter(
            young_person_id__in=others, exited_at__isnull=True, area_id=area_id
        ).values_list("young_person_id", "tier")
    )
    known = _known_agencies(ids, area_id, until)
    out = {}
    for person_id in ids:
        days_missing = missing.get(person_id, [])
        evidence = Evidence(
            as_of=as_of,
            window_days=days,
            items=tuple(facts.get(person_id, [])),
            missing_in_window=sum(1 for d in days_missing if after < d <= until),
            missing_total=len(days_missing),
            linked_cohort_tiers=tuple(
                sorted(tiers[o] for o in linked.get(person_id, ()) if o in tiers)
            ),
            known_agencies=tuple(sorted(known.get(person_id, ()))),
        )
        out[person_id] = suggest(evidence)
    return out


# ---------------------------------------------------------------------------------------------
# The cohort list
# ---------------------------------------------------------------------------------------------

_NAME = (Lower("young_person__family_name"), Lower("young_person__given_names"), "pk")
SORTS: dict[str, tuple[Any, ...]] = {
    "tier": ("tier", *_NAME),
    "name": _NAME,
    "last_discussed": (F("last_discussed_on").asc(nulls_first=True), *_NAME),
    "next_review": (F("next_review_on").asc(nulls_last=True), *_NAME),
    "entered": ("entered_at", *_NAME),
}


@dataclass(frozen=True)
class CohortFilter:
    tier: int | None = None
    lead_professional: Any = None  # a user id
    harm_type: str = ""
    agency: Any = None  # an agency id: reporting intelligence about the young person
    locality: str = ""
    discussed_before: dt.date | None = None  # not discussed since (or never)
    review_due_by: dt.date | None = None
    sort: str = "tier"

    def as_audit(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in (None, "", "tier")}


@dataclass
class CohortRow:
    membership: CohortMembership
    harm_types: list[str]
    agencies: list[str]

    @property
    def person(self) -> YoungPerson:
        return self.membership.young_person

    @property
    def harm_type_labels(self) -> list[str]:
        return harm_type_labels(self.harm_types)

    @property
    def name_key(self) -> tuple[str, str]:
        return (self.person.family_name.lower(), self.person.given_names.lower())


def _open_memberships(user: Any) -> QuerySet[CohortMembership]:
    if not policy.check("can_view_cohort", user):
        return CohortMembership.objects.none()
    return CohortMembership.objects.filter(
        area_id=user.area_id, exited_at__isnull=True, young_person__deleted_at__isnull=True
    ).select_related("young_person", "young_person__lead_professional")


def _reported_about(user: Any) -> QuerySet[Any]:
    """Links between young people and the live intelligence reported about them in the area."""
    return IntelligenceItem.young_people.through.objects.filter(
        intelligenceitem__deleted_at__isnull=True,
        intelligenceitem__area_id=user.area_id,
    )


def cohort_queryset_for_user(
    user: Any, criteria: CohortFilter | None = None
) -> QuerySet[CohortMembership]:
    """The open cohort in the user's area, filtered and ordered in the database, so that a
    page of it costs the same however large the cohort and its intelligence grow."""
    criteria = criteria or CohortFilter()
    qs = _open_memberships(user)
    if criteria.tier:
        qs = qs.filter(tier=criteria.tier)
    if criteria.lead_professional:
        qs = qs.filter(young_person__lead_professional_id=criteria.lead_professional)
    if criteria.locality:
        qs = qs.filter(young_person__locality__icontains=criteria.locality)
    if criteria.discussed_before:
        qs = qs.filter(
            Q(last_discussed_on__lt=criteria.discussed_before) | Q(last_discussed_on__isnull=True)
        )
    if criteria.review_due_by:
        qs = qs.filter(next_review_on__lte=criteria.review_due_by)
    # Reported about: asked per listed member (an index lookup each), never across every item
    # in the area.
    about = _reported_about(user).filter(youngperson_id=OuterRef("young_person_id"))
    if criteria.harm_type:
        # harm types are a JSON list of codes; the quoted code matches one whole element
        about_harm = about.filter(intelligenceitem__harm_types__icontains=f'"{criteria.harm_type}"')
        qs = qs.filter(Exists(about_harm))
    if criteria.agency:
        qs = qs.filter(Exists(about.filter(intelligenceitem__source_agency_id=criteria.agency)))
    return qs.order_by(*SORTS.get(criteria.sort, SORTS["tier"]))


def cohort_rows(user: Any, memberships: Iterable[CohortMembership]) -> list[CohortRow]:
    """Rows for the given memberships (one page, usually), with the harm types and agencies
    reported about each young person, in the order given."""
    memberships = list(memberships)
    harms: dict[Any, set[str]] = defaultdict(set)
    agencies: dict[Any, set[str]] = defaultdict(set)
    # Read from the page's young people (the through table's young person index) and return
    # each distinct (person, harm types, agency) once: a cohort member with hundreds of items
    # has a handful of distinct combinations. The area needs no test of its own here: the
    # young people are the area's, and an item is only ever linked to young people of its
    # own area; a test on it would let SQLite's planner start from every item in the area.
    reported = (
        IntelligenceItem.young_people.through.objects.filter(
            youngperson_id__in=[m.young_person_id for m in memberships],
            intelligenceitem__deleted_at__isnull=True,
        )
        .values_list(
            "youngperson_id",
            "intelligenceitem__harm_types",
            "intelligenceitem__source_agency__name",
        )
        .distinct()
    )
    for person_id, harm_types, agency_name in reported:
        harms[person_id].update(harm_types or [])
        agencies[person_id].add(agency_name)
    return [
        CohortRow(m, sorted(harms[m.young_person_id]), sorted(agencies[m.young_person_id]))
        for m in memberships
    ]


def cohort_rows_for_user(user: Any, criteria: CohortFilter | None = None) -> list[CohortRow]:
    """Every row of the open cohort, filtered and sorted (the exports). Not audited: callers
    record what they show (``record_cohort_view`` or the export)."""
    return cohort_rows(user, cohort_queryset_for_user(user, criteria))


def tier_counts_for_user(user: Any) -> dict[int, int]:
    counts = {1: 0, 2: 0, 3: 0}
    for tier in _open_memberships(user).values_list("tier", flat=True):
        counts[tier] += 1
    return counts


def record_cohort_view(user: Any, *, count: int, criteria: CohortFilter) -> None:
    audit_listing(
        user, Verb.COHORT_VIEWED, count=count, basis=COHORT_BASIS, filters=criteria.as_audit()
    )


def cohort_page_for_user(
    user: Any, criteria: CohortFilter | None = None, *, page: Any = 1, per_page: int = PAGE_SIZE
) -> tuple[Page[CohortMembership], list[CohortRow]]:
    """One page of the open cohort and its rows; records the view."""
    criteria = criteria or CohortFilter()
    paged = page_at(cohort_queryset_for_user(user, criteria), page, per_page)
    rows = cohort_rows(user, paged.object_list)
    record_cohort_view(user, count=paged.paginator.count, criteria=criteria)
    return paged, rows


# ---------------------------------------------------------------------------------------------
# One young person's place on the cohort
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortRecord:
    person: YoungPerson
    spells: list[CohortMembership]  # newest first
    decisions: list[TierDecision]  # oldest first, across every spell
    basis: str

    @property
    def current(self) -> CohortMembership | None:
        return next((s for s in self.spells if s.exited_at is None), None)


def access_cohort_record(
    user: Any, young_person_pk: Any, *, rule: str = "can_view_cohort"
) -> CohortRecord:
    """The young person's cohort spells in the user's area. NotFound (404) when they have never been
    on the area's cohort (or the record is in another area). Does not audit."""
    if not policy.check(rule, user):
        raise NotFound("No such cohort record")
    person = (
        YoungPerson.objects.select_related("lead_professional")
        .filter(pk=young_person_pk, area_id=user.area_id)
        .first()
    )
    if person is None:
        raise NotFound("No such cohort record")
    spells = list(
        CohortMembership.objects.filter(young_person=person, area_id=user.area_id).order_by(
            "-entered_at"
        )
    )
    if not spells:
        raise NotFound("No such cohort record")
    if rule != "can_view_cohort" and not policy.check(rule, user, spells[0]):
        raise NotFound("No such cohort record")
    decisions = list(
        TierDecision.objects.filter(membership__in=spells)
        .select_related("decided_by", "decided_by__agency")
        .order_by("decided_at", "created_at")
    )
    return CohortRecord(person=person, spells=spells, decisions=decisions, basis=COHORT_BASIS)


def cohort_record_get_for_user(
    user: Any, young_person_pk: Any, *, rule: str = "can_view_cohort"
) -> CohortRecord:
    """Look up (passing ``rule``) and record the read in one step."""
    with transaction.atomic():
        record = access_cohort_record(user, young_person_pk, rule=rule)
        audit_record(
            actor=user,
            verb=Verb.COHORT_VIEWED,
            target=record.current or record.spells[0],
            subject=record.person,
            basis=record.basis,
        )
    return record


def eligible_young_people_for_user(user: Any) -> QuerySet[YoungPerson]:
    """Whom a chair may add: young people not on the cohort now whom the chair can see, who
    have been on the area's cohort before (re-entry), or about whom partners have shared
    intelligence in the corroboration window (what the PIMM discusses)."""
    from riskpath.people.selectors import young_person_queryset_for_user

    seen = young_person_queryset_for_user(user).values("pk")
    former = CohortMembership.objects.filter(area_id=user.area_id).values("young_person_id")
    after, _ = _window(clock.today(), corroboration_window_days())
    discussed = IntelligenceItem.young_people.through.objects.filter(
        intelligenceitem__area_id=user.area_id,
        intelligenceitem__deleted_at__isnull=True,
        intelligenceitem__reported_on__gt=after,
    ).values("youngperson_id")
    on_now = CohortMembership.objects.filter(exited_at__isnull=True).values("young_person_id")
    return (
        YoungPerson.objects.filter(area_id=user.area_id)
        .filter(Q(pk__in=seen) | Q(pk__in=former) | Q(pk__in=discussed))
        .exclude(pk__in=on_now)
        .select_related("lead_professional")
        .order_by("family_name", "given_names", "pk")
    )


# ---------------------------------------------------------------------------------------------
# Re-entry flags
# ---------------------------------------------------------------------------------------------


def reentry_flags_for_user(user: Any) -> list[ReentryFlag]:
    """Open re-entry flags in the user's area, oldest first. Not audited (names only, like the
    cohort list's header); the listing is recorded by the caller."""
    if not policy.check("can_decide_cohort", user):
        return []
    return list(
        ReentryFlag.objects.filter(
            young_person__area_id=user.area_id,
            young_person__deleted_at__isnull=True,
            cleared_at__isnull=True,
        )
        .select_related("young_person", "intelligence_item", "intelligence_item__source_agency")
        .order_by("raised_at")
    )


def access_reentry_flag(user: Any, pk: Any) -> ReentryFlag:
    flag = (
        ReentryFlag.objects.select_related("young_person")
        .filter(pk=pk, young_person__area_id=user.area_id, cleared_at__isnull=True)
        .first()
    )
    if flag is None or not policy.check("can_decide_cohort", user, flag.young_person):
        raise NotFound("No such re-entry flag")
    return flag
