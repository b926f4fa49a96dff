from __future__ import annotations

from django.conf import settings
from django.db import models

from riskpath.accounts.models import Agency, Area
from riskpath.core.models import BaseModel, SoftDeleteModel
from riskpath.people.models import PersonOfInterest, YoungPerson


class GroupKind(models.TextChoices):
    PEER_GROUP = "peer_group", "Peer group"
    ORGANISED_CRIME_GROUP = "ocg", "Organised crime group"
    COHORT = "cohort", "Cohort under oversight"


class Group(SoftDeleteModel):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=GroupKind.choices)
    description = models.TextField(blank=True)
    recording_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMembership(BaseModel):
    """A young person or person of interest in a group, over a period."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    young_person = models.ForeignKey(
        YoungPerson, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person_of_interest = models.ForeignKey(
        PersonOfInterest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(young_person__isnull=False, person_of_interest__isnull=True)
                    | models.Q(young_person__isnull=True, person_of_interest__isnull=False)
                ),
                name="group_member_is_one_person",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(joined_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="group_member_left_after_joining",
            ),
            # A person has at most one open membership of a group at a time.
            models.UniqueConstraint(
                fields=["group", "young_person"],
                condition=models.Q(left_on__isnull=True, young_person__isnull=False),
                name="group_one_open_membership_young_person",
            ),
            models.UniqueConstraint(
                fields=["group", "person_of_interest"],
                condition=models.Q(left_on__isnull=True, person_of_interest__isnull=False),
                name="group_one_open_membership_poi",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.young_person or self.person_of_interest} in {self.group}"
