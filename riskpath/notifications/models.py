from __future__ import annotations

from django.conf import settings
from django.db import models

from riskpath.core.models import BaseModel


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Straight away: one e-mail for each"
    DIGEST = "digest", "Once a day: one e-mail listing them all"
    NONE = "none", "No e-mail: only in riskpath"


class Preference(BaseModel):
    """How one user wants to be e-mailed of their notifications (immediately by default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)


class Notification(BaseModel):
    """Something a user is told: what kind of thing, a title that names no one, and the
    address of the page where it is dealt with. Its ``key`` makes it once only: a reminder
    sent again (a rerun, a second scheduler) finds its key taken and sends nothing."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=500)
    key = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title
