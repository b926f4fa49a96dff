"""The meeting types in the source documents, as presets an area starts from. Each is
ordinary area configuration once installed: the area changes recurrence, membership,
timescales and terms of reference to suit itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from riskpath.accounts.enums import Role
from riskpath.meetings.models import MeetingKind as K

DEFAULT_DECLARATION = (
    "I understand that the information shared in this meeting is confidential. It is shared "
    "to protect children and young people from harm, and I will use it only for that purpose. "
    "I will not share it with anyone outside this meeting except as the meeting agrees, and I "
    "will keep any notes I take securely."
)

# The PIMM, the targeted PIMM and the HSB/AIM panel circulate names for members to research.
RESEARCH_DAYS_AFTER = 7


@dataclass(frozen=True)
class TypePreset:
    kind: str
    name: str
    recurrence: str = ""  # RRULE; blank: convened on request
    start_time: dt.time | None = dt.time(10, 0)
    duration_minutes: int = 120
    intelligence_window_days: int | None = None
    # Participants see who is on a published agenda, to research the names, until this many
    # days after the meeting (None: not at all).
    research_days_after: int | None = None
    chair_roles: tuple[str, ...] = (Role.CHAIR,)
    requires_declaration: bool = False
    papers_working_days: int | None = None
    minutes_working_days: int | None = None
    family_may_attend: bool = False
    has_confidential_slot: bool = False
    slot_minutes: int | None = None
    terms_of_reference: str = ""
    core_agency_kinds: tuple[str, ...] = field(default=())


PRESETS: tuple[TypePreset, ...] = (
    TypePreset(
        kind=K.PIMM,
        name="PIMM",
        recurrence="FREQ=WEEKLY;INTERVAL=2",
        intelligence_window_days=14,
        research_days_after=RESEARCH_DAYS_AFTER,
        minutes_working_days=5,
        terms_of_reference=(
            "The partnership intelligence and multi-agency meeting shares and grades what "
            "partners know about young people at risk of extra-familial harm, the persons of "
            "interest and the places involved; keeps the tiered cohort; and agrees actions "
            "and disruption. Chaired by the chair or vice-chair with the core agencies."
        ),
        core_agency_kinds=("police", "social_care", "education", "health", "youth_justice"),
    ),
    TypePreset(
        kind=K.TARGETED_PIMM,
        name="Targeted PIMM",
        intelligence_window_days=28,
        research_days_after=RESEARCH_DAYS_AFTER,
        minutes_working_days=5,
        terms_of_reference=(
            "Convened on request (for example by a school) about a group of young people, to "
            "share low-level and untested concerns and agree who does what."
        ),
    ),
    TypePreset(
        kind=K.MARMM,
        name="MARMM",
        chair_roles=(Role.INDEPENDENT_CHAIR,),
        minutes_working_days=2,
        family_may_attend=True,
        has_confidential_slot=True,
        terms_of_reference=(
            "The multi-agency risk management meeting agrees the risk management plan for one "
            "young person. Independently chaired; the young person and their family are "
            "invited to part or all of it; a confidential slot is held without them. Minutes "
            "and plan within 2 working days."
        ),
    ),
    TypePreset(
        kind=K.CARE_LEAVERS,
        name="Care leavers safeguarding meeting",
        chair_roles=(Role.TEAM_MANAGER,),
        minutes_working_days=2,
        terms_of_reference=(
            "A strategy-discussion format meeting, chaired by a team manager, for a care "
            "leaver aged 18 to 25 at risk of exploitation."
        ),
    ),
    TypePreset(
        kind=K.COMPLEX,
        name="Complex extra-familial safeguarding meeting",
        chair_roles=(Role.SERVICE_MANAGER,),
        minutes_working_days=5,
        terms_of_reference=(
            "Convened by a service manager on the convening form where several young people "
            "or a place are at risk; agrees a group action plan and reviews it until the risk "
            "diminishes."
        ),
    ),
    TypePreset(
        kind=K.QA_GROUP,
        name="Quality-assurance group",
        recurrence="FREQ=MONTHLY;INTERVAL=3",
        terms_of_reference="Audits MARMMs and reports quarterly on their quality and timeliness.",
    ),
    TypePreset(
        kind=K.STRATEGIC_PANEL,
        name="Strategic panel",
        recurrence="FREQ=MONTHLY;INTERVAL=3",
        papers_working_days=5,
        minutes_working_days=10,
        terms_of_reference=(
            "Meets quarterly (urgent meetings possible) to oversee the partnership's response "
            "to extra-familial harm; the chair vets agenda items; receives escalations."
        ),
    ),
    TypePreset(
        kind=K.HSB_AIM,
        name="HSB/AIM panel",
        recurrence="FREQ=MONTHLY;BYDAY=1MO",
        start_time=dt.time(13, 0),
        duration_minutes=240,
        papers_working_days=7,
        minutes_working_days=7,
        slot_minutes=30,
        research_days_after=RESEARCH_DAYS_AFTER,
        terms_of_reference=(
            "Monthly panel for harmful sexual behaviour using the AIM assessment: referrals "
            "are booked into time slots; papers go out 7 working days before; minutes within "
            "7 working days."
        ),
    ),
    TypePreset(
        kind=K.STRATEGIC_EXPLOITATION,
        name="Strategic exploitation meeting",
        recurrence="FREQ=MONTHLY",
        duration_minutes=120,
        requires_declaration=True,
        minutes_working_days=5,
        terms_of_reference=(
            "Monthly, two hours. Every participant signs the confidentiality declaration, "
            "which is read out at the start."
        ),
    ),
)

PRESETS_BY_KIND: dict[str, TypePreset] = {p.kind: p for p in PRESETS}
