"""One young person's records brought together: a dated timeline, newest first.

The timeline is people's; what goes on it comes from the apps that hold the records. Each
registers a *source* here (``register_source``, from its ``record.py``): a kind of entry, who
may see it (``visible``) and a function that returns at most ``limit`` entries, newest first,
as the user may see them. people registers its own missing episodes; intelligence, cohort tier
decisions, links, referrals, group memberships, meeting actions and pathway steps come from
their apps. people imports none of them.

Pages of ``PAGE_SIZE`` entries: each source is asked, in SQL, for at most as many rows as the
page needs, in the timeline's own order, so the number of queries and rows read does not grow
with the number of records. Not audited: the timeline is part of the young person's page, whose
read is (``PERSON_VIEWED``); opening an item from it is audited by that item's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone

from riskpath.core.pages import page_parts
from riskpath.people.models import MissingEpisode, YoungPerson

PAGE_SIZE = 50
MAX_PAGE = 100  # 5,000 entries back; beyond that, each record's own list is the place

# The kinds of entry, by name (their sources, labels and order are registered by the apps).
INTELLIGENCE = "intelligence"
MISSING = "missing"
TIER = "tier"
LINK = "link"
REFERRAL = "referral"
GROUP = "group"
ACTION = "action"
PATHWAY = "pathway"


@dataclass(frozen=True)
class Source:
    """One kind of entry and where it comes from."""

    kind: str
    label: str  # an entry's kind, as shown beside it: "Intelligence"
    filter_label: str  # the filter's checkbox: "Cohort tier changes"
    order: int  # position in the filter, and for equal dates
    visible: Callable[[Any, YoungPerson], bool]  # may the user see this kind at all?
    # (user, person, limit, shared) -> at most ``limit`` entries, newest first
    entries: Callable[[Any, YoungPerson, int, dict[str, Any]], list[Entry]]


_sources: dict[str, Source] = {}


def register_source(
    kind: str,
    *,
    label: str,
    filter_label: str,
    order: int,
    visible: Callable[[Any, YoungPerson], bool],
    entries: Callable[[Any, YoungPerson, int, dict[str, Any]], list[Entry]],
) -> None:
    if kind in _sources:
        raise ValueError(f"a timeline source for {kind!r} is already registered")
    _sources[kind] = Source(kind, label, filter_label, order, visible, entries)


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda s: s.order)


@dataclass(frozen=True)
class Entry:
    """One dated thing on the timeline. ``when`` is a date or an aware datetime (shown with
    its time); ``sort_key`` orders entries of different sources together."""

    when: dt.date | dt.datetime
    kind: str
    summary: str
    sort_key: tuple[dt.date, dt.datetime]
    url: str | None = None
    restricted: bool = False
    immediate_risk: bool = False

    @property
    def kind_label(self) -> str:
        return _sources[self.kind].label

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, dt.datetime)

    @property
    def date(self) -> dt.date:
        return self.sort_key[0]


@dataclass(frozen=True)
class KindOption:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Timeline:
    entries: list[Entry]
    page: int
    has_older: bool
    kinds: list[KindOption]  # the kinds this user may see, for the filter
    selected: frozenset[str]  # empty: every kind

    @property
    def has_newer(self) -> bool:
        return self.page > 1

    @property
    def filtered(self) -> bool:
        return bool(self.selected)

    def _query(self, page: int) -> str:
        query: list[tuple[str, Any]] = [("kind", k) for k in sorted(self.selected)]
        if page > 1:
            query.append(("timeline_page", page))
        return "?" + urlencode(query) if query else "?"

    @property
    def older_query(self) -> str:
        return self._query(self.page + 1)

    @property
    def newer_query(self) -> str:
        return self._query(self.page - 1)


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localdate(value) if timezone.is_aware(value) else value.date()


def _key(day: dt.date, moment: dt.datetime) -> tuple[dt.date, dt.datetime]:
    return (day, moment)


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def local_date(value: dt.datetime) -> dt.date:
    """A moment's date where riskpath is used (for a timeline entry's day)."""
    return _local_date(value)


def key(day: dt.date, moment: dt.datetime) -> tuple[dt.date, dt.datetime]:
    """An entry's sort key: its day, then the moment it was recorded."""
    return _key(day, moment)


