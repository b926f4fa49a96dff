"""The check for existing records before a young person or person of interest is recorded, and
the reads of merges. Matches are searched across the user's whole area, so that a duplicate
recorded by another agency is found; only the records the user may see are shown, the rest are
counted."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q

from riskpath.access import policy
from riskpath.access.involvement import access_basis, visible_subset
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import NotFound
from riskpath.core.paging import page_at
from riskpath.people.duplicates import (
    DEFAULT_MODEL,
    Match,
    Model,
    PersonFacts,
    estimate_u,
    facts_from_row,
    likely_pairs,
    possible_duplicates,
)
from riskpath.people.models import (
    DuplicateKind,
    MergeRecord,
    NotSamePerson,
    PersonOfInterest,
    PersonOfInterestMerge,
    YoungPerson,
)
from riskpath.people.picker import label_for
from riskpath.people.selectors import access_person_of_interest


@dataclass(frozen=True)
class Found:
    record: Any  # a YoungPerson or a PersonOfInterest
    match: Match


@dataclass(frozen=True)
class Limited:
    """A likely match the user may not open: only what a picker shows of it (name, year of
    birth, locality), its weight and the parts of it that concern the names."""

    label: str
    match: Match

    @property
    def name_reasons(self) -> list[str]:
        return [
            str(c) for c in self.match.contributions if c.field in ("given_name", "family_name")
        ]


@dataclass
class DuplicateCheck:
    shown: list[Found] = field(default_factory=list)
    limited: list[Limited] = field(default_factory=list)  # likely matches the user may not open
    may_break_glass: bool = False

    @property
    def hidden(self) -> int:
        return len(self.limited)

    @property
    def count(self) -> int:
        return len(self.shown) + self.hidden


FACT_NAMES = ("given_names", "family_name", "aliases", "date_of_birth", "postcode")
EXTRA_NAMES = ("locality", "nhs_number")


def facts_from(values: dict[str, Any], *, key: Any = None) -> PersonFacts:
    return PersonFacts(
        given_names=values.get("given_names") or "",
        family_name=values.get("family_name") or "",
        aliases=tuple(values.get("aliases") or ()),
        date_of_birth=values.get("date_of_birth"),
        postcode=values.get("postcode") or "",
        locality=values.get("locality") or "",
        nhs_number=values.get("nhs_number") or "",
        key=key,
    )


def facts_of(person: YoungPerson) -> PersonFacts:
    return facts_from(
        {name: getattr(person, name) for name in FACT_NAMES + EXTRA_NAMES}, key=person.pk
    )


# The area's own u: estimated from pairs of up to ``U_SAMPLE`` of its young people once it has
# ``U_MIN_RECORDS``, kept for ``U_CACHE_SECONDS``; a smaller area uses the stated defaults.
U_SAMPLE = 3000
U_MIN_RECORDS = 500
U_CACHE_SECONDS = 6 * 3600


def area_model(area_id: Any) -> Model:
    """The model for one area: the stated m priors, and u from the area's own records."""
    key = f"people:duplicates:u:v1:{area_id}"
    u = cache.get(key)
    if u is None:
        fields = ("pk", *FACT_NAMES, *EXTRA_NAMES)
        rows = list(
            YoungPerson.objects.filter(area_id=area_id)
            .order_by("pk")
            .values_list(*fields)[:U_SAMPLE]
        )
        u = {}
        if len(rows) >= U_MIN_RECORDS:
            records = [facts_from_row(fields, row) for row in rows]
            u = estimate_u(records, pairs=20_000).u
        cache.set(key, u, U_CACHE_SECONDS)
    return DEFAULT_MODEL.with_u(u) if u else DEFAULT_MODEL


