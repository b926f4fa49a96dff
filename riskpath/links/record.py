"""What links add to the records they join: the links section of a young person's, a person
of interest's, a location's and a group's page (with the way to add one), and the links on a
young person's timeline. Young people the user is not involved with are not named
(``links_for``); persons of interest reach only users who may see them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from riskpath.access import policy
from riskpath.accounts.models import User
from riskpath.core import clock
from riskpath.core.pages import register_part
from riskpath.governance import retention
from riskpath.governance import sources as sar
from riskpath.governance.enums import RecordKind, Trigger
from riskpath.groups.ends import end_get, end_type_of
from riskpath.links.models import Link
from riskpath.links.selectors import LinkRow, links_for
from riskpath.people import merge, timeline
from riskpath.people.models import PersonOfInterest, YoungPerson

SHARED_ROWS = "links.rows"  # the young person's links, read once for the page and timeline


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


def _rows(user: Any, person: YoungPerson, shared: dict[str, Any]) -> list[LinkRow]:
    if SHARED_ROWS not in shared:
        shared[SHARED_ROWS] = (
            links_for_young_person(user, person)
            if policy.check("can_view_link", user, person)
            else []
        )
    rows: list[LinkRow] = shared[SHARED_ROWS]
    return rows


def _timeline_entries(rows: Iterable[LinkRow], person: YoungPerson) -> list[timeline.Entry]:
    entries = []
    for row in rows:
        link = row.link
        day = link.last_seen or link.first_seen or timeline.local_date(link.created_at)
        this_is_source = (
            link.source_young_person_id == person.pk and row.source.type == "young_person"
        )
        if this_is_source:
            sentence = f"{person} {row.verb} {row.other.label}"
        else:
            sentence = f"{row.source.label} {row.verb} {person}"
        seen = (
            f" (last seen {timeline.long_date(link.last_seen)})"
            if link.last_seen
            else (f" (first seen {timeline.long_date(link.first_seen)})" if link.first_seen else "")
        )
        entries.append(
            timeline.Entry(
                when=day,
                kind=timeline.LINK,
                summary=f"Linked: {sentence}{seen}, {link.get_strength_display().lower()}",
                url=reverse("links:detail", args=[link.pk]),
                sort_key=timeline.key(day, link.created_at),
            )
        )
    return entries


timeline.register_source(
    timeline.LINK,
    label="Link",
    filter_label="Links",
    order=40,
    visible=lambda user, person: policy.check("can_view_link", user, person),
    entries=lambda user, person, limit, shared: _timeline_entries(
        _rows(user, person, shared), person
    ),
)


def add_link_url(user: Any, obj: Any) -> str | None:
    """Where to add a link from ``obj``'s page, if the user may and the page leads somewhere:
    the link pages start only from records in the user's lists (a young person seen under
    emergency access is not one)."""
    kind = end_type_of(obj)
    if not policy.check("can_record_link", user, obj):
        return None
    # The page's own lookup found the record in the user's area; only a young person may be
    # on the page without being in the user's lists.
    if kind == "young_person" and end_get(user, kind, obj.pk) is None:
        return None
    return reverse("links:create") + "?" + urlencode({"from_type": kind, "from_id": str(obj.pk)})


def _young_person_part(user: Any, person: YoungPerson, shared: dict[str, Any]) -> dict[str, Any]:
    return {
        "links": _rows(user, person, shared),
        "show_links": policy.check("can_view_link", user, person),
        "add_link_url": add_link_url(user, person),
    }


def _record_part(user: Any, obj: Any, shared: dict[str, Any]) -> dict[str, Any]:
    return {"links": links_for(obj, user), "add_link_url": add_link_url(user, obj)}


register_part("young_person", "links", _young_person_part, order=30)
for _page in ("person_of_interest", "location", "group"):
    register_part(_page, "links", _record_part, order=30)


# ---------------------------------------------------------------------------------------------
# Merging two records of one young person (or of one person of interest): a link between them
# would join the person to themselves, so it is retired (soft-deleted) rather than moved, and
# restored on undo.
# ---------------------------------------------------------------------------------------------

LINK_RETIRED_REASON = "A link between two records of one person, retired when they merged"


def _between(keep: YoungPerson | PersonOfInterest, away: YoungPerson | PersonOfInterest) -> Any:
    end = "young_person" if isinstance(keep, YoungPerson) else "person_of_interest"
    source, target = f"source_{end}", f"target_{end}"
    return Link.objects.filter(
        Q(**{source: keep, target: away}) | Q(**{source: away, target: keep})
    )


def _retire(actor: User, keep: Any, away: Any) -> list[str]:
    ids = sorted(str(pk) for pk in _between(keep, away).values_list("pk", flat=True))
    if ids:
        Link.objects.filter(pk__in=ids).update(
            deleted_at=clock.now(), deleted_by=actor, deletion_reason=LINK_RETIRED_REASON
        )
    return ids


def _restore(ids: list[str]) -> None:
    Link.all_objects.filter(pk__in=ids).update(deleted_at=None, deleted_by=None, deletion_reason="")


for _model in (YoungPerson, PersonOfInterest):
    merge.register_set_aside(
        merge.SetAside(
            key="links.retired", model_label="links.link", prepare=_retire, undo=_restore
        ),
        model=_model,
    )


# ---------------------------------------------------------------------------------------------
# A subject access request (``riskpath.governance.sources``): every link of the young person,
# deleted ones too, naming who is at the other end for the officer's redaction review.
# ---------------------------------------------------------------------------------------------


def _end(link: Link, side: str) -> tuple[str, sar.Party | None, str]:
    """(label, party, kind) of one end of a link."""
    yp = getattr(link, f"{side}_young_person")
    if yp is not None:
        party = sar.young_person_party(yp)
        return party.name, party, "young_person"
    poi = getattr(link, f"{side}_person_of_interest")
    if poi is not None:
        party = sar.person_of_interest_party(poi)
        return party.name, party, "person_of_interest"
    place = getattr(link, f"{side}_location") or getattr(link, f"{side}_group")
    return str(place or "a record"), None, "other"


def _held(person: YoungPerson) -> list[sar.Held]:
    ends = [
        f"{side}_{kind}"
        for side in ("source", "target")
        for kind in ("young_person", "person_of_interest", "location", "group")
    ]
    links = (
        Link.all_objects.filter(Q(source_young_person=person) | Q(target_young_person=person))
        .select_related("recorded_by", *ends)
        .order_by("created_at")
    )
    out = []
    for link in links:
        source, source_party, _ = _end(link, "source")
        target, target_party, _ = _end(link, "target")
        seen = ", ".join(
            part
            for part in (
                f"first seen {link.first_seen:%-d %B %Y}" if link.first_seen else "",
                f"last seen {link.last_seen:%-d %B %Y}" if link.last_seen else "",
                f"deleted {link.deleted_at:%-d %B %Y}" if link.deleted_at else "",
            )
            if part
        )
        out.append(
            sar.Held(
                when=link.first_seen or link.created_at,
                kind="Link",
                title=f"{link.get_kind_display()} link between {source} and {target}",
                text=f"Strength: {link.get_strength_display()}" + (f"; {seen}" if seen else ""),
                ref=f"links.link:{link.pk}",
                parties=sar.parties(source_party, target_party, sar.professional(link.recorded_by)),
            )
        )
    return out


sar.register_source("links", label="Links", order=40, entries=_held)


# ---------------------------------------------------------------------------------------------
# Retention (``riskpath.governance.retention``): links have their own, shorter review. A link
# is held when a hold covers a young person or group at either end.
# ---------------------------------------------------------------------------------------------


def _retention_candidates(area: Any, rule: Any, today: Any) -> list[retention.Candidate]:
    out = []
    links = Link.objects.filter(area=area).only(
        "pk",
        "first_seen",
        "last_seen",
        "created_at",
        "updated_at",
        "source_young_person_id",
        "target_young_person_id",
        "source_group_id",
        "target_group_id",
    )
    for link in links:
        if rule.trigger == Trigger.LAST_ACTIVITY:
            start = link.last_seen or link.first_seen or link.updated_at.date()
        elif rule.trigger == Trigger.CREATED:
            start = link.created_at.date()
        else:
            continue
        due = retention.due_date(start, rule)
        if due > today:
            continue
        keys = {("links.link", str(link.pk))}
        for yp in (link.source_young_person_id, link.target_young_person_id):
            if yp:
                keys.add((retention.YOUNG_PERSON_KEY, str(yp)))
        for group in (link.source_group_id, link.target_group_id):
            if group:
                keys.add(("groups.group", str(group)))
        out.append(
            retention.Candidate(
                record_id=str(link.pk),
                label=f"Link {str(link.pk)[:8]}",
                due_on=due,
                keys=frozenset(keys),
            )
        )
    return out


def _retention_dispose(record_id: str) -> dict[str, int]:
    link = Link.all_objects.get(pk=record_id)
    evidence = link.evidence.count()
    link.evidence.clear()
    link.first_seen = link.last_seen = None
    link.deleted_at = link.deleted_at or clock.now()
    link.deletion_reason = "Disposed of under the retention schedule"
    link.save()
    return {"link": 1, "evidence": evidence}


retention.register_kind(
    RecordKind.LINK, candidates=_retention_candidates, dispose=_retention_dispose
)
