"""Who is involved with an intelligence item, and so may know that it exists (how much of it
they may read is the handling code's business: ``policy.handling_permits``).

Submitting an item gives the submitting agency sight of its own items and nothing more: it is
not an involvement basis for the young people the item is about (that would let anyone read a
child's whole record by submitting one word about them)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from riskpath.access import policy
from riskpath.access.involvement import (
    involved_ids,
    involvement_basis,
    register_basis,
    register_opened_through,
)
from riskpath.intelligence.models import IntelligenceItem

ITEM = "intelligence.intelligenceitem"
_About = IntelligenceItem.young_people.through


register_basis(
    ITEM,
    "submitting agency",
    q=lambda user: Q(source_agency_id=user.agency_id),
    applies=policy.holds_recording_role,
)


# Both tests below are correlated EXISTS, not ``pk IN (subquery)``: a list page walks the
# items newest first and stops after a page, testing each item it passes; an IN list made the
# database first gather every item about anyone the user is involved with (for a consultant,
# nearly every item in the area; benchmarks/README.md, "Pages under load").


def _about_involved(user: Any) -> Q:
    about = _About.objects.filter(
        intelligenceitem_id=OuterRef("pk"),
        youngperson_id__in=involved_ids("people.youngperson", user),
    )
    return Q(Exists(about))


def _describe_about_involved(user: Any, item: Any) -> str:
    """Which basis the user has to a young person the item is about (never their name: the
    event names the young person as its subject)."""
    for person in item.young_people.all():
        basis = involvement_basis(user, person)
        if basis:
            return f"involved with a young person it is about ({basis})"
    return "involved with a young person it is about"


register_basis(
    ITEM,
    "involved with a young person it is about",
    q=_about_involved,
    describe=_describe_about_involved,
)


def _about_no_young_person(user: Any) -> Q:
    # Any link counts, to a deleted record too: deleting a young person must not turn the
    # intelligence about them into everybody's.
    return ~Q(Exists(_About.objects.filter(intelligenceitem_id=OuterRef("pk"))))


# Intelligence about no young person (only persons of interest, places or groups) is the
# partnership's: every recording member in the area may know of it.
register_basis(
    ITEM, "partnership member", q=_about_no_young_person, applies=policy.holds_recording_role
)

# Emergency access to a young person opens the items about them, for that visit.
register_opened_through(ITEM, lambda item: item.young_people.all())
