"""The four kinds of thing a link (or a group membership) can join, and how each is shown to
a user: young people only by name to those with a basis to see them.

Here, in groups (which sits above people and locations), because both groups and links use
it; it reads, never writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.urls import NoReverseMatch, reverse

from riskpath.groups.models import Group
from riskpath.locations.models import Location
from riskpath.people.models import PersonOfInterest, YoungPerson
from riskpath.people.selectors import young_person_queryset_for_user

# The kinds, in the order a link reads naturally (people before places).
ENDS = ("young_person", "person_of_interest", "location", "group")
END_MODELS: dict[str, type[Model]] = {
    "young_person": YoungPerson,
    "person_of_interest": PersonOfInterest,
    "location": Location,
    "group": Group,
}
END_LABELS: dict[str, str] = {
    "young_person": "Young person",
    "person_of_interest": "Person of interest",
    "location": "Location",
    "group": "Group",
}
END_CHOICES = [(name, END_LABELS[name]) for name in ENDS]
HIDDEN_YOUNG_PERSON = "A young person you are not involved with"

_DETAIL_ROUTES = {
    "young_person": "people:detail",
    "person_of_interest": "people:poi_detail",
    "location": "locations:detail",
    "group": "groups:detail",
}


def end_type_of(obj: Any) -> str:
    for name, model in END_MODELS.items():
        if isinstance(obj, model):
            return name
    raise TypeError(f"{type(obj).__name__} cannot be the end of a link")


def visible_young_person_ids(user: Any, ids: Iterable[Any]) -> set[Any]:
    """Of the young people ``ids``, those ``user`` may know by name (one query): the ones in
    their lists (involvement). Emergency access is per visit and does not count here."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return set()
    return set(
        young_person_queryset_for_user(user).filter(pk__in=wanted).values_list("pk", flat=True)
    )


def end_queryset(user: Any, end_type: str) -> QuerySet[Any]:
    """The things of ``end_type`` that ``user`` may choose as a link end or group member."""
    if end_type == "young_person":
        return young_person_queryset_for_user(user).order_by("family_name", "given_names", "pk")
    if end_type == "person_of_interest":
        return (
            PersonOfInterest.objects.filter(area_id=user.area_id)
            .select_related("young_person")
            .order_by("family_name", "given_names", "pk")
        )
    if end_type == "location":
        return Location.objects.filter(area_id=user.area_id).order_by("name", "pk")
    if end_type == "group":
        return Group.objects.filter(area_id=user.area_id).order_by("name", "pk")
    raise ValueError(end_type)


def end_get(user: Any, end_type: str, pk: Any) -> Any:
    """The thing ``pk`` of ``end_type`` if ``user`` may choose it, else None."""
    if end_type not in END_MODELS:
        return None
    try:
        return end_queryset(user, end_type).filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):  # not a UUID (Django says so with the last)
        return None


def end_url(obj: Any) -> str | None:
    """The page of ``obj``, if it has one (persons of interest: once their model says so)."""
    get_url = getattr(obj, "get_absolute_url", None)
    if callable(get_url):
        return str(get_url())
    route = _DETAIL_ROUTES.get(end_type_of(obj))
    if route is None:
        return None
    try:
        return reverse(route, args=[obj.pk])
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class Shown:
    """One end as a user may see it."""

    type: str
    id: Any
    label: str
    url: str | None
    hidden: bool = False

    @property
    def type_label(self) -> str:
        return END_LABELS[self.type]


def show(obj: Any, visible_young_people: set[Any]) -> Shown:
    kind = end_type_of(obj)
    if kind == "young_person" and obj.pk not in visible_young_people:
        return Shown(type=kind, id=None, label=HIDDEN_YOUNG_PERSON, url=None, hidden=True)
    return Shown(type=kind, id=obj.pk, label=str(obj), url=end_url(obj))
