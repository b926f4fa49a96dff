from django.db import models


class Role(models.TextChoices):
    """The roles a user can hold in their area (DESIGN.md, "Who uses it")."""

    PARTNER_REPRESENTATIVE = "partner_representative", "Partner representative"
    CHAIR = "chair", "Chair or vice-chair"
    ADMINISTRATOR = "administrator", "Meeting administrator (business support)"
    LEAD_PROFESSIONAL = "lead_professional", "Lead professional"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    CONSULTANT_SOCIAL_WORKER = "consultant_social_worker", "Consultant social worker"
    INDEPENDENT_CHAIR = "independent_chair", "Independent chair"
    QA_MEMBER = "qa_member", "Quality-assurance group member"
    STRATEGIC_PANEL_MEMBER = "strategic_panel_member", "Strategic panel member"
    AREA_ADMINISTRATOR = "area_administrator", "Area administrator"
    INFORMATION_GOVERNANCE_OFFICER = (
        "information_governance_officer",
        "Information-governance officer",
    )


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    SOCIAL_CARE = "social_care", "Children's social care"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    LOCAL_AUTHORITY = "local_authority", "Local authority (other)"
    VOLUNTARY = "voluntary", "Voluntary or commissioned service"
    OTHER = "other", "Other"
