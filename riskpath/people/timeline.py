"""One young person's records brought together: a dated timeline, newest first.

The timeline reads intelligence about the young person (restricted summaries for items the
handling code keeps from the user), missing episodes, cohort tier decisions, links, referrals,
group memberships (joined and left), meeting actions and the steps of the Risk Management
Pathway. Each source is asked only for what the user may see:

* intelligence through ``intelligence_about_young_person`` (the items the user may know exist
  and whether they may read each in full);
* missing episodes and referrals as part of the young person's record (the caller has checked
  the user may see it);
* tier decisions for users who pass ``can_view_cohort``;
* links through ``links_for`` (young people the user is not involved with are not named), and
  persons of interest only for users who pass ``can_view_person_of_interest``;
* group memberships for users who pass ``can_view_group``;
* actions agreed at meetings about the young person for users who pass ``can_view_actions``,
  leaving out those raised in a confidential slot the user was not in and does not own
  (``meetings.access.actions_visible_q``);
* pathway steps for users who pass ``can_view_episode`` (anyone who may see the young person
  may see their episodes).

Pages of ``PAGE_SIZE`` entries: each source is asked, in SQL, for at most as many rows as the
page needs, in the timeline's own order, so the number of queries and rows read does not grow
with the number of records. Not audited: the timeline is part of the young person's page, whose
read is (``PERSON_VIEWED``); opening an item from it is audited by that item's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import DateField, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from riskpath.access import policy
from riskpath.cohort.models import CohortMembership, Tier, TierDecision
from riskpath.groups.models import GroupMembership
from riskpath.intelligence.selectors import (
    intelligence_about_young_person,
    intelligence_search_for_user,
    with_access,
)
from riskpath.links.ends import end_get
from riskpath.links.selectors import LinkRow, links_for
from riskpath.meetings.models import Action
from riskpath.pathway.models import EpisodeEvent
from riskpath.people.models import MissingEpisode, PersonOfInterest, YoungPerson
from riskpath.referrals.models import Referral

PAGE_SIZE = 50
MAX_PAGE = 100  # 5,000 entries back; beyond that, each record's own list is the place

INTELLIGENCE = "intelligence"
MISSING = "missing"
TIER = "tier"
LINK = "link"
REFERRAL = "referral"
GROUP = "group"
ACTION = "action"
PATHWAY = "pathway"

KIND_LABELS: dict[str, str] = {
    INTELLIGENCE: "Intelligence",
    MISSING: "Missing episode",
    TIER: "Cohort tier",
    LINK: "Link",
    REFERRAL: "Referral",
    GROUP: "Group",
    ACTION: "Action",
    PATHWAY: "Pathway",
}
KIND_FILTER_LABELS: dict[str, str] = {
    INTELLIGENCE: "Intelligence",
    MISSING: "Missing episodes",
    TIER: "Cohort tier changes",
    LINK: "Links",
    REFERRAL: "Referrals",
    GROUP: "Groups joined and left",
    ACTION: "Meeting actions",
    PATHWAY: "Risk Management Pathway steps",
}


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
        return KIND_LABELS[self.kind]

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


def _tier_label(tier: int | None) -> str:
    return str(Tier(tier).label) if tier else ""


# ---------------------------------------------------------------------------------------------
# Who may see which kinds
# ---------------------------------------------------------------------------------------------


def kinds_for_user(user: Any, person: YoungPerson) -> list[str]:
    """The kinds of entry ``user`` may see on ``person``'s timeline, in display order."""
    kinds = []
    if policy.check("can_view_intelligence", user):
        kinds.append(INTELLIGENCE)
    kinds.append(MISSING)
    if policy.check("can_view_cohort", user, person):
        kinds.append(TIER)
    if policy.check("can_view_link", user, person):
        kinds.append(LINK)
    kinds.append(REFERRAL)
    if policy.check("can_view_group", user, person):
        kinds.append(GROUP)
    if policy.check("can_view_actions", user, person):
        kinds.append(ACTION)
    if policy.check("can_view_episode", user):
        kinds.append(PATHWAY)
    return kinds


def links_for_young_person(user: Any, person: YoungPerson) -> list[LinkRow]:
    """The links of ``person`` the user may see (``links_for``), without persons of interest
    for a user who may not see them: they never reach anyone else by this page."""
    rows = links_for(person, user)
    if policy.check("can_view_person_of_interest", user, person):
        return rows
    return [
        row
        for row in rows
        if row.source.type != "person_of_interest" and row.target.type != "person_of_interest"
    ]


