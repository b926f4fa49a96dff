"""Merging two records of one young person, or of one person of interest, and undoing a merge.

A merge moves every record that refers to ``merge_away`` over to ``keep`` — whatever app it
belongs to: the relations are found from the model's metadata, so a capability added later is
moved too — makes ``merge_away``'s names aliases of ``keep`` and soft-deletes ``merge_away``.
What moved is written to a ``MergeRecord`` (a ``PersonOfInterestMerge`` for persons of
interest); the undo moves exactly those records back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from riskpath.access import policy
from riskpath.access.involvement import access_basis
from riskpath.access.models import EmergencyAccessGrant
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.people.models import (
    AliasKey,
    MergeRecord,
    PersonOfInterest,
    PersonOfInterestMerge,
    YoungPerson,
)
from riskpath.people.selectors import POI_BASIS
from riskpath.people.services import KEY_FIELDS, set_name_keys, store_alias_keys

# Relations a merge never moves: the duplicate check's own keys (rebuilt instead) and the
# merges themselves.
NOT_MOVED = {AliasKey, MergeRecord, PersonOfInterestMerge}
GRANTS = "access.emergencyaccessgrant"
ALIASES_ADDED = "aliases.added"

# ---------------------------------------------------------------------------------------------
# What other apps say about a merge (registered from their record.py): why one must be refused,
# and what must be set aside rather than moved (and put back on undo).
# ---------------------------------------------------------------------------------------------

Check = Callable[[Any, Any], "str | None"]
Person = YoungPerson | PersonOfInterest


@dataclass(frozen=True)
class SetAside:
    """Rows of ``model_label`` that a merge must not move but set aside (a link between the
    two records would become a link from the young person to themselves): ``prepare`` sets
    them aside and names them; ``undo`` puts them back. Recorded in the merge under ``key``."""

    key: str
    model_label: str
    prepare: Callable[[Any, Any, Any], list[str]]
    undo: Callable[[list[str]], None]


# By the kind of record merged: YoungPerson or PersonOfInterest.
_checks: dict[type[models.Model], list[Check]] = {YoungPerson: [], PersonOfInterest: []}
_set_asides: dict[type[models.Model], list[SetAside]] = {YoungPerson: [], PersonOfInterest: []}


def register_check(check: Check, *, model: type[models.Model] = YoungPerson) -> None:
    """``check(keep, away)`` returns why a merge of two ``model`` records must be refused, with
    what to do instead."""
    _checks[model].append(check)


def register_set_aside(rule: SetAside, *, model: type[models.Model] = YoungPerson) -> None:
    _set_asides[model].append(rule)


@dataclass(frozen=True)
class Relation:
    """A model that refers to a young person: by a foreign key (``field``), or through the
    many-to-many table ``model`` whose foreign keys are ``field`` (to the young person) and
    ``other`` (to the other side)."""

    model: type[models.Model]
    field: str
    kind: str  # "fk", "one" (one-to-one) or "m2m"
    other: str = ""

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"


def relations(of: type[models.Model] = YoungPerson) -> list[Relation]:
    """Every relation to ``of`` (YoungPerson or PersonOfInterest) in the project, hidden
    ones (``related_name="+"``) included."""
    out: list[Relation] = []
    for rel in of._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete):
            continue
        model: Any = rel.related_model
        if isinstance(rel, models.ManyToManyRel):
            through: Any = rel.through
            fk_to_person = next(
                f for f in through._meta.concrete_fields if f.is_relation and f.related_model is of
            )
            other = next(
                f for f in through._meta.concrete_fields if f.is_relation and f is not fk_to_person
            )
            out.append(Relation(through, fk_to_person.attname, "m2m", other.attname))
        elif model in NOT_MOVED or model._meta.auto_created:
            continue  # a many-to-many table is handled from its ManyToManyRel
        elif isinstance(rel, models.OneToOneRel):
            out.append(Relation(model, rel.field.attname, "one"))
        elif isinstance(rel, models.ManyToOneRel):
            out.append(Relation(model, rel.field.attname, "fk"))
    return out


def _require(actor: User, people: list[YoungPerson]) -> str:
    """The actor's basis for the first record; NotPermitted unless they may merge records and
    have an access basis to each."""
    bases = []
    for person in people:
        basis = access_basis(actor, person)
        if basis is None or not policy.check("can_merge_records", actor, person):
            raise NotPermitted("You may not merge these records.")
        bases.append(basis)
    return bases[0]


def _full_name(person: Person) -> str:
    return " ".join(f"{person.given_names} {person.family_name}".split())


def _refusals(keep: YoungPerson, away: YoungPerson) -> None:
    """Merges that would break a rule of the records, refused with what to do instead."""
    if (
        PersonOfInterest.all_objects.filter(young_person=keep).exists()
        and PersonOfInterest.all_objects.filter(young_person=away).exists()
    ):
        raise DomainError(
            "Both records are also recorded as persons of interest. Merge the two person of "
            "interest records by hand first, so that only one of them is a person of interest."
        )
    for check in _checks[YoungPerson]:
        message = check(keep, away)
        if message:
            raise DomainError(message)


def _ids(values: Any) -> list[str]:
    return sorted(str(v) for v in values)


def _move(keep: Person, away: Person, set_aside: dict[str, list[str]]) -> dict[str, Any]:
    """Point every record that refers to ``away`` at ``keep``, but those ``set_aside`` (ids
    by model label); what moved, by relation."""
    moved: dict[str, Any] = {}
    for relation in relations(type(keep)):
        manager = relation.model._base_manager
        if relation.kind == "m2m":
            rows = list(manager.filter(**{relation.field: away.pk}))
            others = {getattr(row, relation.other) for row in rows}
            shared = set(
                manager.filter(
                    **{relation.field: keep.pk, f"{relation.other}__in": others}
                ).values_list(relation.other, flat=True)
            )
            manager.filter(**{relation.field: away.pk, f"{relation.other}__in": shared}).delete()
            manager.filter(**{relation.field: away.pk}).update(**{relation.field: keep.pk})
            if others:
                moved[relation.key] = {
                    "moved": _ids(others - shared),
                    "shared": _ids(shared),
                }
            continue
        rows_qs = manager.filter(**{relation.field: away.pk})
        aside = set_aside.get(relation.model._meta.label_lower)
        if aside:
            rows_qs = rows_qs.exclude(pk__in=aside)
        ids = _ids(rows_qs.values_list("pk", flat=True))
        if ids:
            manager.filter(pk__in=ids).update(**{relation.field: keep.pk})
            moved[relation.key] = ids
    grants = EmergencyAccessGrant.objects.filter(
        target_type=keep._meta.label_lower, target_id=str(away.pk)
    )
    grant_ids = _ids(grants.values_list("pk", flat=True))
    if grant_ids:
        EmergencyAccessGrant.objects.filter(pk__in=grant_ids).update(
            target_id=str(keep.pk), target_label=str(keep)[:200]
        )
        moved[GRANTS] = grant_ids
    return moved


def _move_back(keep: Person, away: Person, moved: dict[str, Any]) -> None:
    for relation in relations(type(keep)):
        entry = moved.get(relation.key)
        if not entry:
            continue
        manager = relation.model._base_manager
        if relation.kind == "m2m":
            for other in entry["moved"]:
                has_away = manager.filter(
                    **{relation.field: away.pk, relation.other: other}
                ).exists()
                rows = manager.filter(**{relation.field: keep.pk, relation.other: other})
                if has_away:
                    rows.delete()
                else:
                    rows.update(**{relation.field: away.pk})
            for other in entry["shared"]:
                if not manager.filter(**{relation.field: away.pk, relation.other: other}).exists():
                    manager.create(**{relation.field: away.pk, relation.other: other})
            continue
        manager.filter(pk__in=entry, **{relation.field: keep.pk}).update(
            **{relation.field: away.pk}
        )
    if moved.get(GRANTS):
        EmergencyAccessGrant.objects.filter(
            pk__in=moved[GRANTS], target_type=keep._meta.label_lower, target_id=str(keep.pk)
        ).update(target_id=str(away.pk), target_label=str(away)[:200])


def _move_all(actor: User, keep: Person, away: Person) -> dict[str, Any]:
    """Set aside what the kind's rules set aside, move the rest; both, by key."""
    rules = _set_asides[type(keep)]
    aside = {rule.key: rule.prepare(actor, keep, away) for rule in rules}
    moved = _move(keep, away, {rule.model_label: aside[rule.key] for rule in rules})
    moved.update({key: ids for key, ids in aside.items() if ids})
    return moved


