"""The search index follows the records: every save (plain or versioned) and every delete of
a young person, person of interest, location or group rewrites or removes its entry, inside
the write's transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from riskpath.core.versioning import record_saved
from riskpath.search.index import KIND_OF, forget_record, index_record


def _saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        index_record(instance)


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_record(instance)


def connect() -> None:
    for model in KIND_OF:
        uid = f"search-{model._meta.label_lower}"
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save")
        record_saved.connect(_saved, sender=model, dispatch_uid=f"{uid}-versioned")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
