from django.db import models


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """The 2021 census high-level groups (England and Wales)."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    NOT_KNOWN = "not_known", "Not known"


class CareStatus(models.TextChoices):
    NONE = "none", "No social care involvement"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Looked after"
    CARE_LEAVER = "care_leaver", "Care leaver (to 25)"


class DisruptionKind(models.TextChoices):
    ARREST = "arrest", "Arrest"
    CHARGE = "charge", "Charge"
    CIVIL_INJUNCTION = "civil_injunction", "Civil injunction"
    CPW = "cpw", "Community protection warning"
    CPN = "cpn", "Community protection notice"
    CBO = "cbo", "Criminal behaviour order"
    CAWN = "cawn", "Child abduction warning notice"
    STRO = "stro", "Slavery and trafficking risk order"
    CLOSURE_ORDER = "closure_order", "Closure order"
    OTHER = "other", "Other"


class EpisodeKind(models.TextChoices):
    MISSING = "missing", "Missing"
    ABSENT = "absent", "Absent without authorisation"
