"""Keeping the search index in step with the records.

A record's entry is written when the record is saved (``post_save``, and the versioned saves
of the services through ``core.versioning.record_saved``) and removed when it is deleted or
soft-deleted (a merged-away record included); ``rebuild`` writes the whole index again
(``riskpath search-index rebuild``). Answers never trust the index alone: every hit is re-read
from the live records and scoped to the user (``riskpath.search.services``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

from riskpath.groups.models import Group
from riskpath.locations.models import Location
from riskpath.people.duplicates import normalise, normalise_postcode
from riskpath.people.models import PersonOfInterest, YoungPerson
from riskpath.search.keys import entry_keys
from riskpath.search.models import Kind, SearchEntry, SearchKey

MODELS: dict[str, type[models.Model]] = {
    Kind.YOUNG_PERSON: YoungPerson,
    Kind.PERSON_OF_INTEREST: PersonOfInterest,
    Kind.LOCATION: Location,
    Kind.GROUP: Group,
}
KIND_OF: dict[type[models.Model], str] = {model: kind for kind, model in MODELS.items()}
INSERT_KEY = (
    "INSERT INTO search_searchkey (entry_id, area_id, kind, key, weight) "
    "VALUES (%s, %s, %s, %s, %s)"
)


@dataclass(frozen=True)
class Facts:
    kind: str
    record_id: Any
    area_id: Any
    names: list[str]
    date_of_birth: Any = None
    postcode: str = ""


def facts_of(record: Any) -> Facts:
    kind = KIND_OF[type(record)]
    if kind == Kind.YOUNG_PERSON:
        names = [f"{record.given_names} {record.family_name}", *(record.aliases or [])]
        return Facts(kind, record.pk, record.area_id, names, record.date_of_birth, record.postcode)
    if kind == Kind.PERSON_OF_INTEREST:
        names = [
            f"{record.identity_given_names} {record.identity_family_name}",
            *(record.aliases or []),
        ]
        dob = record.young_person.date_of_birth if record.young_person_id else record.date_of_birth
        return Facts(kind, record.pk, record.area_id, names, dob, record.postcode)
    if kind == Kind.LOCATION:
        return Facts(
            kind, record.pk, record.area_id, [record.name, record.address], None, record.postcode
        )
    return Facts(kind, record.pk, record.area_id, [record.name])


def _entry(facts: Facts) -> SearchEntry:
    return SearchEntry(
        area_id=facts.area_id,
        kind=facts.kind,
        record_id=facts.record_id,
        names=" | ".join(n for n in (normalise(name) for name in facts.names) if n),
        date_of_birth=facts.date_of_birth,
        postcode=normalise_postcode(facts.postcode)[:10],
    )


def _keys(entry: SearchEntry, facts: Facts) -> list[SearchKey]:
    return [
        SearchKey(entry=entry, area_id=facts.area_id, kind=facts.kind, key=key, weight=weight)
        for key, weight in entry_keys(
            facts.names, date_of_birth=facts.date_of_birth, postcode=facts.postcode
        ).items()
    ]


def _is_live(record: Any) -> bool:
    return getattr(record, "deleted_at", None) is None


def index_record(record: Any) -> None:
    """Write (or remove) the record's entry and keys."""
    kind = KIND_OF.get(type(record))
    if kind is None:
        return
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, record_id=record.pk).delete()
        if not _is_live(record):
            return
        facts = facts_of(record)
        entry = _entry(facts)
        entry.save()
        SearchKey.objects.bulk_create(_keys(entry, facts))
    if kind == Kind.YOUNG_PERSON:
        # A person of interest who is also this young person has their identity.
        for poi in PersonOfInterest.objects.filter(young_person_id=record.pk):
            index_record(poi)


def forget_record(record: Any) -> None:
    kind = KIND_OF.get(type(record))
    if kind is not None:
        SearchEntry.objects.filter(kind=kind, record_id=record.pk).delete()


def _live(model: type[models.Model], area_id: Any = None) -> Iterator[Any]:
    qs = model._default_manager.all()
    if model is PersonOfInterest:
        qs = qs.select_related("young_person")
    if area_id is not None:
        qs = qs.filter(area_id=area_id)
    return qs.order_by("pk").iterator(chunk_size=2000)


def rebuild(
    *, kinds: Iterable[str] | None = None, area_id: Any = None, batch: int = 2000
) -> dict[str, int]:
    """Write the index again from the live records; returns the entries written per kind."""
    counts: dict[str, int] = {}
    for kind in kinds or list(MODELS):
        model = MODELS[kind]
        with transaction.atomic():
            old = SearchEntry.objects.filter(kind=kind)
            if area_id is not None:
                old = old.filter(area_id=area_id)
            SearchKey.objects.filter(entry__in=old).delete()
            old.delete()
            counts[kind] = 0
            pending: list[Facts] = []
            for record in _live(model, area_id):
                pending.append(facts_of(record))
                if len(pending) >= batch:
                    counts[kind] += _write(pending)
                    pending = []
            counts[kind] += _write(pending)
    return counts


def _write(batch: list[Facts]) -> int:
    if not batch:
        return 0
    entries = SearchEntry.objects.bulk_create([_entry(f) for f in batch])
    if entries and entries[0].pk is None:  # a database that does not return keys
        by_record = dict(
            SearchEntry.objects.filter(record_id__in=[f.record_id for f in batch]).values_list(
                "record_id", "pk"
            )
        )
        for entry in entries:
            entry.pk = by_record[entry.record_id]
    # The keys by one statement run many times: many times faster than building a model
    # object for each of some twenty keys a record has.
    field = SearchKey._meta.get_field("area_id")
    rows = []
    for entry, facts in zip(entries, batch, strict=True):
        area = field.get_db_prep_value(facts.area_id, connection)
        rows += [
            (entry.pk, area, facts.kind, key, weight)
            for key, weight in entry_keys(
                facts.names, date_of_birth=facts.date_of_birth, postcode=facts.postcode
            ).items()
        ]
    with connection.cursor() as cursor:
        cursor.executemany(INSERT_KEY, rows)
    return len(entries)
