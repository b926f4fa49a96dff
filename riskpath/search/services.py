"""One search across young people, persons of interest, locations and groups.

``search(user, text)`` finds records by name (and alias), place name, address, postcode and
date of birth, tolerant of typos, nicknames, sound-alike spellings and a date of birth with
its day and month swapped (``riskpath.search.keys``); ranks them; and groups them by kind,
scoped by the access policy:

- a kind the user's role may not list (``KIND_RULES``) is not searched at all;
- a young person the user may open (an involvement basis or emergency access) is shown in full;
- a young person they may not open is shown, to a role that may learn that a record exists
  (``can_know_young_person_exists``), as "a record matches that you cannot open", with no
  name, date or place, and the way to emergency access where the role may break glass; to
  anyone else, not at all;
- counts are of the records the user may open.

Every search that runs is audited (``SEARCHED``): a digest of what was typed (never the text:
it names people), whether a date of birth or postcode was in it, and how many of each kind the
user was shown. An empty search shows nothing and is not recorded.

The candidates come from one indexed lookup of the search keys (both databases), and on
PostgreSQL also from a trigram match (``pg_trgm``, GIN index) on the stored names; every
candidate is then scored in Python by ``keys.score`` and re-read from the live records."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.core.paginator import Page
from django.db import connection
from django.db.models import F, QuerySet, Sum, Value
from django.urls import reverse

from riskpath.access import policy
from riskpath.access.involvement import accessible_subset
from riskpath.audit.restricted import digest
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import FieldErrors
from riskpath.core.paging import page_at
from riskpath.groups.models import Group
from riskpath.locations.models import Location
from riskpath.people.models import PersonOfInterest, YoungPerson
from riskpath.people.picker import RECORD_KINDS
from riskpath.search.keys import QUERY_MAX, Query, parse, score
from riskpath.search.models import Kind, SearchEntry, SearchKey

# Who may have each kind searched for them.
KIND_RULES: dict[str, str] = {
    Kind.YOUNG_PERSON: "can_list_young_people",
    Kind.PERSON_OF_INTEREST: "can_view_person_of_interest",
    Kind.LOCATION: "can_view_location",
    Kind.GROUP: "can_view_group",
}
KIND_NAMES: dict[str, tuple[str, str]] = {  # (one, many)
    Kind.YOUNG_PERSON: ("young person", "young people"),
    **RECORD_KINDS,
}
CANDIDATES = 200  # per kind, from the key lookup (and as many again from trigrams)
PAGE_SIZE = 20  # results of one kind per page
FIRST_OF_EACH = 5  # results of each kind on the "all kinds" page
MIN_LETTERS = 2
TRIGRAM_THRESHOLD = 0.5
YOUNG_PERSON_LABEL = "people.youngperson"


# ---------------------------------------------------------------------------------------------
# Finding and ranking candidates
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    record_id: Any
    score: float
    names: str


def _key_candidates(
    area_id: Any, kind: str, query: Query, limit: int, within: QuerySet[Any] | None
) -> list[int]:
    if not query.keys:
        return []
    qs = SearchKey.objects.filter(area_id=area_id, kind=kind, key__in=sorted(query.keys))
    if within is not None:
        qs = qs.filter(entry__record_id__in=within.values("pk"))
    rows = (
        qs.values("entry_id").annotate(total=Sum("weight")).order_by("-total", "entry_id")[:limit]
    )
    return [row["entry_id"] for row in rows]


def _trigram_candidates(
    area_id: Any, kind: str, query: Query, limit: int, within: QuerySet[Any] | None
) -> list[int]:
    """PostgreSQL only: entries whose names hold a word like the typed name (``pg_trgm``'s
    word similarity, answered by the GIN index on ``names``)."""
    if connection.vendor != "postgresql" or not query.words:
        return []
    typed = " ".join(query.words)
    # ``names %> typed``: a word of the names is like the typed words (the GIN index answers
    # it). The lookup is used as an expression: django.contrib.postgres is not installed.
    qs = SearchEntry.objects.filter(
        TrigramWordSimilar(F("names"), Value(typed)), area_id=area_id, kind=kind
    )
    if within is not None:
        qs = qs.filter(record_id__in=within.values("pk"))
    qs = qs.annotate(similarity=TrigramWordSimilarity(typed, "names")).filter(
        similarity__gte=TRIGRAM_THRESHOLD
    )
    return list(qs.order_by("-similarity", "pk").values_list("pk", flat=True)[:limit])


# One statement finds every kind's best candidates by their summed key weights (at most
# ``limit`` of each kind, by a window function that SQLite and PostgreSQL share) and reads
# their entries: written as SQL, as the ORM spends longer building it than the database does
# answering it.
_CANDIDATES_SQL = """
SELECT e.kind, e.record_id, e.names, e.date_of_birth, e.postcode
FROM search_searchentry e
JOIN (
    SELECT entry_id, ROW_NUMBER() OVER (PARTITION BY kind ORDER BY total DESC, entry_id) AS n
    FROM (
        SELECT entry_id, kind, SUM(weight) AS total
        FROM search_searchkey
        WHERE area_id = %s AND kind IN ({kinds}) AND key IN ({keys})
        GROUP BY entry_id, kind
    ) summed
) best ON best.entry_id = e.id
WHERE best.n <= %s
"""


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _key_candidate_rows(
    area_id: Any, kinds: list[str], query: Query, limit: int
) -> list[tuple[str, Any, str, Any, str]]:
    if not query.keys or not kinds:
        return []
    keys = sorted(query.keys)
    area = SearchKey._meta.get_field("area_id").get_db_prep_value(area_id, connection)
    sql = _CANDIDATES_SQL.format(
        kinds=", ".join(["%s"] * len(kinds)), keys=", ".join(["%s"] * len(keys))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [area, *kinds, *keys, limit])
        return [
            (kind, _uuid(record_id), names, _date(dob), postcode)
            for kind, record_id, names, dob, postcode in cursor.fetchall()
        ]


def rank_kinds(
    area_id: Any, kinds: list[str], query: Query, *, limit: int = CANDIDATES
) -> dict[str, list[Ranked]]:
    """For each kind, the records in the area that match ``query``, best first (ties by
    name)."""
    rows = _key_candidate_rows(area_id, kinds, query, limit)
    seen = {(kind, record_id) for kind, record_id, *_ in rows}
    for kind in kinds:
        extra = _trigram_candidates(area_id, kind, query, limit, None)
        if extra:
            for record_id, names, dob, postcode in SearchEntry.objects.filter(
                pk__in=extra
            ).values_list("record_id", "names", "date_of_birth", "postcode"):
                if (kind, record_id) not in seen:
                    rows.append((kind, record_id, names, dob, postcode))
    found: dict[str, list[Ranked]] = {kind: [] for kind in kinds}
    for kind, record_id, names, dob, postcode in rows:
        value = score(query, names=names, date_of_birth=dob, postcode=postcode)
        if value > 0:
            found[kind].append(Ranked(record_id, value, names))
    return {
        kind: sorted(ranked, key=lambda r: (-r.score, r.names, str(r.record_id)))
        for kind, ranked in found.items()
    }


def rank(
    area_id: Any,
    kind: str,
    query: Query,
    *,
    limit: int = CANDIDATES,
    within: QuerySet[Any] | None = None,
) -> list[Ranked]:
    """The records of ``kind`` in the area that match ``query``, best first (ties by name);
    ``within``, if given, narrows them to a queryset's records (a picker's pool)."""
    if within is None:
        return rank_kinds(area_id, [kind], query, limit=limit)[kind]
    ids = set(_key_candidates(area_id, kind, query, limit, within))
    ids |= set(_trigram_candidates(area_id, kind, query, limit, within))
    if not ids:
        return []
    found = []
    for record_id, names, dob, postcode in SearchEntry.objects.filter(pk__in=ids).values_list(
        "record_id", "names", "date_of_birth", "postcode"
    ):
        value = score(query, names=names, date_of_birth=dob, postcode=postcode)
        if value > 0:
            found.append(Ranked(record_id, value, names))
    return sorted(found, key=lambda r: (-r.score, r.names, str(r.record_id)))


# ---------------------------------------------------------------------------------------------
# What the user is shown
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: Any
    openable: bool
    title: str = ""  # empty for a record the user may not open
    details: tuple[str, ...] = ()
    url: str = ""
    emergency_access_url: str = ""  # a record they may not open, where they may break glass


@dataclass
class KindResults:
    kind: str
    total: int  # records of this kind the user may open that match
    withheld: int  # matching young people the user may not open (shown without details)
    hits: list[Hit] = field(default_factory=list)
    page: Page | None = None  # when one kind is asked for: the page of it shown

    @property
    def name(self) -> str:
        return KIND_NAMES[self.kind][1 if self.total != 1 else 0]

    @property
    def heading(self) -> str:
        return KIND_NAMES[self.kind][1].capitalize()

    @property
    def shown_total(self) -> int:
        return self.total + self.withheld


@dataclass
class SearchResults:
    text: str
    searched: bool = False
    kind: str = ""  # the one kind asked for, or "" for all
    groups: list[KindResults] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # the kinds this user may search

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def message(self) -> str:
        if not self.searched:
            return "Type at least 2 letters of a name, a date of birth or a postcode."
        if not any(g.hits for g in self.groups):
            return "Nothing matches. Check the spelling, or search for fewer words."
        return ""


def allowed_kinds(user: Any) -> list[str]:
    return [kind for kind in Kind.values if policy.check(KIND_RULES[kind], user)]


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _describe_young_person(person: YoungPerson) -> tuple[str, tuple[str, ...]]:
    title = f"{person.given_names} {person.family_name.upper()}"
    details = []
    if person.date_of_birth:
        details.append(f"Born {person.date_of_birth:%-d %B %Y}")
    place = person.locality or person.postcode
    if place:
        details.append(place)
    if person.aliases:
        details.append("Also known as " + ", ".join(person.aliases))
    return title, tuple(details)


def _hits_young_people(user: Any, ranked: list[Ranked]) -> tuple[list[Hit], int, int]:
    """Which matching young people the user may open, and which they may only be told exist:
    decided for every candidate from ids alone (the counts need them all); each hit is read
    and described later, only if it is shown (``_describe``)."""
    ids = [r.record_id for r in ranked]
    live = set(  # unordered: see ``visible_subset``
        YoungPerson.objects.filter(area_id=user.area_id, pk__in=ids)
        .order_by()
        .values_list("pk", flat=True)
    )
    openable = accessible_subset(YOUNG_PERSON_LABEL, user, live)
    may_know = policy.check("can_know_young_person_exists", user)
    hits = [
        Hit(Kind.YOUNG_PERSON, pk, pk in openable)
        for pk in ids
        if pk in live and (pk in openable or may_know)
    ]
    return hits, len(openable), sum(not hit.openable for hit in hits)


def _describe(user: Any, hits: list[Hit]) -> list[Hit]:
    """The young people among ``hits`` (those shown) read and described: in full where the
    user may open them; else only the way to emergency access, where they may break glass."""
    wanted = [hit.record_id for hit in hits if hit.kind == Kind.YOUNG_PERSON]
    if not wanted:
        return hits
    people = {
        p.pk: p for p in YoungPerson.objects.filter(area_id=user.area_id, pk__in=wanted).order_by()
    }
    out = []
    for hit in hits:
        if hit.kind != Kind.YOUNG_PERSON:
            out.append(hit)
            continue
        person = people.get(hit.record_id)
        if person is None:  # gone since it was counted: not shown
            continue
        if hit.openable:
            title, details = _describe_young_person(person)
            url = reverse("people:detail", args=[person.pk])
            out.append(Hit(Kind.YOUNG_PERSON, person.pk, True, title, details, url))
        else:
            glass = (
                reverse("people:emergency_access", args=[person.pk])
                if policy.check("can_break_glass", user, person)
                else ""
            )
            out.append(Hit(Kind.YOUNG_PERSON, person.pk, False, emergency_access_url=glass))
    return out


def _hits_of(user: Any, kind: str, ranked: list[Ranked]) -> list[Hit]:
    ids = [r.record_id for r in ranked]
    if kind == Kind.PERSON_OF_INTEREST:
        pois = (
            PersonOfInterest.objects.filter(area_id=user.area_id, pk__in=ids)
            .order_by()  # unordered: see ``visible_subset``
            .select_related("young_person")
        )
        records: dict[Any, Hit] = {}
        for poi in pois:
            details = []
            if poi.aliases:
                details.append("Also known as " + ", ".join(poi.aliases))
            dob = poi.young_person.date_of_birth if poi.young_person else poi.date_of_birth
            if dob:
                details.append(f"Born {dob:%-d %B %Y}")
            records[poi.pk] = Hit(
                kind,
                poi.pk,
                True,
                f"{poi.identity_given_names} {poi.identity_family_name.upper()}".strip(),
                tuple(details),
                reverse("people:poi_detail", args=[poi.pk]),
            )
    elif kind == Kind.LOCATION:
        records = {
            loc.pk: Hit(
                kind,
                loc.pk,
                True,
                loc.name,
                tuple(x for x in (loc.address, loc.postcode, loc.get_kind_display()) if x),
                reverse("locations:detail", args=[loc.pk]),
            )
            for loc in Location.objects.filter(area_id=user.area_id, pk__in=ids).order_by()
        }
    else:
        records = {
            group.pk: Hit(
                kind,
                group.pk,
                True,
                group.name,
                (group.get_kind_display(),),
                reverse("groups:detail", args=[group.pk]),
            )
            for group in Group.objects.filter(area_id=user.area_id, pk__in=ids).order_by()
        }
    return [records[r.record_id] for r in ranked if r.record_id in records]


def _results_of(user: Any, kind: str, ranked: list[Ranked]) -> KindResults:
    if kind == Kind.YOUNG_PERSON:
        hits, total, withheld = _hits_young_people(user, ranked)
        return KindResults(kind, total, withheld, hits)
    hits = _hits_of(user, kind, ranked)
    return KindResults(kind, len(hits), 0, hits)


def check_input(text: str, kind: str) -> None:
    """Refuse a search whose parameters are wrong, naming the field."""
    if len(text or "") > QUERY_MAX:
        raise FieldErrors({"q": f"A search must be {QUERY_MAX} characters or fewer"})
    if kind and kind not in Kind.values:
        raise FieldErrors({"kind": f"Choose one of: {', '.join(Kind.values)}"})


def search(user: Any, text: str, *, kind: str = "", page: Any = 1) -> SearchResults:
    """The records matching ``text`` that the user may be shown, grouped by kind: the first
    few of each kind, or with ``kind`` one page of that kind. Audited when it searches."""
    check_input(text, kind)
    query = parse(text)
    kinds = allowed_kinds(user)
    results = SearchResults(text=query.text, kind=kind, kinds=kinds)
    if query.empty or (
        query.words
        and not query.date_of_birth
        and not query.postcode
        and _letters(query.text) < MIN_LETTERS
    ):
        return results
    results.searched = True
    wanted = [each for each in kinds if not kind or each == kind]
    ranked = rank_kinds(user.area_id, wanted, query)
    for each in wanted:
        results.groups.append(_results_of(user, each, ranked[each]))
    for group in results.groups:
        if kind:
            group.page = page_at(group.hits, page, PAGE_SIZE)
            group.hits = _describe(user, list(group.page.object_list))
        else:
            group.hits = _describe(user, group.hits[:FIRST_OF_EACH])
    _audit(user, query, results)
    return results


def _audit(user: Any, query: Query, results: SearchResults) -> None:
    audit_record(
        actor=user,
        verb=Verb.SEARCHED,
        changes={
            "query": digest(query.text),
            "date_of_birth": query.date_of_birth is not None,
            "postcode": bool(query.postcode),
            "kind": results.kind or "all",
            "found": {g.kind: g.total for g in results.groups},
            "withheld": sum(g.withheld for g in results.groups),
        },
    )


# ---------------------------------------------------------------------------------------------
# The young-person picker (``people.picker``) ranks its pool through the same search
# ---------------------------------------------------------------------------------------------


def rank_young_people(
    user: Any, pool: QuerySet[YoungPerson], text: str, limit: int, *, whole_area: bool
) -> list[YoungPerson]:
    """The young people of ``pool`` matching ``text``, best first, at most ``limit``: the
    picker's search (it labels, limits and audits what it shows)."""
    query = parse(text)
    if query.empty:
        return []
    ranked = rank(
        user.area_id,
        Kind.YOUNG_PERSON,
        query,
        limit=max(CANDIDATES, limit),
        within=None if whole_area else pool,
    )
    ids = [r.record_id for r in ranked]
    people = {
        p.pk: p for p in pool.filter(area_id=user.area_id, pk__in=ids[: limit * 4]).order_by()
    }
    return [people[pk] for pk in ids if pk in people][:limit]
