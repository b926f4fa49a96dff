from django.db import models


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    COMPILED = "compiled", "Compiled: redactions to review"
    APPROVED = "approved", "Approved: disclosure being produced"
    PRODUCED = "produced", "Disclosure produced"


class RequesterKind(models.TextChoices):
    SUBJECT = "subject", "The young person themselves"
    PARENT = "parent", "A parent or carer on their behalf"
    REPRESENTATIVE = "representative", "A solicitor or other representative"


class PauseReason(models.TextChoices):
    IDENTITY = "identity", "Waiting for proof of identity"
    CLARIFICATION = "clarification", "Waiting for clarification of the request"


class PartyKind(models.TextChoices):
    YOUNG_PERSON = "young_person", "Another young person"
    PERSON_OF_INTEREST = "person_of_interest", "Person of interest"
    PUBLIC = "public", "Member of the public"
    PROFESSIONAL = "professional", "Professional"


# Third parties are reviewed for redaction; professionals' names are kept unless the officer
# decides otherwise.
THIRD_PARTIES = frozenset({PartyKind.YOUNG_PERSON, PartyKind.PERSON_OF_INTEREST, PartyKind.PUBLIC})


class RedactionDecision(models.TextChoices):
    PENDING = "pending", "To decide"
    REDACT = "redact", "Redact"
    KEEP = "keep", "Disclose"


class Exemption(models.TextChoices):
    """The grounds on which information is withheld (Data Protection Act 2018)."""

    THIRD_PARTY = (
        "third_party",
        "Third-party personal data (DPA 2018, Schedule 2, Part 3, paragraph 16)",
    )
    CRIME = "crime", "Prevention or detection of crime (DPA 2018, Schedule 2, Part 1, paragraph 2)"
    SOCIAL_WORK = (
        "social_work",
        "Social work data: serious harm (DPA 2018, Schedule 3, Part 3)",
    )
    HEALTH = "health", "Health data: serious harm (DPA 2018, Schedule 3, Part 2)"
    LEGAL_PRIVILEGE = (
        "legal_privilege",
        "Legal professional privilege (DPA 2018, Schedule 2, Part 4, paragraph 19)",
    )


class HoldScope(models.TextChoices):
    PERSON = "person", "A young person"
    GROUP = "group", "A group"
    MEETING = "meeting", "A meeting"
    AREA = "area", "Everything in the area"


class RecordKind(models.TextChoices):
    """The kinds of record the retention schedule covers."""

    INTELLIGENCE = "intelligence", "Intelligence item"
    YOUNG_PERSON_PLAN = "young_person_plan", "Young person with a plan (pathway episode)"
    YOUNG_PERSON = "young_person", "Young person without a plan"
    PERSON_OF_INTEREST = "person_of_interest", "Person of interest"
    LINK = "link", "Link"
    MINUTES = "minutes", "Meeting minutes"
    AUDIT = "audit", "Audit events"


class Trigger(models.TextChoices):
    BIRTHDAY_18 = "birthday_18", "18th birthday"
    BIRTHDAY_25 = "birthday_25", "25th birthday"
    PLAN_ENDED = "plan_ended", "Plan ended"
    LAST_ACTIVITY = "last_activity", "Last activity"
    CREATED = "created", "Recorded"


class ReviewStatus(models.TextChoices):
    DUE = "due", "Due for review"
    APPROVED = "approved", "Approved for disposal"
    RETAINED = "retained", "Kept after review"
    DISPOSED = "disposed", "Disposed of"
