"""Writing audit events. Every read of a record about a person and every write calls
``audit_record`` inside the same transaction as the write; if the event cannot be written
the whole unit of work fails (audit fails closed)."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db import models, transaction
from django.dispatch import Signal

from riskpath.audit.chain import GENESIS_HASH, event_hash, normalise_json
from riskpath.audit.models import AuditChain, AuditEvent, chain_for_area
from riskpath.audit.restricted import restricted
from riskpath.audit.verbs import Verb
from riskpath.core import clock, context
from riskpath.core.models import SoftDeleteModel, VersionedModel
from riskpath.core.versioning import save_versioned

# Sent with ``event`` each time an event is appended, inside the transaction of the work it
# records: a receiver that enqueues a job (a notification to compute) enqueues it in that same
# transaction, so the job exists exactly when the work committed. Receivers must be quick and
# must not write personal data anywhere; they are how higher apps react to what happened
# without the services that did it calling them.
event_recorded = Signal()

V = TypeVar("V", bound=VersionedModel)
D = TypeVar("D", bound=SoftDeleteModel)


def _label(obj: Any) -> str:
    return str(obj)[:200] if obj is not None else ""


def audit_record(
    *,
    actor: Any,
    verb: Verb,
    target: models.Model | None = None,
    subject: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    basis: str = "",
    reason: str = "",
    area_id: Any = None,
    actor_label: str | None = None,
    target_label: str | None = None,
) -> AuditEvent:
    """Append one event to its area's chain (the installation's for no area), serialised with
    every other appender to that chain."""
    ctx = context.current()
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    if area_id is None and actor_obj is not None:
        area_id = actor_obj.area_id
    fields: dict[str, Any] = {
        "actor_id": actor_obj.pk if actor_obj is not None else None,
        "actor_label": actor_label if actor_label is not None else _label(actor_obj),
        "area_id": area_id,
        "verb": str(verb),
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "target_label": target_label if target_label is not None else _label(target),
        "subject_id": str(subject.pk) if subject is not None else "",
        "subject_label": _label(subject),
        "changes": normalise_json(changes or {}),
        "basis": basis[:200],
        "reason": reason,
        "request_id": ctx.request_id,
        "client_ip": ctx.client_ip,
        "channel": ctx.channel,
    }
    fields["chain"] = chain_for_area(area_id)
    with transaction.atomic():
        head = _lock_end(fields["chain"])
        # Taken under the lock, so event times never run backwards along the chain.
        fields["occurred_at"] = clock.now().astimezone(dt.UTC)
        fields["seq"] = head.seq + 1
        fields["prev_hash"] = head.hash
        fields["hash"] = event_hash(fields)
        event = AuditEvent.objects.create(**fields)
        head.seq = event.seq
        head.hash = event.hash
        head.save(update_fields=["seq", "hash"])
    event_recorded.send(sender=AuditEvent, event=event)
    return event


def _lock_end(chain: str) -> AuditChain:
    """The chain's end, locked until the transaction ends: appenders to the same chain queue
    here, appenders to other chains do not."""
    try:
        return AuditChain.objects.select_for_update().get(chain=chain)
    except AuditChain.DoesNotExist:
        AuditChain.objects.bulk_create(
            [AuditChain(chain=chain, seq=0, hash=GENESIS_HASH)], ignore_conflicts=True
        )
        return AuditChain.objects.select_for_update().get(chain=chain)


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{"field": {"before": old, "after": new}}`` for each field whose value changed."""
    return {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """Field values for a before/after comparison, foreign keys by id, all JSON-safe."""
    out: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)  # type: ignore[union-attr]
        out[name] = value
    return normalise_json(out)


def audited_update(
    *,
    actor: Any,
    instance: V,
    values: dict[str, Any],
    expected_version: int,
    verb: Verb,
    label: str,
    subject: models.Model | None = None,
    basis: str = "",
    reason: str = "",
    restricted_fields: tuple[str, ...] = (),
) -> V:
    """Change ``values`` of a versioned record, refused if it has moved on since
    ``expected_version``, and record the change (before and after, restricted fields as
    digests) in the same transaction: the one way riskpath changes a record and audits it."""
    fields = list(values)
    before = snapshot(instance, fields)
    for name, value in values.items():
        setattr(instance, name, value)
    with transaction.atomic():
        save_versioned(instance, expected_version=expected_version, fields=fields, label=label)
        audit_record(
            actor=actor,
            verb=verb,
            target=instance,
            subject=subject,
            basis=basis,
            reason=reason,
            changes=restricted(
                field_changes(before, snapshot(instance, fields)), restricted_fields
            ),
        )
    return instance


def soft_delete(
    *,
    actor: Any,
    instance: D,
    expected_version: int,
    reason: str,
    verb: Verb,
    label: str,
    subject: models.Model | None = None,
    basis: str = "",
) -> D:
    """Delete a record softly (hidden from every list and lookup, kept, restorable): the one
    way riskpath deletes, recorded as ``{"deleted": {"before": False, "after": True}}`` with
    the reason."""
    return _set_deleted(
        actor=actor,
        instance=instance,
        expected_version=expected_version,
        deleted=True,
        reason=reason,
        verb=verb,
        label=label,
        subject=subject,
        basis=basis,
    )


def restore(
    *,
    actor: Any,
    instance: D,
    expected_version: int,
    verb: Verb,
    label: str,
    subject: models.Model | None = None,
    basis: str = "",
) -> D:
    """Bring a softly deleted record back, recorded as the deletion's reverse."""
    return _set_deleted(
        actor=actor,
        instance=instance,
        expected_version=expected_version,
        deleted=False,
        reason="",
        verb=verb,
        label=label,
        subject=subject,
        basis=basis,
    )


def _set_deleted(
    *,
    actor: Any,
    instance: D,
    expected_version: int,
    deleted: bool,
    reason: str,
    verb: Verb,
    label: str,
    subject: models.Model | None,
    basis: str,
) -> D:
    was_deleted = instance.deleted_at is not None
    instance.deleted_at = clock.now() if deleted else None
    instance.deleted_by = actor if deleted else None
    instance.deletion_reason = reason
    with transaction.atomic():
        save_versioned(
            instance,
            expected_version=expected_version,
            fields=["deleted_at", "deleted_by", "deletion_reason"],
            label=label,
        )
        audit_record(
            actor=actor,
            verb=verb,
            target=instance,
            subject=subject,
            basis=basis,
            reason=reason,
            changes={"deleted": {"before": was_deleted, "after": deleted}},
        )
    return instance
