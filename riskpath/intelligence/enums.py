from collections.abc import Iterable

from django.db import models


class HarmType(models.TextChoices):
    CSE = "cse", "Child sexual exploitation"
    CCE = "cce", "Child criminal exploitation"
    COUNTY_LINES = "county_lines", "County lines"
    SERIOUS_VIOLENCE = "serious_violence", "Serious violence"
    HSB = "hsb", "Harmful sexual behaviour"
    TRAFFICKING = "trafficking", "Trafficking or modern slavery"
    RADICALISATION = "radicalisation", "Radicalisation"
    ONLINE_HARM = "online_harm", "Online harm"
    MISSING = "missing", "Missing"


class SourceEvaluation(models.TextChoices):
    """3x5x2: how reliable the source is."""

    RELIABLE = "1", "1: Reliable"
    UNTESTED = "2", "2: Untested"
    NOT_RELIABLE = "3", "3: Not reliable"


class Assessment(models.TextChoices):
    """3x5x2: how the intelligence is known."""

    A = "A", "A: Known directly to the source"
    B = "B", "B: Known indirectly, corroborated"
    C = "C", "C: Known indirectly"
    D = "D", "D: Not known"
    E = "E", "E: Suspected to be false"


class HandlingCode(models.TextChoices):
    """3x5x2: may it be shared."""

    P = "P", "P: Lawful sharing permitted"
    C = "C", "C: Lawful sharing permitted with conditions"


class Provenance(models.TextChoices):
    FIRST_HAND = "first_hand", "First-hand"
    SECOND_HAND = "second_hand", "Second-hand"
    THIRD_HAND = "third_hand", "Third-hand"


class DisclosureStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


def harm_type_labels(codes: Iterable[str] | None) -> list[str]:
    """The labels of harm-type codes, in the order given: how every page shows them. A code
    that is not a harm type (older data) is shown as words, never as the code."""
    labels = dict(HarmType.choices)
    return [
        str(labels.get(code) or str(code).replace("_", " ").capitalize()) for code in codes or ()
    ]
