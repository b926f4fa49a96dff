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