# ---------------------------------------------------------------------------------------------
# The sources: each returns at most ``limit`` entries, newest first in the timeline's order
# ---------------------------------------------------------------------------------------------


def _intelligence(user: Any, person: YoungPerson, limit: int) -> list[Entry]:
    listed = intelligence_about_young_person(user, person, limit)
    entries = []
    for entry in listed:
        item = entry.item
        harms = ", ".join(item.harm_type_labels) or "no type of harm given"
        if entry.full:
            summary = f"{item.source_agency} shared intelligence graded {item.grading}: {harms}"
        else:
            summary = (
                f"Restricted summary: {item.source_agency} shared intelligence graded "
                f"{item.grading}: {harms}"
            )
        entries.append(
            Entry(
                when=item.reported_on,
                kind=INTELLIGENCE,
                summary=summary,
                url=reverse("intelligence:detail", args=[item.pk]),
                restricted=not entry.full,
                # Not part of a restricted summary (date, agency, grading, harm types).
                immediate_risk=entry.full and item.immediate_risk,
                sort_key=_key(item.reported_on, item.created_at),
            )
        )
    return entries


def _missing(person: YoungPerson, limit: int) -> list[Entry]:
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


def _tiers(person: YoungPerson, limit: int) -> list[Entry]:
    decisions = (
        TierDecision.objects.filter(
            membership__young_person=person, membership__area_id=person.area_id
        )
        .select_related("decided_by")
        .order_by("-decided_at", "-created_at")[:limit]
    )
    url = reverse("cohort:detail", args=[person.pk])
    entries = []
    for d in decisions:
        if d.from_tier is None and d.to_tier is not None:
            what = f"Added to the cohort at {_tier_label(d.to_tier)}"
        elif d.to_tier is None:
            what = f"Left the cohort from {_tier_label(d.from_tier)}"
        else:
            what = f"Tier changed from {_tier_label(d.from_tier)} to {_tier_label(d.to_tier)}"
        what += f", decided by {d.decided_by.full_name}"
        if d.meeting_ref:
            what += f" at {d.meeting_ref}"
        entries.append(
            Entry(
                when=d.decided_at,
                kind=TIER,
                summary=what,
                url=url,
                sort_key=_key(_local_date(d.decided_at), d.decided_at),
            )
        )
    return entries


def _links(rows: Iterable[LinkRow], person: YoungPerson) -> list[Entry]:
    entries = []
    for row in rows:
        link = row.link
        day = link.last_seen or link.first_seen or _local_date(link.created_at)
        this_is_source = (
            link.source_young_person_id == person.pk and row.source.type == "young_person"
        )
        if this_is_source:
            sentence = f"{person} {row.verb} {row.other.label}"
        else:
            sentence = f"{row.source.label} {row.verb} {person}"
        seen = (
            f" (last seen {_date(link.last_seen)})"
            if link.last_seen
            else (f" (first seen {_date(link.first_seen)})" if link.first_seen else "")
        )
        entries.append(
            Entry(
                when=day,
                kind=LINK,
                summary=f"Linked: {sentence}{seen}, {link.get_strength_display().lower()}",
                url=reverse("links:detail", args=[link.pk]),
                sort_key=_key(day, link.created_at),
            )
        )
    return entries


def _referrals(person: YoungPerson, limit: int) -> list[Entry]:
    referrals: QuerySet[Referral] = (
        Referral.objects.filter(young_person=person)
        .select_related("referring_agency")
        .annotate(day=Coalesce("made_on", TruncDate("created_at"), output_field=DateField()))
        .order_by("-day", "-created_at")[:limit]
    )
    entries = []
    for r in referrals:
        to = r.get_to_display() + (f" ({r.to_detail})" if r.to_detail else "")
        made = "referred" if r.made_on else "planned a referral"
        summary = f"{r.referring_agency} {made} to {to}: {r.get_status_display().lower()}"
        if r.outcome:
            summary += f". Outcome: {Truncator(r.outcome).chars(120)}"
        day = r.day  # type: ignore[attr-defined]
        entries.append(
            Entry(
                when=day,
                kind=REFERRAL,
                summary=summary,
                sort_key=_key(day, r.created_at),
            )
        )
    return entries


