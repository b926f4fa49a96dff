from __future__ import annotations

from django.conf import settings
from django.db import models

from riskpath.accounts.models import Agency, Area
from riskpath.core.models import SoftDeleteModel


class LocationKind(models.TextChoices):
    ADDRESS = "address", "Address"
    PARK = "park", "Park or open space"
    SHOP = "shop", "Shop"
    SCHOOL = "school", "School or college"
    TRANSPORT_HUB = "transport_hub", "Transport hub"
    TAKEAWAY = "takeaway", "Takeaway"
    ONLINE = "online", "Online platform"
    OTHER = "other", "Other"


class Location(SoftDeleteModel):
    """A place or hotspot, real or online."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=LocationKind.choices)
    address = models.CharField(max_length=240, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    recording_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
