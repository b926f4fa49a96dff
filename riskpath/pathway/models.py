"""The Risk Management Pathway for one young person: an *episode* that moves through an
explicit state machine (``riskpath.pathway.machine``), with its MARMMs, its plan (MARMP)
actions, its partner-system flags, and an append-only history of every step."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from riskpath.accounts.models import Agency, Area
from riskpath.core.models import BaseModel, VersionedModel
from riskpath.people.models import YoungPerson

USER = settings.AUTH_USER_MODEL


class EpisodeKind(models.TextChoices):
    UNDER_18 = "under_18", "Under 18"
    CARE_LEAVER = "care_leaver", "Care leaver (18 to 25)"


class EpisodeStatus(models.TextChoices):
    AWAITING_S47_OUTCOME = "awaiting_s47_outcome", "Section 47 outcome to record"
    AWAITING_ROUTE = "awaiting_route", "Route to record"
    AWAITING_AGREEMENT = "awaiting_agreement", "Service manager's agreement to the route"
    AWAITING_CARE_LEAVERS_DECISION = (
        "awaiting_care_leavers_decision",
        "Care leavers safeguarding meeting's decisions to record",
    )
    AWAITING_MARMM = "awaiting_marmm", "Initial MARMM to hold"
    PLAN_TO_AGREE = "plan_to_agree", "Risk management plan to agree"
    PLAN_IN_PLACE = "plan_in_place", "Risk management plan in place"
    ENDING_PROPOSED = "ending_proposed", "Ending proposed: service manager's agreement"
    ENDED = "ended", "Plan ended"
    CLOSED = "closed", "Closed: not on the pathway"


class Route(models.TextChoices):
    CHILD_PROTECTION = "child_protection", "Child protection procedures"
    CHILD_IN_NEED = "child_in_need", "Child in need procedures"
    RMP = "rmp", "Risk Management Pathway"
    STEP_DOWN = "step_down", "Step down"
    CLOSURE = "closure", "Closure"


class EscalationState(models.TextChoices):
    NONE = "", "Not escalated"
    REQUESTED = "requested", "Escalation requested"
    AGREED = "agreed", "Escalated to the strategic panel"


class GroundsDecision(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class Episode(VersionedModel):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="pathway_episodes"
    )
    kind = models.CharField(max_length=20, choices=EpisodeKind.choices)
    status = models.CharField(max_length=40, choices=EpisodeStatus.choices)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    social_worker = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team_manager = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.CharField(max_length=120, blank=True)

    # Under 18: the strategy discussion and section 47 enquiries
    strategy_discussion_date = models.DateField(null=True, blank=True)
    strategy_participants = models.TextField(blank=True)
    agencies_invited = models.ManyToManyField(Agency, blank=True, related_name="+")
    threshold_met = models.BooleanField(null=True, blank=True)
    s47_recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    s47_recorded_on = models.DateField(null=True, blank=True)
    route = models.CharField(max_length=20, choices=Route.choices, blank=True)
    route_recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    route_recorded_on = models.DateField(null=True, blank=True)
    route_agreed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    route_agreed_on = models.DateField(null=True, blank=True)

    # Care leavers: the care leavers safeguarding meeting
    care_leavers_meeting_date = models.DateField(null=True, blank=True)
    immediate_actions = models.TextField(blank=True)
    disruption_opportunities = models.TextField(blank=True)
    follow_pathway = models.BooleanField(null=True, blank=True)
    adult_safeguarding_referral = models.BooleanField(null=True, blank=True)
    adult_safeguarding_reason = models.TextField(blank=True)

    # The pathway's clock
    marmm_due = models.DateField(null=True, blank=True)
    last_marmm_on = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    early_review_reason = models.TextField(blank=True)

    # The plan (MARMP) and its two questions
    trigger_plan_needed = models.BooleanField(null=True, blank=True)
    trigger_plan_details = models.TextField(blank=True)
    nrm_needed = models.BooleanField(null=True, blank=True)
    nrm_reason = models.TextField(blank=True)
    nrm_referrer_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nrm_referral_date = models.DateField(null=True, blank=True)
    nrm_reasonable_grounds = models.CharField(
        max_length=10, choices=GroundsDecision.choices, blank=True
    )
    nrm_reasonable_grounds_date = models.DateField(null=True, blank=True)
    nrm_conclusive_grounds = models.CharField(
        max_length=10, choices=GroundsDecision.choices, blank=True
    )
    nrm_conclusive_grounds_date = models.DateField(null=True, blank=True)
    plan_agreed_on = models.DateField(null=True, blank=True)
    plan_agreed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Escalation to the strategic panel
    escalation = models.CharField(
        max_length=10, choices=EscalationState.choices, blank=True, default=""
    )
    escalation_reason = models.TextField(blank=True)
    escalation_requested_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_on = models.DateField(null=True, blank=True)
    escalation_agreed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Ending
    ending_reason = models.TextField(blank=True)
    ending_marmm = models.ForeignKey(
        "Marmm", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ending_proposed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    ending_agreed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return f"Pathway episode for {self.young_person}"

    @property
    def started_on(self) -> dt.date | None:
        """The strategy discussion (under 18) or the care leavers safeguarding meeting."""
        return self.strategy_discussion_date or self.care_leavers_meeting_date

    @property
    def is_open(self) -> bool:
        return self.status not in (EpisodeStatus.ENDED, EpisodeStatus.CLOSED)


class MarmmKind(models.TextChoices):
    INITIAL = "initial", "Initial MARMM"
    REVIEW = "review", "Review MARMM"


class Marmm(BaseModel):
    """One multi-agency risk management meeting held for the episode."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="marmms")
    kind = models.CharField(max_length=10, choices=MarmmKind.choices)
    held_on = models.DateField()
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chair = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    family_attended = models.BooleanField(default=False)
    minutes_due = models.DateField()
    minutes_circulated_on = models.DateField(null=True, blank=True)
    minutes_filed = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%-d %B %Y}"


