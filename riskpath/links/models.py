"""Associations between any two of: young person, person of interest, location, group."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from riskpath.accounts.models import Area
from riskpath.core.models import SoftDeleteModel
from riskpath.groups.ends import ENDS
from riskpath.groups.models import Group
from riskpath.intelligence.models import IntelligenceItem
from riskpath.locations.models import Location
from riskpath.people.models import PersonOfInterest, YoungPerson


class LinkKind(models.TextChoices):
    ASSOCIATE = "associate", "Associate of"
    SIBLING = "sibling", "Sibling of"
    PARTNER = "partner", "Partner of"
    VICTIM_OF = "victim_of", "Victim of"
    EXPLOITED_BY = "exploited_by", "Exploited by"
    FREQUENTS = "frequents", "Frequents"
    LIVES_AT = "lives_at", "Lives at"
    SEEN_WITH = "seen_with", "Seen with"
    MEMBER_OF = "member_of", "Member of"


class LinkStrength(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    TENTATIVE = "tentative", "Tentative"
    UNCONFIRMED = "unconfirmed", "Unconfirmed"


# ENDS: the four kinds of thing a link joins (groups.ends states them).


def _one_end(prefix: str) -> models.Q:
    """Exactly one of the four ``<prefix>_<kind>`` columns is set."""
    options = []
    for chosen in ENDS:
        q = models.Q(**{f"{prefix}_{chosen}__isnull": False})
        for other in ENDS:
            if other != chosen:
                q &= models.Q(**{f"{prefix}_{other}__isnull": True})
        options.append(q)
    result = options[0]
    for q in options[1:]:
        result |= q
    return result


class Link(SoftDeleteModel):
    """A typed, dated association, evidenced by intelligence items."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="links")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    strength = models.CharField(
        max_length=12, choices=LinkStrength.choices, default=LinkStrength.UNCONFIRMED
    )
    first_seen = models.DateField(null=True, blank=True)
    last_seen = models.DateField(null=True, blank=True)
    source_young_person = models.ForeignKey(
        YoungPerson, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_person_of_interest = models.ForeignKey(
        PersonOfInterest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_young_person = models.ForeignKey(
        YoungPerson, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_person_of_interest = models.ForeignKey(
        PersonOfInterest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.ManyToManyField(IntelligenceItem, blank=True, related_name="links")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-last_seen", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=_one_end("source"), name="link_one_source"),
            models.CheckConstraint(condition=_one_end("target"), name="link_one_target"),
            models.CheckConstraint(
                condition=models.Q(first_seen__isnull=True)
                | models.Q(last_seen__isnull=True)
                | models.Q(last_seen__gte=models.F("first_seen")),
                name="link_last_seen_not_before_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display().lower()} {self.target}"

    @property
    def source(self) -> object:
        return next(
            getattr(self, f"source_{end}") for end in ENDS if getattr(self, f"source_{end}_id")
        )

    @property
    def target(self) -> object:
        return next(
            getattr(self, f"target_{end}") for end in ENDS if getattr(self, f"target_{end}_id")
        )
