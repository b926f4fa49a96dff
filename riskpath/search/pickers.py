"""Pickers for persons of interest, locations and groups on a form, answered by the same
search as the header's (``services.rank``): the user types, and chooses from at most
``PICK_LIMIT`` matches. These records are the partnership's, open to every recording member,
so they are labelled in full; a user whose role may not see a kind finds nothing. The JSON
search for the accessible-autocomplete enhancement is ``search:pick``; without JavaScript the
form's own Search button answers (``people.picker.PickerStep``). The form field,
``people.picker.RecordPickerField``, asks these functions (``picking.register`` hands them
over). Audited as searches (``SEARCHED``, with a digest of what was typed)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from riskpath.access import policy
from riskpath.audit.restricted import digest
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.people.picker import MIN_QUERY_LETTERS, PICK_LIMIT, PickOption, PickResult
from riskpath.search.index import MODELS
from riskpath.search.keys import parse
from riskpath.search.models import Kind
from riskpath.search.services import KIND_NAMES, KIND_RULES, rank

PICKABLE = (Kind.PERSON_OF_INTEREST, Kind.LOCATION, Kind.GROUP)


def label_for(kind: str, record: Any) -> str:
    if kind == Kind.PERSON_OF_INTEREST:
        name = f"{record.identity_given_names} {record.identity_family_name.upper()}".strip()
        aliases = ", ".join(record.aliases or [])
        return f"{name} (also known as {aliases})" if aliases else name
    if kind == Kind.LOCATION:
        return ", ".join(x for x in (record.name, record.postcode) if x)
    return str(record)


def choosable(user: Any, kind: str) -> QuerySet[Any]:
    model = MODELS[kind]
    if not policy.check(KIND_RULES[kind], user):
        return model._default_manager.none()
    qs = model._default_manager.filter(area_id=user.area_id)
    if kind == Kind.PERSON_OF_INTEREST:
        qs = qs.select_related("young_person")
    return qs


def record_pick(user: Any, kind: str, *, query: str, purpose: str = "") -> PickResult:
    """At most ``PICK_LIMIT`` records of ``kind`` matching ``query``, best first. Audited; an
    empty search is not a search."""
    query = " ".join((query or "").split())[:100]
    one = KIND_NAMES[kind][0]
    if sum(ch.isalpha() for ch in query) < MIN_QUERY_LETTERS:
        return PickResult(query=query, one=one)
    pool = choosable(user, kind)
    ranked = rank(user.area_id, kind, parse(query), limit=PICK_LIMIT * 5)
    ids = [r.record_id for r in ranked]
    records = {r.pk: r for r in pool.filter(pk__in=ids)}
    rows = [records[pk] for pk in ids if pk in records][: PICK_LIMIT + 1]
    audit_record(
        actor=user,
        verb=Verb.SEARCHED,
        changes={"query": digest(query), "kind": kind, "purpose": purpose, "found": len(rows)},
    )
    return PickResult(
        query=query,
        options=[PickOption(r.pk, label_for(kind, r), True) for r in rows[:PICK_LIMIT]],
        more=len(rows) > PICK_LIMIT,
        searched=True,
        one=one,
    )
