"""The network chart's reads: the links around a record (young person, person of interest,
location, group) to a depth of 1 to 3, a whole group, or the cohort, as one user may see them,
analysed (``analysis``) and audited (``NETWORK_VIEWED``) before anything is shown.

What the user may see is decided by the one access policy, as on the record pages:

- a young person is a node only for a user involved with them (``visible_young_person_ids``),
  or the young person the chart is around, whom ``access_young_person`` let them open; a person
  of interest who is also a young person the user may not open is treated the same way;
- any other record the user may not open is never a node: not its name, not its id, not a
  measure (the analysis runs on the visible graph only), and the chart does not go on through
  it. Where the policy lets the user know such a record exists (``can_know_young_person_exists``),
  it is counted: "1 linked record you may not open";
- evidence is shown only where the user may cite it (``links.services.citable``), and the
  evidence filters (harm type, grading, source agency) read only that evidence, so a filter
  never tells the user what an item they may not read says.

A group's memberships are edges too ("recorded in the group"), so that a whole group can be
charted; links carry their type, strength, dates, evidence and who recorded them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse

from riskpath.access import policy
from riskpath.accounts.models import Agency
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.cohort.models import CohortMembership
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.groups.ends import END_LABELS, ENDS, end_type_of, end_url, visible_young_person_ids
from riskpath.groups.models import GroupMembership
from riskpath.groups.selectors import access_group
from riskpath.intelligence.enums import harm_type_labels
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import Link, LinkKind, LinkStrength
from riskpath.links.selectors import attach_ends
from riskpath.links.services import citable
from riskpath.locations.selectors import access_location
from riskpath.network.analysis import Finding, Measures, analyse
from riskpath.people.selectors import access_person_of_interest, access_young_person

RULE = "can_view_network"
BASIS = "recording member of the partnership"
MAX_NODES = 300
# A step's query leaves out the links an earlier step read, up to this many (a bigger list of
# ids would cost more than reading them again).
FETCHED_EXCLUDED = 10_000
DEPTHS = (1, 2, 3)
GROUP_DEPTH = 2  # a whole group: its members, and what each of them is linked to
MEMBERSHIP = "membership"
MEMBERSHIP_LABEL = "Recorded in the group"
# Strongest first: a minimum strength keeps itself and those before it.
STRENGTH_ORDER = [LinkStrength.CONFIRMED, LinkStrength.TENTATIVE, LinkStrength.UNCONFIRMED]


# ---------------------------------------------------------------------------------------------
# What is asked for
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """``around`` a record (``end_type``, ``pk``) to ``depth``; or the ``cohort``."""

    kind: str  # "around" or "cohort"
    end_type: str = ""
    pk: Any = None
    depth: int = 1


@dataclass(frozen=True)
class Filters:
    link_kinds: tuple[str, ...] = ()
    min_strength: str = ""
    seen_from: dt.date | None = None
    seen_to: dt.date | None = None
    harm_type: str = ""
    source_evaluation: str = ""  # at least this reliable: "1" best
    assessment: str = ""  # at least this well known: "A" best
    agency: str = ""  # the source agency of the evidence (its id)

    @property
    def on_evidence(self) -> bool:
        return bool(self.harm_type or self.source_evaluation or self.assessment or self.agency)

    @property
    def on_links_only(self) -> bool:
        """Set on something only a link has (not a group membership)."""
        return bool(self.min_strength or self.on_evidence) or bool(
            self.link_kinds and MEMBERSHIP not in self.link_kinds
        )

    def as_dict(self) -> dict[str, Any]:
        out = {
            "kind": list(self.link_kinds),
            "strength": self.min_strength,
            "seen_from": self.seen_from.isoformat() if self.seen_from else "",
            "seen_to": self.seen_to.isoformat() if self.seen_to else "",
            "harm_type": self.harm_type,
            "source_evaluation": self.source_evaluation,
            "assessment": self.assessment,
            "agency": self.agency,
        }
        return {k: v for k, v in out.items() if v}


def parse_around(text: str) -> tuple[str, str]:
    """``<kind>:<id>`` -> (kind, id); a message naming ``around`` otherwise."""
    kind, sep, pk = (text or "").partition(":")
    if not sep or kind not in ENDS:
        raise FieldErrors(
            {"around": f"Give the record as <kind>:<id>, the kind one of: {', '.join(ENDS)}"}
        )
    try:
        uuid.UUID(pk)
    except ValueError:
        raise FieldErrors({"around": "Give the record's id after the colon, a UUID"}) from None
    return kind, pk


def parse_depth(value: Any, default: int = 1) -> int:
    if value in (None, ""):
        return default
    try:
        depth = int(value)
    except (TypeError, ValueError):
        depth = 0
    if depth not in DEPTHS:
        raise FieldErrors({"depth": "Give a depth of 1, 2 or 3"})
    return depth


# ---------------------------------------------------------------------------------------------
# What is shown
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceShown:
    id: Any
    grading: str
    agency: str
    reported_on: dt.date
    harm_types: list[str]
    url: str


@dataclass
class Node:
    id: str
    kind: str
    pk: Any
    label: str
    url: str | None
    centre: bool = False
    tier: int | None = None
    hidden_neighbours: int = 0
    measures: Measures | None = None

    @property
    def kind_label(self) -> str:
        return END_LABELS[self.kind]

    @property
    def hidden_text(self) -> str:
        return hidden_text(self.hidden_neighbours)


@dataclass
class Edge:
    id: str
    source: str
    target: str
    type: str
    type_label: str
    strength: str
    strength_label: str
    first_seen: dt.date | None
    last_seen: dt.date | None
    recorded_by: str
    url: str | None
    source_label: str = ""
    target_label: str = ""
    evidence: list[EvidenceShown] = field(default_factory=list)
    withheld: int = 0

    @property
    def evidence_count(self) -> int:
        return len(self.evidence)


@dataclass
class Network:
    scope: Scope
    filters: Filters
    title: str
    centre: Node | None
    nodes: list[Node]
    edges: list[Edge]
    hidden: int
    capped: bool
    findings: list[Finding]
    components: int
    communities: int
    limit: int = MAX_NODES

    def node(self, node_id: str) -> Node:
        return self._by_id[node_id]

    def __post_init__(self) -> None:
        self._by_id = {n.id: n for n in self.nodes}

    @property
    def hidden_text(self) -> str:
        return hidden_text(self.hidden)


def hidden_text(count: int) -> str:
    """ "1 linked record you may not open", "3 linked records you may not open"; "" for none."""
    if not count:
        return ""
    return f"{count} linked record{'' if count == 1 else 's'} you may not open"


def node_id(kind: str, pk: Any) -> str:
    return f"{kind}:{pk}"


# ---------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------


class _Builder:
    """Breadth first from the start, one query for links and one for memberships per level."""

    def __init__(self, user: Any, filters: Filters, limit: int) -> None:
        self.user = user
        self.filters = filters
        self.limit = limit
        self.nodes: dict[str, Node] = {}
        self.edges: dict[str, Edge] = {}
        self.hidden: set[str] = set()
        self.capped = False
        self.may_count_hidden = policy.check("can_know_young_person_exists", user)
        self.visible_young: set[Any] = set()
        self.asked_young: set[Any] = set()

    # -- visibility --------------------------------------------------------------------------

    def learn(self, objs: Iterable[Any]) -> None:
        """Ask once which of the young people behind ``objs`` the user may know by name."""
        wanted = set()
        for obj in objs:
            kind = end_type_of(obj)
            if kind == "young_person":
                wanted.add(obj.pk)
            elif kind == "person_of_interest" and obj.young_person_id:
                wanted.add(obj.young_person_id)
        wanted -= self.asked_young
        if wanted:
            self.visible_young |= visible_young_person_ids(self.user, wanted)
            self.asked_young |= wanted

    def visible(self, obj: Any) -> bool:
        kind = end_type_of(obj)
        if kind == "young_person":
            return obj.pk in self.visible_young
        if kind == "person_of_interest" and obj.young_person_id:
            return obj.young_person_id in self.visible_young
        return True  # persons of interest, places, groups: every user the rule lets in

    def add(self, obj: Any, *, centre: bool = False) -> Node:
        kind = end_type_of(obj)
        key = node_id(kind, obj.pk)
        if key not in self.nodes:
            self.nodes[key] = Node(
                id=key, kind=kind, pk=obj.pk, label=str(obj), url=end_url(obj), centre=centre
            )
        return self.nodes[key]

    # -- reading -----------------------------------------------------------------------------

    def _links(self, frontier: list[Node]) -> list[Link]:
        ids: dict[str, list[Any]] = defaultdict(list)
        for node in frontier:
            ids[node.kind].append(node.pk)
        touching = Q(pk__in=[])
        for kind, pks in ids.items():
            touching |= Q(**{f"source_{kind}_id__in": pks}) | Q(**{f"target_{kind}_id__in": pks})
        links = Link.objects.filter(touching, area_id=self.user.area_id)
        if 0 < len(self.fetched) <= FETCHED_EXCLUDED:
            links = links.exclude(pk__in=list(self.fetched))  # read at an earlier step
        f = self.filters
        if f.link_kinds:
            links = links.filter(kind__in=[k for k in f.link_kinds if k != MEMBERSHIP])
        if f.min_strength:
            keep = STRENGTH_ORDER[: STRENGTH_ORDER.index(LinkStrength(f.min_strength)) + 1]
            links = links.filter(strength__in=keep)
        if f.seen_from:
            links = links.filter(
                Q(last_seen__gte=f.seen_from)
                | Q(last_seen__isnull=True, first_seen__gte=f.seen_from)
            )
        if f.seen_to:
            links = links.filter(
                Q(first_seen__lte=f.seen_to) | Q(first_seen__isnull=True, last_seen__lte=f.seen_to)
            )
        evidence = IntelligenceItem.objects.select_related("source_agency").order_by(
            "-reported_on", "pk"
        )
        result = list(
            links.select_related("recorded_by__agency")
            .prefetch_related(Prefetch("evidence", queryset=evidence))
            .order_by("-last_seen", "-created_at", "pk")
        )
        attach_ends(result)
        return result

    def _memberships(self, frontier: list[Node]) -> list[GroupMembership]:
        if self.filters.on_links_only:
            return []
        by_kind: dict[str, list[Any]] = defaultdict(list)
        for node in frontier:
            by_kind[node.kind].append(node.pk)
        touching = Q(pk__in=[])
        if by_kind["group"]:
            touching |= Q(group_id__in=by_kind["group"])
        if by_kind["young_person"]:
            touching |= Q(young_person_id__in=by_kind["young_person"])
        if by_kind["person_of_interest"]:
            touching |= Q(person_of_interest_id__in=by_kind["person_of_interest"])
        found = GroupMembership.objects.filter(
            touching, left_on__isnull=True, group__area_id=self.user.area_id
        )
        f = self.filters
        if f.seen_to:
            found = found.filter(joined_on__lte=f.seen_to)
        if f.seen_from:
            found = found.filter(joined_on__isnull=False)
        return list(
            found.select_related(
                "group__recording_agency", "young_person", "person_of_interest__young_person"
            ).order_by("joined_on", "pk")
        )

    def _shown_evidence(self, links: list[Link]) -> dict[Any, list[IntelligenceItem]]:
        items = [item for link in links for item in link.evidence.all()]
        ok = {item.pk for item in citable(self.user, items)}
        return {link.pk: [i for i in link.evidence.all() if i.pk in ok] for link in links}

    def _evidence_passes(self, items: list[IntelligenceItem]) -> bool:
        f = self.filters
        if not f.on_evidence:
            return True
        for item in items:
            if f.harm_type and f.harm_type not in (item.harm_types or []):
                continue
            if f.source_evaluation and item.source_evaluation > f.source_evaluation:
                continue
            if f.assessment and item.assessment > f.assessment:
                continue
            if f.agency and str(item.source_agency_id) != f.agency:
                continue
            return True
        return False

    # -- growing -----------------------------------------------------------------------------

    def _join(self, near: Node, far_obj: Any, expanding: bool, grown: list[Node]) -> Node | None:
        """The node at the far end of an edge from ``near``, added if it may be; None when it
        is hidden, deleted, or past the cap."""
        if getattr(far_obj, "deleted_at", None) is not None:
            return None
        kind = end_type_of(far_obj)
        key = node_id(kind, far_obj.pk)
        if key in self.nodes:
            return self.nodes[key]
        if not self.visible(far_obj):
            if self.may_count_hidden and key not in self.hidden_of.get(near.id, set()):
                self.hidden_of[near.id].add(key)
                near.hidden_neighbours += 1
                self.hidden.add(key)
            return None
        if not expanding:
            return None
        if len(self.nodes) >= self.limit:
            self.capped = True
            return None
        node = self.add(far_obj)
        grown.append(node)
        return node

    hidden_of: dict[str, set[str]]

    def grow(self, start: list[Node], depth: int) -> None:
        self.hidden_of = defaultdict(set)
        self.fetched: set[Any] = set()
        frontier = start
        for level in range(depth + 1):
            if not frontier:
                break
            expanding = level < depth
            links = self._links(frontier)
            self.fetched.update(link.pk for link in links)
            memberships = self._memberships(frontier)
            self.learn(
                [end for link in links for end in (link.source, link.target)]
                + [m.young_person or m.person_of_interest for m in memberships]
            )
            shown = self._shown_evidence(links)
            grown: list[Node] = []
            for link in links:
                if not self._evidence_passes(shown[link.pk]):
                    continue
                self._edge_of_link(link, shown[link.pk], expanding, grown)
            for membership in memberships:
                self._edge_of_membership(membership, expanding, grown)
            frontier = grown

    def _ends(
        self, a_obj: Any, b_obj: Any, expanding: bool, grown: list[Node]
    ) -> tuple[Node, Node] | None:
        a_key = node_id(end_type_of(a_obj), a_obj.pk)
        b_key = node_id(end_type_of(b_obj), b_obj.pk)
        if a_key in self.nodes and b_key in self.nodes:
            return self.nodes[a_key], self.nodes[b_key]
        if a_key in self.nodes:
            far = self._join(self.nodes[a_key], b_obj, expanding, grown)
            return (self.nodes[a_key], far) if far else None
        if b_key in self.nodes:
            far = self._join(self.nodes[b_key], a_obj, expanding, grown)
            return (far, self.nodes[b_key]) if far else None
        return None

    def _edge_of_link(
        self, link: Link, evidence: list[IntelligenceItem], expanding: bool, grown: list[Node]
    ) -> None:
        key = f"link:{link.pk}"
        if key in self.edges:
            return
        ends = self._ends(link.source, link.target, expanding, grown)
        if ends is None:
            return
        recorder = link.recorded_by
        self.edges[key] = Edge(
            id=key,
            source=ends[0].id,
            target=ends[1].id,
            type=link.kind,
            type_label=LinkKind(link.kind).label,
            strength=link.strength,
            strength_label=LinkStrength(link.strength).label,
            first_seen=link.first_seen,
            last_seen=link.last_seen,
            recorded_by=str(recorder.agency) if recorder.agency_id else "Not known",
            url=reverse("links:detail", args=[link.pk]),
            source_label=ends[0].label,
            target_label=ends[1].label,
            evidence=[
                EvidenceShown(
                    id=item.pk,
                    grading=item.grading,
                    agency=str(item.source_agency),
                    reported_on=item.reported_on,
                    harm_types=harm_type_labels(item.harm_types),
                    url=reverse("intelligence:detail", args=[item.pk]),
                )
                for item in evidence
            ],
            withheld=len(link.evidence.all()) - len(evidence),
        )

    def _edge_of_membership(
        self, membership: GroupMembership, expanding: bool, grown: list[Node]
    ) -> None:
        key = f"membership:{membership.pk}"
        if key in self.edges:
            return
        person = membership.young_person or membership.person_of_interest
        ends = self._ends(person, membership.group, expanding, grown)
        if ends is None:
            return
        self.edges[key] = Edge(
            id=key,
            source=ends[0].id,
            target=ends[1].id,
            type=MEMBERSHIP,
            type_label=MEMBERSHIP_LABEL,
            strength="",
            strength_label="Not graded (a group membership)",
            first_seen=membership.joined_on,
            last_seen=None,
            recorded_by=str(membership.group.recording_agency)
            if membership.group.recording_agency_id
            else "Not known",
            url=None,
            source_label=ends[0].label,
            target_label=ends[1].label,
        )

    def tiers(self) -> None:
        young = [n.pk for n in self.nodes.values() if n.kind == "young_person"]
        if not young:
            return
        current = CohortMembership.objects.filter(
            young_person_id__in=young, exited_at__isnull=True, area_id=self.user.area_id
        ).values_list("young_person_id", "tier")
        for pk, tier in current:
            self.nodes[node_id("young_person", pk)].tier = tier


def _resolve(user: Any, end_type: str, pk: Any) -> tuple[Any, str]:
    """The record the chart is around, if the user may open it (404 otherwise), and the basis."""
    if end_type == "young_person":
        seen = access_young_person(user, pk, rule=RULE)
        return seen.person, seen.basis
    if end_type == "person_of_interest":
        return access_person_of_interest(user, pk, rule=RULE), BASIS
    if end_type == "location":
        return access_location(user, pk, rule=RULE), BASIS
    if end_type == "group":
        return access_group(user, pk, rule=RULE), BASIS
    raise FieldErrors({"around": f"Give the kind as one of: {', '.join(ENDS)}"})


def _cohort_start(builder: _Builder, user: Any) -> list[Node]:
    members = list(
        CohortMembership.objects.filter(area_id=user.area_id, exited_at__isnull=True)
        .select_related("young_person")
        .order_by("tier", "young_person__family_name", "young_person__given_names", "pk")
    )
    people = [m.young_person for m in members if not m.young_person.is_deleted]
    builder.learn(people)
    start = []
    for person in people:
        if not builder.visible(person):
            if builder.may_count_hidden:
                builder.hidden.add(node_id("young_person", person.pk))
            continue
        if len(builder.nodes) >= builder.limit:
            builder.capped = True
            break
        start.append(builder.add(person))
    return start


def network_for_user(
    user: Any, scope: Scope, filters: Filters | None = None, *, limit: int = MAX_NODES
) -> Network:
    """The chart ``scope`` asks for, as ``user`` may see it, analysed; the read is recorded
    (``NETWORK_VIEWED``) before it is returned, and if the event cannot be written the caller
    gets the exception, never the chart. NotFound for a record the user may not open."""
    filters = filters or Filters()
    if scope.depth not in DEPTHS:
        raise FieldErrors({"depth": "Give a depth of 1, 2 or 3"})
    with transaction.atomic():
        builder = _Builder(user, filters, limit)
        target: Any = None
        basis = BASIS
        if scope.kind == "cohort":
            if not policy.check("can_view_cohort", user):
                raise NotPermitted()
            start = _cohort_start(builder, user)
            title = "The cohort's links"
        else:
            target, basis = _resolve(user, scope.end_type, scope.pk)
            start = [builder.add(target, centre=True)]
            if scope.end_type == "young_person":  # opened, perhaps under emergency access
                builder.visible_young.add(target.pk)
                builder.asked_young.add(target.pk)
            title = f"Links around {start[0].label}"
        builder.grow(start, scope.depth)
        builder.tiers()
        nodes = list(builder.nodes.values())
        edges = list(builder.edges.values())
        result = analyse(
            {n.id: (n.kind, n.label) for n in nodes}, [(e.source, e.target) for e in edges]
        )
        for node in nodes:
            node.measures = result.measures.get(node.id)
        audit_record(
            actor=user,
            verb=Verb.NETWORK_VIEWED,
            target=target,
            subject=target if scope.kind == "around" and scope.end_type == "young_person" else None,
            basis=basis,
            changes={
                "scope": scope.kind,
                "depth": scope.depth,
                "nodes": len(nodes),
                "links": len(edges),
                "hidden": len(builder.hidden),
                "capped": builder.capped,
                **filters.as_dict(),
            },
        )
    return Network(
        scope=scope,
        filters=filters,
        title=title,
        centre=start[0] if scope.kind == "around" else None,
        nodes=nodes,
        edges=edges,
        hidden=len(builder.hidden),
        capped=builder.capped,
        findings=result.findings,
        components=result.components,
        communities=result.communities,
        limit=limit,
    )


def agency_choices(user: Any) -> list[tuple[str, str]]:
    """The agencies of the user's area, for the evidence's source agency filter."""
    return [
        (str(pk), name)
        for pk, name in Agency.objects.filter(area_id=user.area_id)
        .order_by("name", "pk")
        .values_list("pk", "name")
    ]
