"""Why a user may see a record: their involvement with it, or an emergency-access grant.

An *involvement basis* is one reason a user is involved with records of one model ("lead
professional", "submitting agency", "social worker on the pathway episode"). Domain apps
register their bases here (``register_basis``) from their ``involvement.py``; this module
never imports a domain app.

Each basis is stated **once**, as a query: ``q(user)`` is a ``Q`` over the model's own columns
(or ``pk__in`` a subquery), and ``applies(user)`` says cheaply, from the user alone, whether
the basis can hold for them at all. Both questions the application asks are answered from that
one statement:

- **lists**: ``involved_queryset(model, user)`` is the model's live rows in the user's area
  matching any basis that applies — what a user's lists, pickers and counts may contain;
- **one record**: ``involvement_basis(user, obj)`` asks the database the same bases about that
  one row, in one query, and names the first that holds.

So the two can never disagree (``tests/access/test_involvement_properties.py`` checks it over
generated worlds). Emergency access ("break glass") is per visit: it opens one record
(``access_basis``) and never puts a record in anyone's lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.apps import apps
from django.db.models import Case, Model, Q, QuerySet, Value, When

from riskpath.core import clock, context


@dataclass(frozen=True)
class Basis:
    """One reason a user is involved with rows of ``model``."""

    model: str  # "people.youngperson"
    name: str  # what the audit records as the basis: "lead professional"
    q: Callable[[Any], Q]  # the rows the user is involved with through this basis
    applies: Callable[[Any], bool]  # may this basis hold for the user at all?
    # A fuller account for the audit, once the basis is known to hold for ``obj``
    describe: Callable[[Any, Any], str] | None = None


_bases: dict[str, list[Basis]] = defaultdict(list)
# Records whose emergency opening also opens this one: an intelligence item is opened by a
# grant on a young person it is about; an episode by a grant on its young person.
_opened_through: dict[str, list[Callable[[Any], Iterable[Model]]]] = defaultdict(list)


def _always(user: Any) -> bool:
    return True


def register_basis(
    model_label: str,
    name: str,
    *,
    q: Callable[[Any], Q],
    applies: Callable[[Any], bool] = _always,
    describe: Callable[[Any, Any], str] | None = None,
) -> Basis:
    """Add an involvement basis for ``model_label``. Bases are tried in registration order
    (the installed apps' order), and the first that holds names the basis of a read."""
    basis = Basis(model=model_label, name=name, q=q, applies=applies, describe=describe)
    if any(b.name == name for b in _bases[model_label]):
        raise ValueError(f"basis {name!r} is already registered for {model_label}")
    _bases[model_label].append(basis)
    return basis


def register_opened_through(model_label: str, parents: Callable[[Any], Iterable[Model]]) -> None:
    """An emergency grant on any of ``parents(obj)`` also opens ``obj`` (per visit)."""
    _opened_through[model_label].append(parents)


def bases_for(model_label: str) -> list[Basis]:
    return list(_bases.get(model_label, []))


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.agency_id is not None


def _applicable(model_label: str, user: Any) -> list[Basis]:
    if not _signed_in(user):
        return []
    return [b for b in _bases.get(model_label, []) if b.applies(user)]


def involved_q(model_label: str, user: Any) -> Q | None:
    """The ``Q`` of every basis that applies to ``user`` for the model, or None if none does
    (no row at all)."""
    qs = [b.q(user) for b in _applicable(model_label, user)]
    return reduce(or_, qs) if qs else None


def involved_queryset(model: type[Model] | str, user: Any) -> QuerySet[Any]:
    """The live rows of ``model`` in the user's area that the user is involved with."""
    model_cls = apps.get_model(model) if isinstance(model, str) else model
    label = model_cls._meta.label_lower
    q = involved_q(label, user)
    manager = model_cls._default_manager
    if q is None:
        return manager.none()
    if _has_area(model_cls):
        return manager.filter(area_id=user.area_id).filter(q)
    return manager.filter(q)


def _has_area(model: type[Model]) -> bool:
    return any(f.name == "area" or f.attname == "area_id" for f in model._meta.concrete_fields)


def only_involved(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """``qs`` (of any manager, deleted rows included) narrowed to the rows the user is involved
    with: for lists that are not of live rows, such as deleted records to restore."""
    q = involved_q(qs.model._meta.label_lower, user)
    if q is None:
        return qs.none()
    if _has_area(qs.model):
        qs = qs.filter(area_id=user.area_id)
    return qs.filter(q)


def involved_ids(model_label: str, user: Any) -> QuerySet[Any]:
    """The primary keys of ``involved_queryset`` as a subquery, for other bases to use."""
    return involved_queryset(model_label, user).values("pk")


def involvement_basis(user: Any, obj: Any) -> str | None:
    """The first basis through which ``user`` is involved with ``obj``, or None. One query:
    the same statements as the lists, asked of this one row (deleted rows included, so a
    manager involved with a deleted record can restore it)."""
    label = obj._meta.label_lower
    memo = context.memo()
    key = ("involvement", label, obj.pk, getattr(user, "pk", None))
    if memo is not None and key in memo:
        return memo[key]
    basis = _involvement_basis(user, obj, label)
    if memo is not None:
        memo[key] = basis
    return basis


def _involvement_basis(user: Any, obj: Any, label: str) -> str | None:
    bases = _applicable(label, user)
    if not bases:
        return None
    if _has_area(type(obj)) and obj.area_id != user.area_id:
        return None
    flags = {
        f"basis_{i}": Case(When(b.q(user), then=Value(True)), default=Value(False))
        for i, b in enumerate(bases)
    }
    model = type(obj)
    row = model._base_manager.filter(pk=obj.pk).annotate(**flags).values(*flags).first()
    if row is None:
        return None
    for i, basis in enumerate(bases):
        if row[f"basis_{i}"]:
            return (basis.describe(user, obj) if basis.describe else basis.name)[:200]
    return None


def emergency_grant(user: Any, obj: Any) -> Any:
    """The live emergency-access grant of ``user`` on ``obj`` itself, if any."""
    from riskpath.access.models import EmergencyAccessGrant

    if not getattr(user, "is_authenticated", False):
        return None
    return (
        EmergencyAccessGrant.objects.filter(
            user=user,
            target_type=obj._meta.label_lower,
            target_id=str(obj.pk),
            expires_at__gt=clock.now(),
        )
        .order_by("-expires_at")
        .first()
    )


def _grant_opening(user: Any, obj: Any) -> Any:
    grant = emergency_grant(user, obj)
    if grant is not None:
        return grant
    for parents in _opened_through.get(obj._meta.label_lower, []):
        for parent in parents(obj):
            grant = _grant_opening(user, parent)
            if grant is not None:
                return grant
    return None


def access_basis(user: Any, obj: Any) -> str | None:
    """The involvement basis, else "emergency access: <reason>" for a live grant on the
    record (or on a record that opens it), else None."""
    basis = involvement_basis(user, obj)
    if basis:
        return basis
    grant = _grant_opening(user, obj)
    if grant is not None:
        return f"emergency access: {grant.reason}"[:200]
    return None


def visible_subset(model_label: str, user: Any, ids: Iterable[Any]) -> set[Any]:
    """Of the rows ``ids``, those the user is involved with (one query)."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return set()
    # No ordering: a set is wanted, and the model's ordering would lead SQLite to walk the
    # whole area by an ordered index instead of looking the ids up (100 ms at 100,000 people).
    return set(
        involved_queryset(model_label, user)
        .filter(pk__in=wanted)
        .order_by()
        .values_list("pk", flat=True)
    )


def accessible_subset(model_label: str, user: Any, ids: Iterable[Any]) -> set[Any]:
    """Of the rows ``ids``, those the user has an access basis to: involvement, or a live
    emergency grant on the row itself. ``access_basis`` for many rows at once, in two
    queries."""
    from riskpath.access.models import EmergencyAccessGrant

    wanted = {pk for pk in ids if pk is not None}
    found = visible_subset(model_label, user, wanted)
    rest = {str(pk) for pk in wanted - found}
    if rest and getattr(user, "is_authenticated", False):
        granted = set(
            EmergencyAccessGrant.objects.filter(
                user=user, target_type=model_label, target_id__in=rest, expires_at__gt=clock.now()
            ).values_list("target_id", flat=True)
        )
        found |= {pk for pk in wanted if str(pk) in granted}
    return found


__all__ = [
    "Basis",
    "access_basis",
    "accessible_subset",
    "bases_for",
    "emergency_grant",
    "involved_ids",
    "involved_q",
    "involved_queryset",
    "involvement_basis",
    "only_involved",
    "register_basis",
    "register_opened_through",
    "visible_subset",
]
