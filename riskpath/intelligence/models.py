from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from riskpath.accounts.models import Agency, Area
from riskpath.core.models import BaseModel, SoftDeleteModel
from riskpath.groups.models import Group
from riskpath.intelligence.enums import (
    Assessment,
    DisclosureStatus,
    HandlingCode,
    Provenance,
    SourceEvaluation,
    harm_type_labels,
)
from riskpath.locations.models import Location
from riskpath.people.models import PersonOfInterest, YoungPerson


class IntelligenceItem(SoftDeleteModel):
    """What a partner shares, graded in the UK police 3x5x2 form."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="intelligence")
    reported_on = models.DateField(help_text="When the partner learned of it.")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    source_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    sanitised_text = models.TextField(
        blank=True, help_text="A version fit for wider sharing, beside the original."
    )
    harm_types = models.JSONField(default=list, blank=True)
    immediate_risk = models.BooleanField(
        default=False, help_text="The item points to an immediate risk of harm."
    )
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices)
    assessment = models.CharField(max_length=1, choices=Assessment.choices)
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices)
    handling_conditions = models.TextField(blank=True)
    handling_roles = models.JSONField(
        default=list,
        blank=True,
        help_text="Roles that the handling conditions allow to see the item in full.",
    )
    provenance = models.CharField(max_length=12, choices=Provenance.choices)
    young_people = models.ManyToManyField(YoungPerson, blank=True, related_name="intelligence")
    persons_of_interest = models.ManyToManyField(
        PersonOfInterest, blank=True, related_name="intelligence"
    )
    locations = models.ManyToManyField(Location, blank=True, related_name="intelligence")
    groups = models.ManyToManyField(Group, blank=True, related_name="intelligence")
    import_key = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="Identity of an imported row."
    )

    class Meta:
        ordering = ["-reported_on", "-created_at"]
        indexes = [models.Index(fields=["area", "reported_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(handling_code="C") | ~models.Q(handling_conditions=""),
                name="handling_code_c_states_conditions",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grading} from {self.source_agency} on {self.reported_on}"

    @property
    def grading(self) -> str:
        return f"{self.source_evaluation}{self.assessment}{self.handling_code}"

    @property
    def harm_type_labels(self) -> list[str]:
        return harm_type_labels(self.harm_types)

    @property
    def handling_role_labels(self) -> list[str]:
        from riskpath.accounts.enums import Role

        labels = dict(Role.choices)
        return [str(labels.get(value, value)) for value in self.handling_roles or []]

    def disclosure_granted_to(self, user: Any) -> bool:
        # Lists answer this for every item on a page with one query (see selectors.py).
        known = getattr(self, "_granted_to", None)
        if known is not None and known[0] == user.pk:
            return bool(known[1])
        return self.disclosure_requests.filter(
            requested_by=user, status=DisclosureStatus.GRANTED
        ).exists()


class DisclosureRequest(BaseModel):
    """A request to see a handling-code-C item in full, and its answer."""

    item = models.ForeignKey(
        IntelligenceItem, on_delete=models.PROTECT, related_name="disclosure_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    status = models.CharField(
        max_length=10, choices=DisclosureStatus.choices, default=DisclosureStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} request for {self.item_id}"
