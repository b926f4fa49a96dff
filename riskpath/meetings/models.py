"""Meetings, from schedule to minutes: the area's meeting types, meetings in series, agendas
built from the record, attendance and confidentiality declarations, minutes per agenda item
with their decisions, actions that are never lost, and the tasks decisions create in partner
systems."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from riskpath.accounts.models import Agency, Area
from riskpath.core.models import BaseModel, VersionedModel
from riskpath.groups.models import Group
from riskpath.locations.models import Location
from riskpath.people.models import PersonOfInterest, YoungPerson

USER = settings.AUTH_USER_MODEL


class MeetingKind(models.TextChoices):
    """What a meeting type is, which decides how its agenda is built."""

    PIMM = "pimm", "Partnership intelligence and multi-agency meeting (PIMM)"
    TARGETED_PIMM = "targeted_pimm", "Targeted PIMM"
    MARMM = "marmm", "Multi-agency risk management meeting (MARMM)"
    CARE_LEAVERS = "care_leavers", "Care leavers safeguarding meeting"
    COMPLEX = "complex", "Complex extra-familial safeguarding meeting"
    QA_GROUP = "qa_group", "Quality-assurance group"
    STRATEGIC_PANEL = "strategic_panel", "Strategic panel"
    HSB_AIM = "hsb_aim", "HSB/AIM panel"
    STRATEGIC_EXPLOITATION = "strategic_exploitation", "Strategic exploitation meeting"


class MeetingType(VersionedModel):
    """An area's configuration of one kind of meeting (presets come from the seeds)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="meeting_types")
    kind = models.CharField(max_length=30, choices=MeetingKind.choices)
    name = models.CharField(max_length=120)
    recurrence = models.CharField(
        max_length=200, blank=True, help_text="An iCalendar RRULE; blank when convened on request"
    )
    start_time = models.TimeField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(default=120)
    intelligence_window_days = models.PositiveIntegerField(null=True, blank=True)
    research_days_after = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=(
            "Participants see who is on a published agenda, to research the names, until this "
            "many days after the meeting; blank: not at all"
        ),
    )
    chair_roles = models.JSONField(default=list, blank=True)
    core_agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    requires_declaration = models.BooleanField(default=False)
    declaration_text = models.TextField(blank=True)
    papers_working_days = models.PositiveIntegerField(null=True, blank=True)
    minutes_working_days = models.PositiveIntegerField(null=True, blank=True)
    family_may_attend = models.BooleanField(default=False)
    has_confidential_slot = models.BooleanField(default=False)
    tier_2_every = models.PositiveIntegerField(
        default=2, help_text="Tier 2 young people come up every this many meetings"
    )
    tier_3_every = models.PositiveIntegerField(
        default=4, help_text="Tier 3 young people come up every this many meetings"
    )
    slot_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Referrals are booked into slots of this length"
    )
    terms_of_reference = models.TextField(blank=True)
    terms_review_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="one_meeting_type_name_per_area")
        ]

    def __str__(self) -> str:
        return self.name


class MemberCapacity(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"
    ADMINISTRATOR = "administrator", "Meeting administrator"


class CoreMember(BaseModel):
    """A standing member of a meeting type, with their deputy."""

    meeting_type = models.ForeignKey(MeetingType, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(
        max_length=20, choices=MemberCapacity.choices, default=MemberCapacity.MEMBER
    )
    deputy = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting_type", "user"], name="one_core_membership_per_user"
            )
        ]


