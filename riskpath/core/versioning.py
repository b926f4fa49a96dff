"""Optimistic concurrency: a write names the version it was based on, and is refused if the
record has moved on since."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import F
from django.dispatch import Signal

from riskpath.core.errors import ConcurrentEditError
from riskpath.core.models import VersionedModel

M = TypeVar("M", bound=VersionedModel)

# Sent after every versioned save (``sender``: the model, ``instance``: the record as saved):
# a versioned save is an UPDATE, which sends no ``post_save``. Derived data kept beside the
# records (the search index) listens for both.
record_saved = Signal()


def save_versioned(
    instance: M, *, expected_version: int, fields: Iterable[str], label: str = "record"
) -> M:
    """Write ``fields`` of ``instance`` only if the stored row is still at ``expected_version``.

    Must run inside the caller's transaction. Raises ``ConcurrentEditError`` and writes
    nothing when another save got there first."""
    field_names = list(fields)
    values: dict[str, Any] = {name: getattr(instance, name) for name in field_names}
    model = type(instance)
    # auto_now fields are not set by QuerySet.update(); set them here.
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            values[field.attname] = field.pre_save(instance, add=False)
    updated = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        raise ConcurrentEditError(label)
    instance.version = expected_version + 1
    record_saved.send(sender=model, instance=instance)
    return instance
