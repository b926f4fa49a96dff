"""The search index: one entry per searchable record and the keys it is found by
(``riskpath.search.keys``). Derived data only, rebuilt by ``riskpath search-index rebuild``;
the records themselves stay where they are and are re-read, scoped, for every answer."""

from __future__ import annotations

from django.db import models

from riskpath.accounts.models import Area


class Kind(models.TextChoices):
    YOUNG_PERSON = "young_person", "Young people"
    PERSON_OF_INTEREST = "person_of_interest", "Persons of interest"
    LOCATION = "location", "Locations"
    GROUP = "group", "Groups"


class SearchEntry(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    record_id = models.UUIDField()
    # Normalised names (a record's name and every alias, or a place's name and address),
    # separated by " | ": what ``keys.score`` ranks on. On PostgreSQL a trigram (GIN) index
    # covers it (migration 0002).
    names = models.TextField()
    date_of_birth = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="search_entry_record")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id}"


class SearchKey(models.Model):
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="keys")
    area_id = models.UUIDField()  # the entry's, so that one index answers a lookup
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=40)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            # Covers the lookup: area and key find the rows, the rest is read from the index.
            models.Index(
                fields=["area_id", "key", "kind", "entry", "weight"], name="search_key_lookup"
            )
        ]

    def __str__(self) -> str:
        return self.key
