from __future__ import annotations

from django.conf import settings
from django.db import models

from riskpath.core.models import BaseModel


class EmergencyAccessGrant(BaseModel):
    """A "break glass" opening of a record by someone with no involvement in it. The reason is
    recorded, audited and shown to the people involved with the record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_grants"
    )
    area_id = models.UUIDField(db_index=True)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=200)
    reason = models.TextField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_id", "user"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.target_label}"