def _groups(person: YoungPerson, limit: int) -> list[Entry]:
    base = GroupMembership.objects.filter(
        young_person=person, group__area_id=person.area_id, group__deleted_at__isnull=True
    ).select_related("group")
    joined = base.annotate(
        day=Coalesce("joined_on", TruncDate("created_at"), output_field=DateField())
    ).order_by("-day", "-created_at")[:limit]
    left = base.filter(left_on__isnull=False).order_by("-left_on", "-updated_at")[:limit]
    entries = []
    for m in joined:
        day = m.day
        entries.append(
            Entry(
                when=day,
                kind=GROUP,
                summary=f"Joined {m.group.get_kind_display().lower()} {m.group}",
                url=reverse("groups:detail", args=[m.group_id]),
                sort_key=_key(day, m.created_at),
            )
        )
    for ended in left:
        left_on = ended.left_on or _local_date(ended.updated_at)  # set: the query asks for it
        entries.append(
            Entry(
                when=left_on,
                kind=GROUP,
                summary=f"Left {ended.group.get_kind_display().lower()} {ended.group}",
                url=reverse("groups:detail", args=[ended.group_id]),
                sort_key=_key(left_on, ended.updated_at),
            )
        )
    return entries


def _actions(user: Any, person: YoungPerson, limit: int) -> list[Entry]:
    """Actions about the young person agreed at meetings that the user may know exist, dated
    when agreed, with where they stand (open and due, or closed with an outcome)."""
    from riskpath.meetings.access import actions_visible_q

    actions = (
        Action.objects.filter(young_person=person, area_id=person.area_id)
        .filter(actions_visible_q(user))
        .select_related("meeting", "owner_user", "owner_agency")
        .order_by("-created_at")[:limit]
    )
    entries = []
    for action in actions:
        owner = " and ".join(
            str(o)
            for o in (
                action.owner_user.full_name if action.owner_user else None,
                action.owner_agency,
            )
            if o
        )
        if action.is_open:
            state = f"open, due {_date(action.due_on)}"
        else:
            state = f"closed: {Truncator(action.outcome).chars(120)}"
        day = _local_date(action.created_at)
        entries.append(
            Entry(
                when=action.created_at,
                kind=ACTION,
                summary=(
                    f"Action agreed at {action.meeting}: {Truncator(action.description).chars(160)}"
                    f" ({owner}; {state})"
                ),
                sort_key=_key(day, action.created_at),
            )
        )
    return entries


def _pathway(person: YoungPerson, limit: int) -> list[Entry]:
    """The steps of the young person's Risk Management Pathway episodes, each linking to its
    episode. Anyone who may see the young person may see their episodes."""
    events = (
        EpisodeEvent.objects.filter(episode__young_person=person, episode__area_id=person.area_id)
        .select_related("actor")
        .order_by("-at", "-created_at")[:limit]
    )
    entries = []
    for event in events:
        entries.append(
            Entry(
                when=event.at,
                kind=PATHWAY,
                summary=f"Risk Management Pathway: {event.summary} ({event.actor.full_name})",
                sort_key=_key(_local_date(event.at), event.at),
                url=reverse("pathway:detail", args=[event.episode_id]),
            )
        )
    return entries


# ---------------------------------------------------------------------------------------------
# The timeline
# ---------------------------------------------------------------------------------------------


def young_person_timeline_for_user(
    user: Any,
    person: YoungPerson,
    *,
    kinds: Iterable[str] = (),
    page: int = 1,
    page_size: int = PAGE_SIZE,
    link_rows: list[LinkRow] | None = None,
) -> Timeline:
    """Page ``page`` of ``person``'s timeline as ``user`` may see it, newest first, limited
    to ``kinds`` (none: every kind the user may see). The caller must already have checked
    that the user may see the young person (``access_young_person``). ``link_rows`` are the
    person's links if the caller has them already (``links_for_young_person``)."""
    allowed = kinds_for_user(user, person)
    selected = frozenset(k for k in kinds if k in allowed)
    shown = [k for k in allowed if not selected or k in selected]
    page = max(1, min(int(page), MAX_PAGE))
    limit = page * page_size + 1  # one more than the page needs: is there an older page?

    entries: list[Entry] = []
    if INTELLIGENCE in shown:
        entries += _intelligence(user, person, limit)
    if MISSING in shown:
        entries += _missing(person, limit)
    if TIER in shown:
        entries += _tiers(person, limit)
    if LINK in shown:
        rows = link_rows if link_rows is not None else links_for_young_person(user, person)
        entries += _links(rows, person)
    if REFERRAL in shown:
        entries += _referrals(person, limit)
    if GROUP in shown:
        entries += _groups(person, limit)
    if ACTION in shown:
        entries += _actions(user, person, limit)
    if PATHWAY in shown:
        entries += _pathway(person, limit)

    entries.sort(key=lambda e: e.sort_key, reverse=True)
    start = (page - 1) * page_size
    return Timeline(
        entries=entries[start : start + page_size],
        page=page,
        has_older=len(entries) > start + page_size,
        kinds=[KindOption(k, KIND_FILTER_LABELS[k], k in selected) for k in allowed],
        selected=selected,
    )


