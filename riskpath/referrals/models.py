from __future__ import annotations

from django.conf import settings
from django.db import models

from riskpath.accounts.models import Agency
from riskpath.core.models import SoftDeleteModel
from riskpath.people.models import YoungPerson


class ReferralTo(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
    DRUG_AND_ALCOHOL = "drug_alcohol", "Drug and alcohol service"
    BASE = "base", "BASE (Barnardo's)"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    MENTORING = "mentoring", "Mentoring service"
    NRM = "nrm", "National Referral Mechanism"
    ADULT_SAFEGUARDING = "adult_safeguarding", "Adult safeguarding"
    HSB_PANEL = "hsb_panel", "HSB panel"
    OTHER = "other", "Other"


class ReferralStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    MADE = "made", "Made"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CLOSED = "closed", "Closed"


class Referral(SoftDeleteModel):
    """A referral or signposting of a young person to a service, and what came of it."""

    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="referrals"
    )
    to = models.CharField(max_length=20, choices=ReferralTo.choices)
    to_detail = models.CharField(max_length=160, blank=True)
    made_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PLANNED
    )
    outcome = models.TextField(blank=True)
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-made_on", "-created_at"]

    def __str__(self) -> str:
        return f"Referral to {self.get_to_display()}"
