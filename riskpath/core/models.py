"""Base models with no domain knowledge: UUID keys, timestamps, versions and soft deletion."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    """A UUID primary key (never a guessable sequence in a URL) and timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(BaseModel):
    """A record that carries a version, so a save based on a stale copy is refused.

    Writes go through ``riskpath.core.versioning.save_versioned``; never call ``save()`` on a
    loaded instance to change it."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class LiveManager(models.Manager["Any"]):
    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeleteModel(VersionedModel):
    """Deletion is a recorded, reversible act: ``objects`` hides deleted rows and
    ``all_objects`` sees them."""

    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deletion_reason = models.TextField(blank=True)

    # Managers after the fields: ruff's DJ012 reads the second manager as a field.
    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
