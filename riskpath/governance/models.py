"""Information governance: subject access requests and their disclosures; the retention
schedule, legal holds, reviews and the disposal log."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from riskpath.accounts.models import Area
from riskpath.core.models import BaseModel, VersionedModel
from riskpath.governance.enums import (
    Exemption,
    HoldScope,
    PartyKind,
    PauseReason,
    RecordKind,
    RedactionDecision,
    RequesterKind,
    RequestStatus,
    ReviewStatus,
    Trigger,
)
from riskpath.people.models import YoungPerson

USER = settings.AUTH_USER_MODEL


class SubjectAccessRequest(VersionedModel):
    """A request for everything riskpath holds about a young person."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="+")
    requester_name = models.CharField(max_length=160)
    requester_kind = models.CharField(max_length=20, choices=RequesterKind.choices)
    received_on = models.DateField()
    identity_checked_on = models.DateField(null=True, blank=True)
    identity_note = models.CharField(max_length=300, blank=True)
    extended = models.BooleanField(default=False)
    extension_reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    compiled_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-received_on", "-created_at"]

    def __str__(self) -> str:
        return f"Subject access request {str(self.pk)[:8]}"


class RequestPause(BaseModel):
    """The deadline stands still from ``started_on`` until ``ended_on``."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="pauses"
    )
    reason = models.CharField(max_length=20, choices=PauseReason.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["started_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {self.started_on}"


class DisclosureEntry(BaseModel):
    """One thing riskpath held about the person when the request was compiled."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="entries"
    )
    position = models.PositiveIntegerField()
    occurred_on = models.DateField()
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    ref = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title


class Redaction(BaseModel):
    """A person named in the compiled records, and what is decided about their name."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="redactions"
    )
    number = models.PositiveIntegerField()
    term = models.CharField(max_length=200)
    variants = models.JSONField(default=list, blank=True)  # aliases and parts of the name
    party_kind = models.CharField(max_length=20, choices=PartyKind.choices)
    party_ref = models.CharField(max_length=120, blank=True)
    decision = models.CharField(
        max_length=10, choices=RedactionDecision.choices, default=RedactionDecision.PENDING
    )
    reason = models.TextField(blank=True)
    exemption = models.CharField(max_length=20, choices=Exemption.choices, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="redaction_number_unique")
        ]

    def __str__(self) -> str:
        return f"R{self.number}"


class Disclosure(BaseModel):
    """The disclosure as produced: a PDF with the redactions burned in."""

    request = models.OneToOneField(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="disclosure"
    )
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    entries = models.PositiveIntegerField()
    redactions = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"Disclosure {str(self.pk)[:8]}"


# ---------------------------------------------------------------------------------------------
# Retention and disposal
# ---------------------------------------------------------------------------------------------


class RetentionRule(VersionedModel):
    """How long the area keeps one kind of record, from what, and on whose authority."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    record_kind = models.CharField(max_length=30, choices=RecordKind.choices)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    period_months = models.PositiveIntegerField()
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["record_kind"]
        constraints = [
            models.UniqueConstraint(fields=["area", "record_kind"], name="retention_kind_unique")
        ]

    def __str__(self) -> str:
        return self.get_record_kind_display()


class LegalHold(BaseModel):
    """Stops disposal of everything it covers until it is lifted."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=10, choices=HoldScope.choices)
    target_id = models.CharField(max_length=40, blank=True)  # none for the whole area
    target_label = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    placed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Legal hold on {self.target_label or self.get_scope_display().lower()}"


class RetentionReview(BaseModel):
    """A record past its retention period, listed for the officer's review."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    record_kind = models.CharField(max_length=30, choices=RecordKind.choices)
    record_id = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    due_on = models.DateField()
    keys = models.JSONField(default=list, blank=True)  # the records a legal hold would name
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DUE)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "record_kind", "record_id"], name="retention_review_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label


class DisposalLog(BaseModel):
    """What one disposal erased, in counts only. Retained: never itself disposed of."""

    # Retained as it was written: the application may add to the log, never change it.
    app_role_privileges = ("SELECT", "INSERT")

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    record_kind = models.CharField(max_length=30, choices=RecordKind.choices)
    record_id = models.CharField(max_length=40)
    disposed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    counts = models.JSONField(default=dict)
    rule = models.CharField(max_length=300)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Disposal of a {self.get_record_kind_display().lower()}"