def _move_all_back(keep: Person, away: Person, moved: dict[str, Any]) -> None:
    _move_back(keep, away, moved)
    for rule in _set_asides[type(keep)]:
        if moved.get(rule.key):
            rule.undo(moved[rule.key])


def _save_aliases(person: Person, aliases: list[str]) -> None:
    person.aliases = aliases
    set_name_keys(person)
    save_versioned(
        person,
        expected_version=person.version,
        fields=["aliases", *KEY_FIELDS],
        label=_label(person),
    )
    store_alias_keys(person)


def _label(person: Person) -> str:
    return "young person's record" if isinstance(person, YoungPerson) else "person of interest"


def _add_names(holder: Person, names: list[str]) -> list[str]:
    """Add to ``holder``'s aliases those of ``names`` it does not already bear; the names
    added."""
    known = {_full_name(holder).casefold(), *(a.casefold() for a in holder.aliases)}
    added: list[str] = []
    for name in names:
        if name and name.casefold() not in known:
            known.add(name.casefold())
            added.append(name)
    if added:
        _save_aliases(holder, [*holder.aliases, *added])
    return added


def _remove_names(holder: Person, names: list[str]) -> None:
    added = {a.casefold() for a in names}
    if added:
        _save_aliases(holder, [a for a in holder.aliases if a.casefold() not in added])


