from __future__ import annotations

from django.conf import settings
from django.db import models

from riskpath.accounts.models import Agency, Area
from riskpath.core.models import SoftDeleteModel


class YoungPerson(SoftDeleteModel):
    """A child or young person the partnership is concerned about (the subject)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="young_people")
    given_names = models.CharField(max_length=120)
    family_name = models.CharField(max_length=120)
    date_of_birth = models.DateField(null=True, blank=True)
    recording_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="young_people_led",
    )

    class Meta:
        ordering = ["family_name", "given_names"]
        indexes = [models.Index(fields=["area", "family_name"])]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}"