class MeetingSeries(BaseModel):
    """Meetings scheduled together from one recurrence."""

    meeting_type = models.ForeignKey(MeetingType, on_delete=models.PROTECT, related_name="series")
    rrule = models.CharField(max_length=200)
    first_starts_at = models.DateTimeField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held: minutes in draft"
    APPROVED = "approved", "Minutes approved"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(VersionedModel):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="meetings")
    meeting_type = models.ForeignKey(MeetingType, on_delete=models.PROTECT, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries, on_delete=models.PROTECT, related_name="meetings", null=True, blank=True
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    holiday = models.CharField(
        max_length=120, blank=True, help_text="The bank holiday or closure day it falls on"
    )
    # What the meeting is about, for meetings convened about a group or a young person
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    chair = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    papers_due_on = models.DateField(null=True, blank=True)
    papers_published_at = models.DateTimeField(null=True, blank=True)
    declaration_read_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    minutes_due_on = models.DateField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    circulated_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["area", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    NEW_INTELLIGENCE = "new_intelligence", "New intelligence"
    COHORT_REVIEW = "cohort_review", "Cohort review"
    OPEN_ACTION = "open_action", "Open action"
    TIER_SUGGESTION = "tier_suggestion", "Tier-change suggestion"
    NEWLY_REPORTED = "newly_reported", "Newly reported by two or more agencies"
    REENTRY = "reentry", "Flagged for re-entry"
    ESCALATION = "escalation", "Escalation"
    REFERRAL_SLOT = "referral_slot", "Referral"
    OTHER = "other", "Other business"


class AgendaSection(models.TextChoices):
    """The order of business (the seeds' PIMM agenda): every item sits in one section, and
    the sections come in this order."""

    TIER_ONE = "tier_one", "Tier 1 young people"
    REVIEWS = "reviews", "Reviews due"
    NEW_INTELLIGENCE = "new_intelligence", "New intelligence"
    NEWLY_REPORTED = "newly_reported", "Newly reported by two or more agencies"
    REENTRY = "reentry", "Re-entry"
    ESCALATIONS = "escalations", "Escalations"
    REFERRALS = "referrals", "Referrals"
    OPEN_ACTIONS = "open_actions", "Open actions"
    OTHER = "other", "Any other business"


class AgendaItem(VersionedModel):
    """One item on a meeting's agenda, and its minutes. Removal is recorded, never silent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=ItemKind.choices)
    section = models.CharField(
        max_length=30, choices=AgendaSection.choices, default=AgendaSection.OTHER
    )
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    built = models.BooleanField(default=False, help_text="Put on the agenda from the record")
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="agenda_items", null=True, blank=True
    )
    person_of_interest = models.ForeignKey(
        PersonOfInterest,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        null=True,
        blank=True,
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="agenda_items", null=True, blank=True
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="agenda_items", null=True, blank=True
    )
    action = models.ForeignKey(
        "Action", on_delete=models.PROTECT, related_name="agenda_items", null=True, blank=True
    )
    intelligence_ids = models.JSONField(default=list, blank=True)
    minutes_allowed = models.PositiveIntegerField(null=True, blank=True)
    slot_starts_at = models.DateTimeField(null=True, blank=True)
    confidential = models.BooleanField(default=False)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    removal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "slot_starts_at"],
                condition=models.Q(slot_starts_at__isnull=False, removed_at__isnull=True),
                name="one_booking_per_slot",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class ItemMinutes(VersionedModel):
    """The minutes of one agenda item: kept apart from the item so that the chair reordering
    the agenda never collides with the minute-taker's saves."""

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="minutes")
    discussion = models.TextField(blank=True)
    minuted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    minuted_at = models.DateTimeField(null=True, blank=True)


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    PRESENT = "present", "Present"
    DEPUTY = "deputy", "Present as deputy"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Attendance(VersionedModel):
    """Who was there: a riskpath user, or someone without an account (the young person, a
    family member, a guest) named in ``name``."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    name = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    is_family = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    deputy_for = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    declaration_signed_at = models.DateTimeField(null=True, blank=True)
    declaration_text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="one_attendance_per_user_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.user)

    @property
    def is_there(self) -> bool:
        return self.status in (AttendanceStatus.PRESENT, AttendanceStatus.DEPUTY)


class DecisionKind(models.TextChoices):
    TIER_CHANGE = "tier_change", "Change tier"
    ADD_TO_COHORT = "add_to_cohort", "Add to the cohort"
    REMOVE_FROM_COHORT = "remove_from_cohort", "Remove from the cohort"
    REFERRAL = "referral", "Make a referral"
    CONVENE_TARGETED_PIMM = "convene_targeted_pimm", "Convene a targeted PIMM"
    CONVENE_COMPLEX = "convene_complex", "Convene a complex safeguarding meeting"
    SHARE_LOCATION = "share_location", "Share information about a location"
    ESCALATE = "escalate", "Escalate"
    OTHER = "other", "Other decision"


class PartnerSystem(models.TextChoices):
    MOSAIC = "mosaic", "Mosaic"
    LIQUIDLOGIC = "liquidlogic", "LiquidLogic"
    NICHE = "niche", "Niche"
    FLARE = "flare", "Flare"


class Decision(BaseModel):
    """A decision minuted against an agenda item. The cohort itself changes only through the
    cohort's own recorded decisions; this is what the meeting decided."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=30, choices=DecisionKind.choices)
    text = models.TextField()
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at"]


class PartnerTask(VersionedModel):
    """A decision a lead professional must carry into a partner system, with a ready text."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="tasks")
    system = models.CharField(max_length=20, choices=PartnerSystem.choices)
    assignee = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="partner_tasks", null=True, blank=True
    )
    extract = models.TextField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Action(VersionedModel):
    """An action from a meeting. Carried into every following agenda until closed with an
    outcome."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    description = models.TextField()
    owner_user = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    person_of_interest = models.ForeignKey(
        PersonOfInterest, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="actions", null=True, blank=True
    )
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["area", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False) | models.Q(owner_agency__isnull=False),
                name="action_has_an_owner",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN


class ActionUpdate(BaseModel):
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    text = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at"]


class NameCheck(VersionedModel):
    """One agency's answer, before the meeting, to "is this young person, person of interest
    or place on the agenda known to my agency?" (the name check of the seeds: members research
    the names circulated and bring what their agency knows). One per agency and subject; any
    participant of the agency may answer or change it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="name_checks")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=60)  # "young_person:<id>": one answer per subject
    young_person = models.ForeignKey(
        YoungPerson, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person_of_interest = models.ForeignKey(
        PersonOfInterest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    known = models.BooleanField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agency", "subject"], name="one_name_check_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"Name check by {self.agency}: {'known' if self.known else 'not known'}"