def _soft_delete(actor: User, away: Person, keep: Person) -> None:
    away.deleted_at = clock.now()
    away.deleted_by = actor
    away.deletion_reason = f"Merged into the record of {keep} ({keep.pk})"
    save_versioned(
        away,
        expected_version=away.version,
        fields=["deleted_at", "deleted_by", "deletion_reason"],
        label=_label(away),
    )


def _restore(away: Person) -> None:
    away.deleted_at = None
    away.deleted_by = None
    away.deletion_reason = ""
    save_versioned(
        away,
        expected_version=away.version,
        fields=["deleted_at", "deleted_by", "deletion_reason"],
        label=_label(away),
    )


def _counts(moved: dict[str, Any]) -> dict[str, int]:
    return {
        key: len(value["moved"]) + len(value["shared"]) if isinstance(value, dict) else len(value)
        for key, value in moved.items()
    }


def young_person_merge(
    *, actor: User, keep: YoungPerson, merge_away: YoungPerson, reason: str
) -> MergeRecord:
    """Merge ``merge_away`` into ``keep``: every record about ``merge_away`` moves to ``keep``,
    its names become aliases of ``keep``, and it is soft-deleted as "Merged into …"."""
    if keep.pk == merge_away.pk:
        raise FieldErrors({"other": "Choose a different record to merge with"})
    basis = _require(actor, [keep, merge_away])
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise FieldErrors({"reason": "Enter why these two records are the same young person"})
    with transaction.atomic():
        locked = {
            p.pk: p
            for p in YoungPerson.all_objects.select_for_update().filter(
                pk__in=[keep.pk, merge_away.pk]
            )
        }
        keep, away = locked[keep.pk], locked[merge_away.pk]
        if keep.is_deleted or away.is_deleted:
            raise DomainError("One of these records has been deleted or merged already.")
        if keep.area_id != away.area_id:
            raise NotPermitted("You may not merge these records.")
        _refusals(keep, away)
        moved = _move_all(actor, keep, away)
        added = _add_names(keep, [_full_name(away), *away.aliases])
        if added:
            moved[ALIASES_ADDED] = added
        _soft_delete(actor, away, keep)
        merge = MergeRecord.objects.create(
            area_id=keep.area_id,
            keep=keep,
            merge_away=away,
            reason=reason,
            merged_by=actor,
            moved=moved,
        )
        audit_record(
            actor=actor,
            verb=Verb.RECORDS_MERGED,
            target=merge,
            subject=keep,
            basis=basis,
            reason=reason,
            changes={"merged_away": str(away.pk), "kept": str(keep.pk), "moved": _counts(moved)},
        )
    return merge