class PlanSection(models.TextChoices):
    SUPPORT = "support", "Support for the young person and family"
    DISRUPTION = "disruption", "Disruption of persons of interest, activities and locations"
    INVESTIGATION = "investigation", "Investigation"


class PlanAction(BaseModel):
    """An action of the multi-agency risk management plan. It belongs to the plan, which
    lives across MARMMs, rather than to one meeting."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="plan_actions")
    section = models.CharField(max_length=20, choices=PlanSection.choices)
    description = models.TextField()
    owner_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["section", "created_at"]


class FlagSystem(models.TextChoices):
    SOCIAL_CARE = "social_care", "Social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"


class FlagPurpose(models.TextChoices):
    SET = "set", "Add the flag"
    REMOVE = "remove", "Remove the flag"


class Flag(VersionedModel):
    """A task to add (or remove) the plan's flag in one partner's system, confirmed by a user
    of that agency."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="flags")
    system = models.CharField(max_length=20, choices=FlagSystem.choices)
    purpose = models.CharField(max_length=10, choices=FlagPurpose.choices)
    text = models.TextField()
    raised_on = models.DateField()
    due_on = models.DateField()
    confirmed_on = models.DateField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["raised_on", "purpose", "system"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "system", "purpose"], name="flag_once_per_system_and_purpose"
            )
        ]


class EpisodeEvent(BaseModel):
    """One step of the episode's history: append-only."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    status_before = models.CharField(max_length=40, blank=True)
    status_after = models.CharField(max_length=40)
    summary = models.TextField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "created_at"]


class Reminder(BaseModel):
    """A reminder sent about one step on one day: never sent twice."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="reminders")
    step = models.CharField(max_length=80)
    day = models.DateField()
    recipient = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "step", "day", "recipient"], name="reminder_once_per_day"
            )
        ]
