"""What intelligence adds to a young person's and a person of interest's records: the
intelligence section of their pages and the intelligence entries of the young person's
timeline (restricted summaries for items the handling code keeps from the user)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from riskpath.access import policy
from riskpath.core.pages import register_part
from riskpath.governance import sources as sar
from riskpath.intelligence.selectors import (
    intelligence_about_young_person,
    intelligence_search_for_user,
    intelligence_section,
    with_access,
)
from riskpath.people import timeline
from riskpath.people.models import PersonOfInterest, YoungPerson


def _entries(
    user: Any, person: YoungPerson, limit: int, shared: dict[str, Any]
) -> list[timeline.Entry]:
    entries = []
    for listed in intelligence_about_young_person(user, person, limit):
        item = listed.item
        harms = ", ".join(item.harm_type_labels) or "no type of harm given"
        if listed.full:
            summary = f"{item.source_agency} shared intelligence graded {item.grading}: {harms}"
        else:
            summary = (
                f"Restricted summary: {item.source_agency} shared intelligence graded "
                f"{item.grading}: {harms}"
            )
        entries.append(
            timeline.Entry(
                when=item.reported_on,
                kind=timeline.INTELLIGENCE,
                summary=summary,
                url=reverse("intelligence:detail", args=[item.pk]),
                restricted=not listed.full,
                # Not part of a restricted summary (date, agency, grading, harm types).
                immediate_risk=listed.full and item.immediate_risk,
                sort_key=timeline.key(item.reported_on, item.created_at),
            )
        )
    return entries


timeline.register_source(
    timeline.INTELLIGENCE,
    label="Intelligence",
    filter_label="Intelligence",
    order=10,
    visible=lambda user, person: policy.check("can_view_intelligence", user),
    entries=_entries,
)


def _young_person_part(user: Any, person: YoungPerson, shared: dict[str, Any]) -> dict[str, Any]:
    return {"intelligence": intelligence_section(user, person)}


register_part("young_person", "intelligence", _young_person_part, order=20)


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


def _poi_part(user: Any, poi: PersonOfInterest, shared: dict[str, Any]) -> dict[str, Any]:
    return {"poi_intelligence": intelligence_about_poi_for_user(user, poi)}


register_part("person_of_interest", "intelligence", _poi_part, order=20)


# ---------------------------------------------------------------------------------------------
# A subject access request (``riskpath.governance.sources``): every item about the young
# person, whatever its handling code, deleted ones too, naming the other people in it so that
# the information-governance officer can review them for redaction before anything is
# disclosed. Read only by the officer's compile.
# ---------------------------------------------------------------------------------------------


def _held(person: YoungPerson) -> list[sar.Held]:
    from riskpath.intelligence.models import IntelligenceItem

    items = (
        IntelligenceItem.all_objects.filter(young_people=person)
        .select_related("source_agency", "submitted_by")
        .prefetch_related("young_people", "persons_of_interest", "locations", "groups")
        .order_by("reported_on", "created_at")
    )
    out = []
    for item in items:
        lines = [
            item.text,
            f"Sanitised summary: {item.sanitised_text}" if item.sanitised_text else "",
            f"Handling code {item.handling_code}"
            + (f": {item.handling_conditions}" if item.handling_conditions else ""),
            "Types of harm: " + (", ".join(item.harm_type_labels) or "none given"),
            "Places: " + ", ".join(str(loc) for loc in item.locations.all())
            if item.locations.all()
            else "",
            "Groups: " + ", ".join(str(g) for g in item.groups.all()) if item.groups.all() else "",
            f"Deleted {item.deleted_at:%-d %B %Y}" if item.deleted_at else "",
        ]
        others = [sar.young_person_party(p) for p in item.young_people.all() if p.pk != person.pk]
        pois = [sar.person_of_interest_party(p) for p in item.persons_of_interest.all()]
        out.append(
            sar.Held(
                when=item.reported_on,
                kind="Intelligence",
                title=f"{item.source_agency} shared intelligence graded {item.grading}",
                text="\n".join(line for line in lines if line),
                ref=f"intelligence.intelligenceitem:{item.pk}",
                parties=(*others, *pois, *sar.parties(sar.professional(item.submitted_by))),
            )
        )
    return out


sar.register_source("intelligence", label="Intelligence", order=10, entries=_held)