def long_date(value: dt.date) -> str:
    return _date(value)


# ---------------------------------------------------------------------------------------------
# people's own source: missing episodes (part of the young person's record, seen with it)
# ---------------------------------------------------------------------------------------------


def _missing(user: Any, person: YoungPerson, limit: int, shared: dict[str, Any]) -> list[Entry]:
    episodes = (
        MissingEpisode.objects.filter(young_person=person)
        .select_related("reporting_agency")
        .order_by("-reported_at", "-created_at")[:limit]
    )
    entries = []
    for ep in episodes:
        if ep.returned_at:
            back = f"returned {_date(_local_date(ep.returned_at))}"
            if ep.where_found:
                back += f", found at {ep.where_found}"
        else:
            back = "not yet returned"
        what = f"Reported {ep.get_kind_display().lower()} by {ep.reporting_agency}"
        entries.append(
            Entry(
                when=ep.reported_at,
                kind=MISSING,
                summary=f"{what}: {back}",
                sort_key=_key(_local_date(ep.reported_at), ep.reported_at),
            )
        )
    return entries


register_source(
    MISSING,
    label="Missing episode",
    filter_label="Missing episodes",
    order=20,
    visible=lambda user, person: True,
    entries=_missing,
)


# ---------------------------------------------------------------------------------------------
# The timeline
# ---------------------------------------------------------------------------------------------


def kinds_for_user(user: Any, person: YoungPerson) -> list[str]:
    """The kinds of entry ``user`` may see on ``person``'s timeline, in display order."""
    return [s.kind for s in sources() if s.visible(user, person)]


def young_person_timeline_for_user(
    user: Any,
    person: YoungPerson,
    *,
    kinds: Iterable[str] = (),
    page: int = 1,
    page_size: int = PAGE_SIZE,
    shared: dict[str, Any] | None = None,
) -> Timeline:
    """Page ``page`` of ``person``'s timeline as ``user`` may see it, newest first, limited
    to ``kinds`` (none: every kind the user may see). The caller must already have checked
    that the user may see the young person (``access_young_person``). ``shared`` is what the
    page's parts have already read (the young person's links), passed on to the sources."""
    shared = {} if shared is None else shared
    allowed = kinds_for_user(user, person)
    selected = frozenset(k for k in kinds if k in allowed)
    shown = [k for k in allowed if not selected or k in selected]
    page = max(1, min(int(page), MAX_PAGE))
    limit = page * page_size + 1  # one more than the page needs: is there an older page?

    entries: list[Entry] = []
    for kind in shown:
        entries += _sources[kind].entries(user, person, limit, shared)

    entries.sort(key=lambda e: e.sort_key, reverse=True)
    start = (page - 1) * page_size
    return Timeline(
        entries=entries[start : start + page_size],
        page=page,
        has_older=len(entries) > start + page_size,
        kinds=[KindOption(k, _sources[k].filter_label, k in selected) for k in allowed],
        selected=selected,
    )


def timeline_request(params: Mapping[str, Any]) -> tuple[list[str], int]:
    """The kinds and page asked for in a page's query (``kind=…&timeline_page=…``); anything
    unknown or malformed is ignored (a filter, not a form: no error to show)."""
    getlist = getattr(params, "getlist", None)
    raw_kinds = getlist("kind") if callable(getlist) else params.get("kind", [])
    if isinstance(raw_kinds, str):
        raw_kinds = [raw_kinds]
    kinds = [k for k in raw_kinds if k in _sources]
    try:
        page = int(params.get("timeline_page", 1))
    except (TypeError, ValueError):
        page = 1
    return kinds, max(1, min(page, MAX_PAGE))


# ---------------------------------------------------------------------------------------------
# The young person's page
# ---------------------------------------------------------------------------------------------


def young_person_page_context(
    user: Any, person: YoungPerson, params: Mapping[str, Any]
) -> dict[str, Any]:
    """The parts other apps add to the young person's page (``core.pages``) and the
    timeline. The caller has checked (and audited) the user's read of the young person."""
    shared: dict[str, Any] = {}
    context = page_parts("young_person", user, person, shared)
    kinds, page = timeline_request(params)
    context["timeline"] = young_person_timeline_for_user(
        user, person, kinds=kinds, page=page, shared=shared
    )
    return context