def timeline_request(params: Mapping[str, Any]) -> tuple[list[str], int]:
    """The kinds and page asked for in a page's query (``kind=…&timeline_page=…``); anything
    unknown or malformed is ignored (a filter, not a form: no error to show)."""
    getlist = getattr(params, "getlist", None)
    raw_kinds = getlist("kind") if callable(getlist) else params.get("kind", [])
    if isinstance(raw_kinds, str):
        raw_kinds = [raw_kinds]
    kinds = [k for k in raw_kinds if k in KIND_LABELS]
    try:
        page = int(params.get("timeline_page", 1))
    except (TypeError, ValueError):
        page = 1
    return kinds, max(1, min(page, MAX_PAGE))


# ---------------------------------------------------------------------------------------------
# What the young person's and the person of interest's pages add
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortStatus:
    current: CohortMembership | None
    ever: bool  # has been on the area's cohort at some time


def cohort_status_for_user(user: Any, person: YoungPerson) -> CohortStatus | None:
    """The young person's current cohort spell, for users who may see the cohort; else None
    (the page then says nothing about the cohort)."""
    if not policy.check("can_view_cohort", user, person):
        return None
    spells = list(
        CohortMembership.objects.filter(young_person=person, area_id=person.area_id).order_by(
            "-entered_at"
        )[:2]
    )
    current = next((s for s in spells if s.exited_at is None), None)
    return CohortStatus(current=current, ever=bool(spells))


def young_person_page_context(
    user: Any, person: YoungPerson, params: Mapping[str, Any]
) -> dict[str, Any]:
    """The timeline, links and cohort tier for the young person's page. The caller has
    checked (and audited) the user's read of the young person."""
    link_rows = (
        links_for_young_person(user, person) if policy.check("can_view_link", user, person) else []
    )
    kinds, page = timeline_request(params)
    add_link = None
    # The link pages start only from young people in the user's lists (not from a record
    # seen under emergency access): offer the button only where it leads somewhere.
    if policy.check("can_record_link", user, person) and end_get(user, "young_person", person.pk):
        add_link = (
            reverse("links:create")
            + "?"
            + urlencode({"from_type": "young_person", "from_id": str(person.pk)})
        )
    return {
        "timeline": young_person_timeline_for_user(
            user, person, kinds=kinds, page=page, link_rows=link_rows
        ),
        "links": link_rows,
        "show_links": policy.check("can_view_link", user, person),
        "add_link_url": add_link,
        "cohort_status": cohort_status_for_user(user, person),
    }


POI_INTELLIGENCE_LIMIT = 100


@dataclass(frozen=True)
class PoiIntelligence:
    listed: list[Any]  # ListedItem, each readable in full
    more: bool  # more items than were read: the newest are shown
    caption: str


def intelligence_about_poi_for_user(user: Any, poi: PersonOfInterest) -> PoiIntelligence:
    """Intelligence about the person of interest that the user may read in full. Items the
    user may know exist but not read are left out: their restricted summary never names a
    person of interest, so listing them here would."""
    qs = (
        intelligence_search_for_user(user)
        .filter(persons_of_interest=poi)
        .order_by("-reported_on", "-created_at", "pk")
    )
    read = with_access(user, qs[: POI_INTELLIGENCE_LIMIT + 1])
    more = len(read) > POI_INTELLIGENCE_LIMIT
    listed = [entry for entry in read[:POI_INTELLIGENCE_LIMIT] if entry.full]
    return PoiIntelligence(listed=listed, more=more, caption=f"Intelligence about {poi}")


def poi_page_context(user: Any, poi: PersonOfInterest) -> dict[str, Any]:
    """The links and intelligence for the person-of-interest page. The caller has checked
    (and audited) the user's read of the person of interest."""
    add_link = None
    if policy.check("can_record_link", user, poi):
        add_link = (
            reverse("links:create")
            + "?"
            + urlencode({"from_type": "person_of_interest", "from_id": str(poi.pk)})
        )
    return {
        "links": links_for(poi, user),
        "add_link_url": add_link,
        "poi_intelligence": intelligence_about_poi_for_user(user, poi),
    }
