from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from riskpath.accounts.models import Agency, Area
from riskpath.core.models import BaseModel, SoftDeleteModel
from riskpath.people.enums import CareStatus, DisruptionKind, EpisodeKind, Ethnicity, Gender


class YoungPerson(SoftDeleteModel):
    """A child or young person the partnership is concerned about (the subject)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="young_people")
    given_names = models.CharField(max_length=120)
    family_name = models.CharField(max_length=120)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_estimated = models.BooleanField(default=False)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names the young person is known by."
    )
    gender = models.CharField(
        max_length=16, choices=Gender.choices, default=Gender.NOT_KNOWN, blank=True
    )
    ethnicity = models.CharField(
        max_length=16, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN, blank=True
    )
    school = models.CharField(max_length=160, blank=True)
    locality = models.CharField(max_length=120, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    care_status = models.CharField(
        max_length=20, choices=CareStatus.choices, default=CareStatus.NONE
    )
    # Identifiers in partner systems, each validated for shape by the services.
    mosaic_id = models.CharField("Mosaic ID", max_length=20, blank=True)
    liquidlogic_id = models.CharField("LiquidLogic ID", max_length=20, blank=True)
    niche_id = models.CharField("Niche ID", max_length=30, blank=True)
    flare_id = models.CharField("Flare ID", max_length=30, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    recording_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="young_people_led",
    )
    # Phonetic keys of the names, for the duplicate check (see duplicates.name_keys); kept in
    # step with the names by the services.
    family_key = models.CharField(max_length=20, blank=True, default="")
    given_key = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["family_name", "given_names"]
        indexes = [
            models.Index(fields=["area", "family_name"]),
            # The duplicate check's blocking filter (duplicates.blocking_filter)
            models.Index(fields=["date_of_birth"], name="people_yp_dob_idx"),
            models.Index(fields=["family_key", "date_of_birth"], name="people_yp_family_key_idx"),
            models.Index(fields=["given_key", "date_of_birth"], name="people_yp_given_key_idx"),
            models.Index(fields=["postcode", "date_of_birth"], name="people_yp_postcode_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.given_names} {self.family_name}"


class PersonOfInterest(SoftDeleteModel):
    """A possible perpetrator. May also be a young person: then ``young_person`` is set and
    the identity (names, date of birth) is the young person's — one human, one record."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="persons_of_interest")
    young_person = models.OneToOneField(
        YoungPerson,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="as_person_of_interest",
    )
    given_names = models.CharField(max_length=120, blank=True)
    family_name = models.CharField(max_length=120, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    recording_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Phonetic keys of the person's own names (blank when the identity is a young person's).
    family_key = models.CharField(max_length=20, blank=True, default="")
    given_key = models.CharField(max_length=20, blank=True, default="")

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name_plural = "persons of interest"
        indexes = [
            models.Index(fields=["date_of_birth"], name="people_poi_dob_idx"),
            models.Index(fields=["family_key", "date_of_birth"], name="people_poi_family_key_idx"),
            models.Index(fields=["given_key", "date_of_birth"], name="people_poi_given_key_idx"),
        ]

    def __str__(self) -> str:
        if self.young_person_id and self.young_person:
            return str(self.young_person)
        return f"{self.given_names} {self.family_name}".strip() or "Unnamed person of interest"

    # The identity: the young person's when this person of interest is also one.
    @property
    def identity_given_names(self) -> str:
        return self.young_person.given_names if self.young_person else self.given_names

    @property
    def identity_family_name(self) -> str:
        return self.young_person.family_name if self.young_person else self.family_name

    @property
    def identity_aliases(self) -> list[str]:
        return list(self.young_person.aliases if self.young_person else self.aliases)

    @property
    def identity_date_of_birth(self) -> dt.date | None:
        return self.young_person.date_of_birth if self.young_person else self.date_of_birth


class DisruptionActivity(BaseModel):
    """What partners have done to disrupt a person of interest."""

    person = models.ForeignKey(
        PersonOfInterest, on_delete=models.CASCADE, related_name="disruptions"
    )
    kind = models.CharField(max_length=20, choices=DisruptionKind.choices)
    date = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date}"


class MissingEpisode(SoftDeleteModel):
    """A young person missing, or absent without authorisation, and their return."""

    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="missing_episodes"
    )
    kind = models.CharField(max_length=10, choices=EpisodeKind.choices, default=EpisodeKind.MISSING)
    reported_at = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    where_found = models.CharField(max_length=200, blank=True)
    interview_offered = models.BooleanField(default=False)
    interview_done_at = models.DateTimeField(null=True, blank=True)
    interview_by = models.CharField(max_length=160, blank=True)
    reporting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    import_key = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="Identity of an imported row."
    )

    class Meta:
        ordering = ["-reported_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(returned_at__isnull=True)
                | models.Q(returned_at__gte=models.F("reported_at")),
                name="missing_return_after_report",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.reported_at:%d %b %Y}"


class AliasKey(models.Model):
    """A phonetic key of one word of a known alias, so that the duplicate check finds a record
    by its aliases through an index. Rebuilt whenever the aliases change."""

    young_person = models.ForeignKey(
        YoungPerson, null=True, blank=True, on_delete=models.CASCADE, related_name="alias_keys"
    )
    person_of_interest = models.ForeignKey(
        PersonOfInterest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alias_keys",
    )
    key = models.CharField(max_length=20, db_index=True)

    def __str__(self) -> str:
        return self.key


class MergeRecord(BaseModel):
    """Two records of one young person merged into one: which records moved from
    ``merge_away`` to ``keep``, so that the merge can be undone exactly."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    keep = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="merges_kept")
    merge_away = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="merges_away"
    )
    reason = models.TextField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moved = models.JSONField(default=dict, help_text="What moved, by kind, for the undo.")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merge_away} merged into {self.keep}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class PersonOfInterestMerge(BaseModel):
    """Two records of one person of interest merged into one: which records moved from
    ``merge_away`` to ``keep``, so that the merge can be undone exactly."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    keep = models.ForeignKey(PersonOfInterest, on_delete=models.PROTECT, related_name="merges_kept")
    merge_away = models.ForeignKey(
        PersonOfInterest, on_delete=models.PROTECT, related_name="merges_away"
    )
    reason = models.TextField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moved = models.JSONField(default=dict, help_text="What moved, by kind, for the undo.")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.merge_away} merged into {self.keep}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class DuplicateKind(models.TextChoices):
    YOUNG_PERSON = "young_person", "Young people"
    PERSON_OF_INTEREST = "person_of_interest", "Persons of interest"


class NotSamePerson(BaseModel):
    """Two records a reviewer has said are of different people: the duplicate report leaves
    the pair out from then on. ``first_id`` and ``second_id`` are the two records' ids in
    order (the smaller first), of young people or of persons of interest (``kind``)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=DuplicateKind.choices)
    first_id = models.UUIDField()
    second_id = models.UUIDField()
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "first_id", "second_id"], name="people_not_same_person_once"
            ),
            models.CheckConstraint(
                condition=models.Q(first_id__lt=models.F("second_id")),
                name="people_not_same_person_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} is not {self.second_id}"
