"""Reads of links, scoped to the user's area and the policy.

``links_for(entity, user)`` is the one to use on any record's page (young person, person of
interest, location, group): the live links touching the entity at either end, each end shown
as the user may see it (a young person the user is not involved with is not named)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.db.models import ForeignKey, Q, QuerySet

from riskpath.access import policy
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import NotFound, NotPermitted
from riskpath.groups.ends import (
    END_MODELS,
    ENDS,
    Shown,
    end_type_of,
    show,
    visible_young_person_ids,
)
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import Link
from riskpath.links.services import BASIS, citable

_RELATED = [f"{side}_{end}" for side in ("source", "target") for end in ENDS] + [
    "source_person_of_interest__young_person",
    "target_person_of_interest__young_person",
]


_END_FIELDS: dict[tuple[str, str], ForeignKey[Any, Any]] = {
    (side, name): cast("ForeignKey[Any, Any]", Link._meta.get_field(f"{side}_{name}"))
    for side in ("source", "target")
    for name in ENDS
}


@dataclass(frozen=True)
class LinkRow:
    """A link as one user sees it. ``other`` is the far end from the entity the links were
    asked for (``links_for``), else the target."""

    link: Link
    source: Shown
    target: Shown
    other: Shown

    @property
    def verb(self) -> str:
        return self.link.get_kind_display().lower()


def link_queryset_for_user(user: Any) -> QuerySet[Link]:
    """The live links of the user's area. Their ends are loaded by ``rows_for`` (one query
    per kind of end, not one per row)."""
    if not policy.check("can_view_link", user):
        return Link.objects.none()
    return Link.objects.filter(area_id=user.area_id).order_by("-last_seen", "-created_at", "pk")


def attach_ends(links: list[Link]) -> None:
    """Load the ends of ``links`` with at most one query per kind of end (four), in place of
    an eleven-way join, whose planning alone cost PostgreSQL about 30 ms on a young person's
    page. Ends already loaded (``select_related``) are left as they are. Like a join, this
    reads an end even if it has been deleted since: the link still points at it."""
    wanted: dict[str, set[Any]] = {name: set() for name in ENDS}
    for link in links:
        for side in ("source", "target"):
            for name in ENDS:
                pk = getattr(link, f"{side}_{name}_id")
                if pk is not None and not _END_FIELDS[side, name].is_cached(link):
                    wanted[name].add(pk)
    loaded: dict[str, dict[Any, Any]] = {}
    for name, ids in wanted.items():
        if not ids:
            continue
        qs = END_MODELS[name]._base_manager.filter(pk__in=ids)
        if name == "person_of_interest":
            qs = qs.select_related("young_person")
        loaded[name] = {obj.pk: obj for obj in qs}
    for link in links:
        for side in ("source", "target"):
            for name in ENDS:
                pk = getattr(link, f"{side}_{name}_id")
                if pk is not None and pk in loaded.get(name, {}):
                    setattr(link, f"{side}_{name}", loaded[name][pk])


def touching(entity: Any) -> Q:
    """Links with ``entity`` at either end."""
    kind = end_type_of(entity)
    return Q(**{f"source_{kind}": entity}) | Q(**{f"target_{kind}": entity})


def rows_for(user: Any, links: Iterable[Link], entity: Any = None) -> list[LinkRow]:
    """Links as ``user`` may see them (their ends loaded in at most four queries, one more
    for young people's visibility)."""
    links = list(links)
    attach_ends(links)
    young = {
        pk
        for link in links
        for pk in (link.source_young_person_id, link.target_young_person_id)
        if pk is not None
    }
    visible = visible_young_person_ids(user, young)
    rows = []
    for link in links:
        source, target = show(link.source, visible), show(link.target, visible)
        other = target
        far: Any = link.target
        if entity is not None and type(far) is type(entity):
            if far.pk == entity.pk:
                other = source
        rows.append(LinkRow(link=link, source=source, target=target, other=other))
    return rows


def links_for(entity: Any, user: Any) -> list[LinkRow]:
    """The live links touching ``entity`` (a young person, person of interest, location or
    group) that ``user`` may see, newest sighting first, for display. Empty for a user
    without ``can_view_link`` or an entity of another area. Not audited: the page showing
    them records its own read."""
    if getattr(entity, "area_id", None) != user.area_id:
        return []
    links = link_queryset_for_user(user).filter(touching(entity))[:500]
    return rows_for(user, links, entity)


def access_link(
    user: Any, pk: Any, *, rule: str = "can_view_link", include_deleted: bool = False
) -> Link:
    """The link ``pk`` if ``user`` passes ``rule`` for it; another area's, or a missing one,
    is a 404."""
    manager = Link.all_objects if include_deleted else Link.objects
    link = manager.select_related(*_RELATED).filter(pk=pk, area_id=user.area_id).first()
    if link is None:
        raise NotFound("No such link")
    if not policy.check(rule, user, link):
        raise NotPermitted()
    return link


def link_get_for_user(user: Any, pk: Any, *, rule: str = "can_view_link") -> LinkRow:
    """Look up (passing ``rule``) and record the read (subject: the young person at either
    end, if any) in one step; if the event cannot be written the caller gets the exception,
    never the link."""
    with transaction.atomic():
        link = access_link(user, pk, rule=rule)
        audit_record(
            actor=user,
            verb=Verb.LINK_VIEWED,
            target=link,
            subject=link.source_young_person or link.target_young_person,
            basis=BASIS,
        )
    return rows_for(user, [link])[0]


@dataclass(frozen=True)
class Evidence:
    shown: list[IntelligenceItem]
    withheld: int  # items cited that this user may not see


def link_evidence_for_user(user: Any, link: Link) -> Evidence:
    items = list(link.evidence.select_related("source_agency").order_by("-reported_on"))
    shown = citable(user, items)
    return Evidence(shown=shown, withheld=len(items) - len(shown))