def young_person_merge_undo(*, actor: User, merge: MergeRecord) -> MergeRecord:
    """Move back exactly what the merge moved, restore the merged-away record and mark the
    merge undone. Refused once the kept record has itself been merged away or deleted."""
    keep = YoungPerson.all_objects.get(pk=merge.keep_id)
    away = YoungPerson.all_objects.get(pk=merge.merge_away_id)
    basis = _require(actor, [keep, away])
    with transaction.atomic():
        merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
        locked = {
            p.pk: p
            for p in YoungPerson.all_objects.select_for_update().filter(pk__in=[keep.pk, away.pk])
        }
        keep, away = locked[keep.pk], locked[away.pk]
        if merge.is_undone:
            raise DomainError("This merge has already been undone.")
        if keep.is_deleted:
            raise DomainError(
                f"The record of {keep} has itself been deleted or merged since. Restore it, or "
                "undo that later merge, first."
            )
        if not away.is_deleted:
            raise DomainError(f"The record of {away} is not merged away.")
        moved = merge.moved
        _move_all_back(keep, away, moved)
        _remove_names(keep, moved.get(ALIASES_ADDED, []))
        _restore(away)
        merge.undone_at = clock.now()
        merge.undone_by = actor
        merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
        audit_record(
            actor=actor,
            verb=Verb.MERGE_UNDONE,
            target=merge,
            subject=keep,
            basis=basis,
            changes={"restored": str(away.pk), "kept": str(keep.pk), "moved": _counts(moved)},
        )
    return merge


# ---------------------------------------------------------------------------------------------
# Persons of interest
# ---------------------------------------------------------------------------------------------


def _require_poi(actor: User, people: list[PersonOfInterest]) -> None:
    """NotPermitted unless the actor may merge and see each record — and, where one is also a
    young person (whose aliases the merge may change), has an access basis to that record."""
    for person in people:
        if not (
            policy.check("can_merge_records", actor, person)
            and policy.check("can_view_person_of_interest", actor, person)
        ):
            raise NotPermitted("You may not merge these records.")
        if person.young_person_id and access_basis(actor, person.young_person) is None:
            raise NotPermitted("You may not merge these records.")


def _poi_refusals(keep: PersonOfInterest, away: PersonOfInterest) -> None:
    if keep.young_person_id and away.young_person_id:
        raise DomainError(
            "Both persons of interest are also records of young people. Two young people's "
            "records are merged as young people, not here: ask a manager involved with both "
            "to compare them, and remove one of them as a person of interest first."
        )
    if away.young_person_id:
        raise DomainError(
            f"Keep the record of {away}, which is also a young person's record: a young "
            "person's identity is never merged away."
        )
    for check in _checks[PersonOfInterest]:
        message = check(keep, away)
        if message:
            raise DomainError(message)


def _identity_names(person: PersonOfInterest) -> list[str]:
    holder: Person = person.young_person or person
    return [_full_name(holder), *holder.aliases]


