"""The PIMM cohort: young people at tiers 1-3, with a history nobody can lose."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from riskpath.accounts.models import Area
from riskpath.core.models import BaseModel, VersionedModel
from riskpath.people.models import YoungPerson


class Tier(models.IntegerChoices):
    RED = 1, "Tier 1 (red)"
    AMBER = 2, "Tier 2 (amber)"
    GREEN = 3, "Tier 3 (green)"


def tier_label(tier: int | str | None, *, colour: bool = True) -> str:
    """The one name of a tier, on every page: "Tier 1 (red)", or "Tier 1" without its colour;
    "" for no tier. Anything but a tier (1 to 3) is an error, never shown as a tier."""
    if tier is None or tier == "":
        return ""
    value = Tier(int(tier))
    return str(value.label) if colour else f"Tier {value.value}"


class ExitReason(models.TextChoices):
    RISK_REDUCED = "risk_reduced", "Risk reduced"
    LONG_TERM_SUPPORT = "long_term_support", "Long-term support in place"
    MOVED_OUT_OF_AREA = "moved_out", "Moved out of area"
    TURNED_18 = "turned_18", "Turned 18 and transferred"


class ReentryOutcome(models.TextChoices):
    READDED = "readded", "Added to the cohort again"
    NO_ACTION = "no_action", "No action"


class CohortMembership(VersionedModel):
    """One spell of a young person on the cohort. Ends only by a recorded exit decision."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cohort")
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="cohort_spells"
    )
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    entered_at = models.DateTimeField()
    entry_reason = models.TextField()
    exited_at = models.DateTimeField(null=True, blank=True)
    exit_reason = models.CharField(max_length=20, choices=ExitReason.choices, blank=True)
    exit_note = models.TextField(blank=True)
    receiving_area = models.CharField(max_length=120, blank=True)
    last_discussed_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["tier", "-entered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["young_person"],
                condition=models.Q(exited_at__isnull=True),
                name="one_open_cohort_spell_per_young_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.young_person} at {self.get_tier_display()}"

    @property
    def is_open(self) -> bool:
        return self.exited_at is None


class TierDecision(BaseModel):
    """Append-only: every entry, tier change and exit, with who, when, why, which criteria,
    and the suggestion the system made at the time."""

    membership = models.ForeignKey(
        CohortMembership, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    from_tier = models.PositiveSmallIntegerField(choices=Tier.choices, null=True, blank=True)
    to_tier = models.PositiveSmallIntegerField(choices=Tier.choices, null=True, blank=True)
    reason = models.TextField()
    criteria = models.JSONField(default=list, blank=True)
    suggested_tier = models.PositiveSmallIntegerField(choices=Tier.choices, null=True, blank=True)
    suggestion_reasons = models.JSONField(default=list, blank=True)
    warning = models.TextField(blank=True, help_text="A warning shown and accepted, recorded.")
    meeting_ref = models.CharField(
        max_length=64, blank=True, help_text="The meeting at which it was decided."
    )

    class Meta:
        ordering = ["decided_at"]

    def __str__(self) -> str:
        return f"{self.from_tier} → {self.to_tier} at {self.decided_at:%d %b %Y}"


class ReentryFlag(BaseModel):
    """New intelligence about a young person who has left the cohort, for the next agenda."""

    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="reentry_flags"
    )
    intelligence_item = models.ForeignKey(
        "intelligence.IntelligenceItem", on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=ReentryOutcome.choices, blank=True)
    clear_reason = models.TextField(blank=True, help_text="Why no action was taken.")
    meeting_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["raised_at"]

    def __str__(self) -> str:
        return f"Re-entry flag for {self.young_person}"