def fingerprint(facts: PersonFacts) -> str:
    """A short digest of what was checked: a confirmation counts only for these facts."""
    text = json.dumps(
        [
            facts.given_names.strip().casefold(),
            facts.family_name.strip().casefold(),
            sorted(a.casefold() for a in facts.aliases),
            str(facts.date_of_birth or ""),
            facts.postcode.replace(" ", "").upper(),
            facts.locality.strip().casefold(),
            facts.nhs_number.replace(" ", ""),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def young_person_matches(user: Any, facts: PersonFacts, *, exclude: Any = None) -> DuplicateCheck:
    """Likely records of the same young person in the user's area, without auditing."""
    qs = YoungPerson.objects.filter(area_id=user.area_id)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    matches = possible_duplicates(qs, facts, model=area_model(user.area_id))
    people = YoungPerson.objects.select_related("recording_agency").in_bulk(
        [m.key for m in matches]
    )
    check = DuplicateCheck(may_break_glass=policy.check("can_break_glass", user))
    for match in matches:
        person = people[match.key]
        if policy.check("can_view_young_person", user, person):
            check.shown.append(Found(person, match))
        else:
            check.limited.append(Limited(label_for(person, False), match))
    return check


def _record_check(user: Any, check: DuplicateCheck, what: str) -> None:
    """Audit a check that found likely matches, with their number only (no names). A check
    that finds nothing shows nothing, and the record it lets through is audited itself."""
    if check.count:
        audit_record(
            actor=user,
            verb=Verb.DUPLICATES_CHECKED,
            target_label=what,
            changes={"matches": check.count, "shown": len(check.shown)},
        )


def young_person_duplicate_check(user: Any, facts: PersonFacts) -> DuplicateCheck:
    """The check before recording a young person, audited with the number of matches only."""
    check = young_person_matches(user, facts)
    _record_check(user, check, "young person")
    return check


def person_of_interest_matches(
    user: Any, facts: PersonFacts, *, exclude: Any = None, limit: int = 10
) -> list[Found]:
    """Persons of interest in the area that are likely to be the person ``facts`` describes,
    by their own names or, for one who is also a young person, by the young person's; best
    first, only those the user may see. Does not audit."""
    model = area_model(user.area_id)
    own_qs = PersonOfInterest.objects.filter(area_id=user.area_id, young_person__isnull=True)
    if exclude is not None:
        own_qs = own_qs.exclude(pk=exclude)
    own = possible_duplicates(own_qs, facts, model=model)
    as_young_person_qs = YoungPerson.objects.filter(
        area_id=user.area_id,
        as_person_of_interest__isnull=False,
        as_person_of_interest__deleted_at__isnull=True,
    )
    if exclude is not None:
        as_young_person_qs = as_young_person_qs.exclude(as_person_of_interest__pk=exclude)
    as_young_person = possible_duplicates(as_young_person_qs, facts, model=model)
    pois = {
        p.young_person_id: p
        for p in PersonOfInterest.objects.filter(
            young_person_id__in=[m.key for m in as_young_person]
        ).select_related("young_person")
    }
    by_pk = PersonOfInterest.objects.in_bulk([m.key for m in own])
    found = [Found(by_pk[m.key], m) for m in own] + [
        Found(pois[m.key], m) for m in as_young_person if m.key in pois
    ]
    found.sort(key=lambda f: f.match.score, reverse=True)
    return [f for f in found if policy.check("can_view_person_of_interest", user, f.record)][:limit]


def person_of_interest_duplicate_check(user: Any, facts: PersonFacts) -> DuplicateCheck:
    """The check before recording a person of interest: persons of interest in the area, by
    their own names or, for one who is also a young person, by the young person's. Persons of
    interest are seen by every recording member, so all are shown."""
    check = DuplicateCheck(shown=person_of_interest_matches(user, facts))
    _record_check(user, check, "person of interest")
    return check


# ---------------------------------------------------------------------------------------------
# Reads of merges
# ---------------------------------------------------------------------------------------------


def merge_candidates(user: Any, person: YoungPerson, *, search: str = "") -> list[Found]:
    """Records the user could merge with ``person``: its likely duplicates first, then those
    whose names match ``search``; only records the user may merge."""
    found = young_person_matches(user, facts_of(person), exclude=person.pk).shown
    seen = {f.record.pk for f in found}
    if search:
        qs = YoungPerson.objects.filter(area_id=user.area_id).exclude(pk=person.pk)
        for term in search.split()[:5]:
            qs = qs.filter(Q(given_names__icontains=term) | Q(family_name__icontains=term))
        for other in qs.select_related("recording_agency").order_by("family_name", "given_names")[
            :50
        ]:
            if other.pk not in seen:
                seen.add(other.pk)
                found.append(Found(other, Match(key=other.pk, score=0.0, reasons=[])))
    return [
        f
        for f in found
        if access_basis(user, f.record) and policy.check("can_merge_records", user, f.record)
    ]


def merge_get_for_user(user: Any, pk: Any) -> MergeRecord:
    """A merge the user may see (and undo): Http404 otherwise. Does not audit."""
    merge = (
        MergeRecord.objects.select_related("keep", "merge_away", "merged_by", "undone_by")
        .filter(pk=pk, area_id=user.area_id)
        .first()
    )
    if merge is None:
        raise NotFound("No such merge")
    for person in (merge.keep, merge.merge_away):
        if access_basis(user, person) is None or not policy.check(
            "can_merge_records", user, person
        ):
            raise NotFound("No such merge")
    return merge


def merge_of_merged_away(user: Any, person_pk: Any) -> MergeRecord:
    """The merge (not undone) that merged away the young person ``person_pk``."""
    merge = (
        MergeRecord.objects.filter(
            merge_away_id=person_pk, area_id=user.area_id, undone_at__isnull=True
        )
        .order_by("-created_at")
        .first()
    )
    if merge is None:
        raise NotFound("No such merge")
    return merge_get_for_user(user, merge.pk)


def poi_facts_of(person: PersonOfInterest) -> PersonFacts:
    """The identity of a person of interest as the duplicate check compares it (the young
    person's where the person of interest is also one)."""
    if person.young_person_id and person.young_person is not None:
        return facts_of(person.young_person)
    return facts_from(
        {
            "given_names": person.given_names,
            "family_name": person.family_name,
            "aliases": person.aliases,
            "date_of_birth": person.date_of_birth,
            "postcode": person.postcode,
        },
        key=person.pk,
    )


def poi_for_merge(user: Any, pk: Any) -> PersonOfInterest:
    """The person of interest ``pk`` if the user may merge it: NotFound (404) otherwise, for
    the pages and the API alike. Does not audit."""
    person = access_person_of_interest(user, pk)
    if not policy.check("can_merge_records", user, person):
        raise NotFound("No such person of interest")
    return person


def poi_merge_candidates(user: Any, person: PersonOfInterest, *, search: str = "") -> list[Found]:
    """Persons of interest the user could merge with ``person``: its likely duplicates first,
    then those whose names match ``search``."""
    found = person_of_interest_matches(user, poi_facts_of(person), exclude=person.pk)
    seen = {f.record.pk for f in found}
    if search:
        qs = PersonOfInterest.objects.filter(area_id=user.area_id).exclude(pk=person.pk)
        for term in search.split()[:5]:
            qs = qs.filter(
                Q(given_names__icontains=term)
                | Q(family_name__icontains=term)
                | Q(young_person__given_names__icontains=term)
                | Q(young_person__family_name__icontains=term)
            )
        for other in qs.select_related("young_person", "recording_agency")[:50]:
            if other.pk not in seen:
                seen.add(other.pk)
                found.append(Found(other, Match(key=other.pk, score=0.0, reasons=[])))
    return [
        f
        for f in found
        if policy.check("can_merge_records", user, f.record)
        and policy.check("can_view_person_of_interest", user, f.record)
    ]


def poi_merge_get_for_user(user: Any, pk: Any) -> PersonOfInterestMerge:
    """A merge of persons of interest the user may see (and undo): NotFound otherwise. Does
    not audit."""
    merge = (
        PersonOfInterestMerge.objects.select_related(
            "keep__young_person", "merge_away__young_person", "merged_by", "undone_by"
        )
        .filter(pk=pk, area_id=user.area_id)
        .first()
    )
    if merge is None:
        raise NotFound("No such merge")
    for person in (merge.keep, merge.merge_away):
        if not (
            policy.check("can_merge_records", user, person)
            and policy.check("can_view_person_of_interest", user, person)
        ):
            raise NotFound("No such merge")
    return merge


def explanation(match: Match) -> list[dict[str, Any]]:
    """A match's weight field by field, for the API."""
    return [
        {"field": c.field, "level": c.level, "text": c.text, "weight": c.weight}
        for c in match.contributions
    ]


def api_conflict(user: Any, values: dict[str, Any], confirm_new: Any) -> dict[str, Any] | None:
    """For the API's create: the 409 body naming the likely existing records (ids and reasons
    of those the user may see, and how many others), unless there are none or the client sent
    ``"confirm_new": true``. The check is audited as on the page."""
    if confirm_new is True:
        return None
    from riskpath.people.services import young_person_validate

    young_person_validate(actor=user, **values)  # bad input is a 400 before any check
    check = young_person_duplicate_check(user, facts_from(values))
    if not check.count:
        return None
    return {
        "errors": [
            {
                "field": "confirm_new",
                "message": "This young person may already be recorded. Check the candidates, "
                'then send "confirm_new": true to record a new young person.',
            }
        ],
        "candidates": [
            {
                "id": str(f.record.pk),
                "score": f.match.score,
                "reasons": f.match.reasons,
                "explanation": explanation(f.match),
            }
            for f in check.shown
        ],
        "not_shown": check.hidden,
    }


# ---------------------------------------------------------------------------------------------
# The area's duplicate report: likely pairs of one kind, each side shown as the user may see it
# ---------------------------------------------------------------------------------------------

REPORT_PAGE_SIZE = 25
PAIRS_CACHE_SECONDS = 600
NAME_FIELDS = ("given_name", "family_name")


@dataclass(frozen=True)
class Side:
    """One record of a pair: the record itself when the user may open it, else only what a
    picker shows of it (``label``)."""

    pk: Any
    label: str
    record: Any = None

    @property
    def openable(self) -> bool:
        return self.record is not None


@dataclass(frozen=True)
class ReportPair:
    kind: str
    first: Side
    second: Side
    match: Match
    may_merge: bool = False

    @property
    def both_open(self) -> bool:
        return self.first.openable and self.second.openable

    @property
    def reasons(self) -> list[str]:
        """The weight explained: in full when the user may open both records, else only the
        parts about the names (which the user sees)."""
        return [
            str(c) for c in self.match.contributions if self.both_open or c.field in NAME_FIELDS
        ]


@dataclass
class DuplicateReport:
    kind: str
    page: Any  # a Django Page of ReportPair (empty when ``counts_only``)
    total: int
    counts_only: bool  # the user may open no record of this kind: the number of pairs only


def _report_records(area_id: Any, kind: str) -> tuple[Any, list[PersonFacts]]:
    fields: tuple[str, ...]
    if kind == DuplicateKind.YOUNG_PERSON:
        qs: Any = YoungPerson.objects.filter(area_id=area_id)
        fields = ("pk", *FACT_NAMES, *EXTRA_NAMES)
    else:
        qs = PersonOfInterest.objects.filter(area_id=area_id, young_person__isnull=True)
        fields = ("pk", *FACT_NAMES)
    rows = qs.order_by("pk").values_list(*fields)
    return qs, [facts_from_row(fields, row) for row in rows]


def area_likely_pairs(area_id: Any, kind: str) -> list[tuple[Any, Any, Match]]:
    """Every likely pair of the area's records of ``kind`` (ids and match), best first: a
    batch scan of the area, kept for ``PAIRS_CACHE_SECONDS`` while the records are unchanged."""
    qs = (
        YoungPerson.objects.filter(area_id=area_id)
        if kind == DuplicateKind.YOUNG_PERSON
        else PersonOfInterest.objects.filter(area_id=area_id, young_person__isnull=True)
    )
    state = qs.aggregate(n=Count("pk"), latest=Max("updated_at"))
    version = hashlib.sha256(f"{state['n']}:{state['latest']}".encode()).hexdigest()[:16]
    key = f"people:duplicates:pairs:v1:{area_id}:{kind}:{version}"
    pairs = cache.get(key)
    if pairs is None:
        _, records = _report_records(area_id, kind)
        model = area_model(area_id)
        pairs = [(a.key, b.key, m) for a, b, m in likely_pairs(records, model=model)]
        cache.set(key, pairs, PAIRS_CACHE_SECONDS)
    return list(pairs)


def _decided(area_id: Any, kind: str) -> set[tuple[str, str]]:
    return {
        (str(a), str(b))
        for a, b in NotSamePerson.objects.filter(area_id=area_id, kind=kind).values_list(
            "first_id", "second_id"
        )
    }


def _poi_label(person: PersonOfInterest) -> str:
    born = f"born {person.date_of_birth:%Y}" if person.date_of_birth else ""
    return ", ".join(p for p in (str(person), born) if p)


def duplicate_report(user: Any, kind: str, page_number: Any = 1) -> DuplicateReport:
    """The likely duplicate pairs of one kind in the user's area, less those decided "not the
    same person", 25 a page, each side as the user may see it. Audited (counts only)."""
    if kind not in DuplicateKind.values:
        kind = DuplicateKind.YOUNG_PERSON
    decided = _decided(user.area_id, kind)
    pairs = [
        (a, b, m)
        for a, b, m in area_likely_pairs(user.area_id, kind)
        if (str(a), str(b)) not in decided and (str(b), str(a)) not in decided
    ]
    counts_only = not policy.check(
        "can_pick_young_person"
        if kind == DuplicateKind.YOUNG_PERSON
        else "can_view_person_of_interest",
        user,
    )
    page = page_at([] if counts_only else pairs, page_number, REPORT_PAGE_SIZE)
    if not counts_only:
        page.object_list = _sides(user, kind, list(page.object_list))
    audit_record(
        actor=user,
        verb=Verb.DUPLICATES_REPORTED,
        target_label=DuplicateKind(kind).label.lower(),
        changes={"kind": kind, "pairs": len(pairs), "page": page.number, "shown": len(page)},
    )
    return DuplicateReport(kind=kind, page=page, total=len(pairs), counts_only=counts_only)


def _sides(user: Any, kind: str, pairs: list[tuple[Any, Any, Match]]) -> list[ReportPair]:
    ids = {pk for a, b, _ in pairs for pk in (a, b)}
    out = []
    if kind == DuplicateKind.YOUNG_PERSON:
        people = YoungPerson.objects.select_related("recording_agency").in_bulk(ids)
        openable = visible_subset("people.youngperson", user, ids)

        def side(pk: Any) -> Side:
            person = people[pk]
            record = person if pk in openable else None
            return Side(pk, label_for(person, record is not None), record)

        for a, b, match in pairs:
            first, second = side(a), side(b)
            may_merge = (
                first.openable
                and second.openable
                and all(policy.check("can_merge_records", user, s.record) for s in (first, second))
            )
            out.append(ReportPair(kind, first, second, match, may_merge))
        return out
    pois = PersonOfInterest.objects.in_bulk(ids)
    for a, b, match in pairs:
        first, second = (
            Side(pk, _poi_label(pois[pk]), pois[pk])
            if policy.check("can_view_person_of_interest", user, pois[pk])
            else Side(pk, "A person of interest")
            for pk in (a, b)
        )
        may_merge = (
            first.openable
            and second.openable
            and all(policy.check("can_merge_records", user, s.record) for s in (first, second))
        )
        out.append(ReportPair(kind, first, second, match, may_merge))
    return out