def person_of_interest_merge(
    *, actor: User, keep: PersonOfInterest, merge_away: PersonOfInterest, reason: str
) -> PersonOfInterestMerge:
    """Merge ``merge_away`` into ``keep``: every record about ``merge_away`` (disruptions,
    intelligence, links, group memberships, agenda items, actions) moves to ``keep``, its names
    become aliases of ``keep`` — of the young person's record where ``keep`` is also a young
    person — and it is soft-deleted as "Merged into …"."""
    if keep.pk == merge_away.pk:
        raise FieldErrors({"merge_away": "Choose a different record to merge with"})
    _require_poi(actor, [keep, merge_away])
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise FieldErrors({"reason": "Enter why these two records are the same person"})
    with transaction.atomic():
        locked = {
            p.pk: p
            for p in PersonOfInterest.all_objects.select_for_update(of=("self",))
            .select_related("young_person")
            .filter(pk__in=[keep.pk, merge_away.pk])
        }
        keep, away = locked[keep.pk], locked[merge_away.pk]
        if keep.is_deleted or away.is_deleted:
            raise DomainError("One of these records has been deleted or merged already.")
        if keep.area_id != away.area_id:
            raise NotPermitted("You may not merge these records.")
        _poi_refusals(keep, away)
        moved = _move_all(actor, keep, away)
        holder: Person = keep.young_person or keep
        added = _add_names(holder, _identity_names(away))
        if added:
            moved[ALIASES_ADDED] = added
        _soft_delete(actor, away, keep)
        merge = PersonOfInterestMerge.objects.create(
            area_id=keep.area_id,
            keep=keep,
            merge_away=away,
            reason=reason,
            merged_by=actor,
            moved=moved,
        )
        audit_record(
            actor=actor,
            verb=Verb.RECORDS_MERGED,
            target=merge,
            subject=keep.young_person,
            basis=POI_BASIS,
            reason=reason,
            changes={"merged_away": str(away.pk), "kept": str(keep.pk), "moved": _counts(moved)},
        )
    return merge


def person_of_interest_merge_undo(
    *, actor: User, merge: PersonOfInterestMerge
) -> PersonOfInterestMerge:
    """Move back exactly what the merge moved, restore the merged-away record and mark the
    merge undone. Refused once the kept record has itself been merged away or deleted."""
    keep = PersonOfInterest.all_objects.select_related("young_person").get(pk=merge.keep_id)
    away = PersonOfInterest.all_objects.get(pk=merge.merge_away_id)
    _require_poi(actor, [keep, away])
    with transaction.atomic():
        merge = PersonOfInterestMerge.objects.select_for_update().get(pk=merge.pk)
        locked = {
            p.pk: p
            for p in PersonOfInterest.all_objects.select_for_update(of=("self",))
            .select_related("young_person")
            .filter(pk__in=[keep.pk, away.pk])
        }
        keep, away = locked[keep.pk], locked[away.pk]
        if merge.is_undone:
            raise DomainError("This merge has already been undone.")
        if keep.is_deleted:
            raise DomainError(
                f"The record of {keep} has itself been deleted or merged since. Restore it, or "
                "undo that later merge, first."
            )
        if not away.is_deleted:
            raise DomainError(f"The record of {away} is not merged away.")
        moved = merge.moved
        _move_all_back(keep, away, moved)
        holder: Person = keep.young_person or keep
        _remove_names(holder, moved.get(ALIASES_ADDED, []))
        _restore(away)
        merge.undone_at = clock.now()
        merge.undone_by = actor
        merge.save(update_fields=["undone_at", "undone_by", "updated_at"])
        audit_record(
            actor=actor,
            verb=Verb.MERGE_UNDONE,
            target=merge,
            subject=keep.young_person,
            basis=POI_BASIS,
            changes={"restored": str(away.pk), "kept": str(keep.pk), "moved": _counts(moved)},
        )
    return merge
