"""One partnership with a record of every kind, users in every relation to them, and unique
*canary* strings planted where only some readers may see them. Shared by the tests that walk
every route: the authorization matrix, the canary test and the fail-closed test.

The world (area A, with an area B beside it):

- agencies: children's social care and police (first responders), a school, health;
- ``subject``: a young person recorded by social care, led by ``lead`` (school), on the
  cohort, with an open pathway episode (social worker, team manager, plan agreed, flags), a
  missing episode, a referral, intelligence (one P-coded, one C-coded from the police), a link
  to a person of interest, a group they belong to;
- ``other``: a young person recorded by the police whom nobody else is involved with;
- ``poi``: a person of interest (name and alias are canaries);
- a PIMM, held and its minutes approved, with an item about ``subject``, a confidential slot
  (its title, minutes, decision and an action raised in it are canaries) and a partner-system
  task;
- every role of the area as one user each, plus users "in the same agency but uninvolved" and
  a stranger holding every role in area B.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.cohort.models import CohortMembership
from riskpath.core import clock, workdays
from riskpath.governance.models import SubjectAccessRequest
from riskpath.groups.models import Group, GroupMembership
from riskpath.intelligence.models import DisclosureRequest, IntelligenceItem
from riskpath.links.models import Link
from riskpath.locations.models import Location
from riskpath.meetings import services as meeting_services
from riskpath.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    CoreMember,
    Decision,
    ItemKind,
    ItemMinutes,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MeetingType,
    MemberCapacity,
    PartnerTask,
)
from riskpath.pathway import services as pathway_services
from riskpath.pathway.models import Episode, EpisodeKind, Flag
from riskpath.people.merge import MergeRecord
from riskpath.people.models import (
    MissingEpisode,
    PersonOfInterest,
    PersonOfInterestMerge,
    YoungPerson,
)
from riskpath.referrals.models import Referral
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

# Canary strings: each appears in exactly one place in the world.
SUBJECT_GIVEN = "Wrenfield"
SUBJECT_FAMILY = "Quillastone"
OTHER_GIVEN = "Brambleton"
OTHER_FAMILY = "Osterwick"
POI_GIVEN = "Dacrevell"
POI_FAMILY = "Marrowick"
POI_ALIAS = "Snaketooth"
C_TEXT = "CANARY-CTEXT seen with a courier near the Glassworks underpass"
C_SANITISED = "CANARY-CSANITISED concern about a courier"
C_CONDITIONS = "CANARY-CCONDITIONS police managers only"
P_TEXT = "CANARY-PTEXT attends the youth club on Tuesdays"
SLOT_TITLE = "CANARY-SLOTTITLE professionals only"
SLOT_MINUTES = "CANARY-SLOTMINUTES the source is a family member"
SLOT_DECISION = "CANARY-SLOTDECISION refer to the covert team"
SLOT_ACTION = "CANARY-SLOTACTION check the phone download"
OPEN_MINUTES = "CANARY-OPENMINUTES school attendance has fallen"
SUBJECT_ALIAS = "Wrenny-canary"
SUBJECT_SCHOOL = "CANARY-SCHOOL Northvale High"
LOCATION_NAME = "Glassworks underpass"
LOCATION_ADDRESS = "CANARY-ADDRESS 12 Lime Walk"
GROUP_NAME = "CANARY-GROUP underpass peer group"

NAMES = {
    "subject": (SUBJECT_GIVEN, SUBJECT_FAMILY),
    "other": (OTHER_GIVEN, OTHER_FAMILY),
    "poi": (POI_GIVEN, POI_FAMILY, POI_ALIAS),
}
# Every canary, by what it is.
CANARIES: dict[str, str] = {
    "subject name": SUBJECT_FAMILY,
    "subject's alias": SUBJECT_ALIAS,
    "subject's school": "CANARY-SCHOOL",
    "other young person's name": OTHER_FAMILY,
    "person of interest's name": POI_FAMILY,
    "person of interest's alias": POI_ALIAS,
    "C-coded text": "CANARY-CTEXT",
    "C-coded sanitised text": "CANARY-CSANITISED",
    "C-coded conditions": "CANARY-CCONDITIONS",
    "confidential slot title": "CANARY-SLOTTITLE",
    "confidential slot minutes": "CANARY-SLOTMINUTES",
    "confidential slot decision": "CANARY-SLOTDECISION",
    "confidential slot action": "CANARY-SLOTACTION",
    "a location's address": "CANARY-ADDRESS",
    "a group's name": "CANARY-GROUP",
}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@dataclass
class World:
    area: Area
    social_care: Agency
    police: Agency
    school: Agency
    health: Agency
    users: dict[str, User]
    subject: YoungPerson
    other: YoungPerson
    poi: PersonOfInterest
    location: Location
    group: Group
    membership: GroupMembership
    link: Link
    p_item: IntelligenceItem
    c_item: IntelligenceItem
    place_item: IntelligenceItem
    disclosure: DisclosureRequest
    missing: MissingEpisode
    referral: Referral
    cohort: CohortMembership
    pimm_type: MeetingType
    meeting: Meeting
    open_item: AgendaItem
    slot: AgendaItem
    slot_action: Action
    open_action: Action
    task: PartnerTask
    decision: Decision
    merge: Any
    poi_merge: Any
    attendance: Attendance
    core_member: Any
    episode: Episode
    flag: Flag
    stranger: User
    sar: SubjectAccessRequest
    objects: dict[str, Any] = field(default_factory=dict)


# The users of area A, by the name the tests use: (role, agency).
USERS: dict[str, tuple[str, str]] = {
    "lead": (Role.LEAD_PROFESSIONAL, "school"),
    "school_colleague": (Role.LEAD_PROFESSIONAL, "school"),  # same agency as the lead
    "social_worker": (Role.SOCIAL_WORKER, "social_care"),  # episode's social worker
    "team_manager": (Role.TEAM_MANAGER, "social_care"),  # episode's team manager
    "service_manager": (Role.SERVICE_MANAGER, "social_care"),
    "consultant": (Role.CONSULTANT_SOCIAL_WORKER, "health"),
    "chair": (Role.CHAIR, "police"),  # chairs the PIMM
    "independent_chair": (Role.INDEPENDENT_CHAIR, "social_care"),
    "business_support": (Role.ADMINISTRATOR, "social_care"),
    "officer": (Role.PARTNER_REPRESENTATIVE, "police"),  # PIMM member, submitted the C item
    "nurse": (Role.PARTNER_REPRESENTATIVE, "health"),  # confirms the health flag
    "teacher": (Role.PARTNER_REPRESENTATIVE, "school"),  # uninvolved partner
    "panel": (Role.STRATEGIC_PANEL_MEMBER, "health"),
    "qa": (Role.QA_MEMBER, "school"),
    "area_admin": (Role.AREA_ADMINISTRATOR, "school"),
    "ig_officer": (Role.INFORMATION_GOVERNANCE_OFFICER, "social_care"),  # answers requests
}


def build_world() -> World:
    area = AreaFactory(name="Canary area")
    agencies = {
        "social_care": AgencyFactory(
            area=area,
            name="Canary children's services",
            kind=AgencyKind.SOCIAL_CARE,
            is_first_responder=True,
        ),
        "police": AgencyFactory(
            area=area, name="Canary police", kind=AgencyKind.POLICE, is_first_responder=True
        ),
        "school": AgencyFactory(area=area, name="Canary academy", kind=AgencyKind.EDUCATION),
        "health": AgencyFactory(area=area, name="Canary health", kind=AgencyKind.HEALTH),
    }
    users = {
        name: UserFactory(agency=agencies[agency], roles=[role], full_name=f"Staff {name}")
        for name, (role, agency) in USERS.items()
    }
    stranger = UserFactory(
        agency=AgencyFactory(area=AreaFactory(), kind=AgencyKind.SOCIAL_CARE),
        roles=list(Role.values),
        full_name="Staff stranger",
    )
    today = clock.today()
    subject = YoungPersonFactory(
        recording_agency=agencies["social_care"],
        recorded_by=users["social_worker"],
        given_names=SUBJECT_GIVEN,
        family_name=SUBJECT_FAMILY,
        lead_professional=users["lead"],
        date_of_birth=today.replace(year=today.year - 15) - dt.timedelta(days=30),
        aliases=[SUBJECT_ALIAS],
        school=SUBJECT_SCHOOL,
    )
    other = YoungPersonFactory(
        recording_agency=agencies["police"],
        recorded_by=users["officer"],
        given_names=OTHER_GIVEN,
        family_name=OTHER_FAMILY,
    )
    poi = PersonOfInterest.objects.create(
        area=area,
        given_names=POI_GIVEN,
        family_name=POI_FAMILY,
        aliases=[POI_ALIAS],
        recording_agency=agencies["police"],
        recorded_by=users["officer"],
    )
    location = Location.objects.create(
        area=area,
        name=LOCATION_NAME,
        address=LOCATION_ADDRESS,
        kind="transport_hub",
        recording_agency=agencies["police"],
        recorded_by=users["officer"],
    )
    group = Group.objects.create(
        area=area,
        name=GROUP_NAME,
        kind="peer_group",
        recording_agency=agencies["police"],
        recorded_by=users["officer"],
    )
    membership = GroupMembership.objects.create(
        group=group, young_person=subject, joined_on=today - dt.timedelta(days=40)
    )
    GroupMembership.objects.create(
        group=group, person_of_interest=poi, joined_on=today - dt.timedelta(days=40)
    )

    def item(**values: Any) -> IntelligenceItem:
        about = values.pop("about", [])
        defaults = {
            "area": area,
            "reported_on": today - dt.timedelta(days=3),
            "source_agency": agencies["police"],
            "submitted_by": users["officer"],
            "harm_types": ["cce"],
            "source_evaluation": "2",
            "assessment": "B",
            "handling_code": "P",
            "provenance": "second_hand",
        }
        made = IntelligenceItem.objects.create(**{**defaults, **values})
        made.young_people.set(about)
        return made

    p_item = item(text=P_TEXT, about=[subject])
    p_item.persons_of_interest.set([poi])
    c_item = item(
        text=C_TEXT,
        sanitised_text=C_SANITISED,
        handling_code="C",
        handling_conditions=C_CONDITIONS,
        about=[subject],
    )
    c_item.persons_of_interest.set([poi])
    place_item = item(text="Groups gather at the underpass after dark")
    place_item.locations.set([location])
    disclosure = DisclosureRequest.objects.create(
        item=c_item, requested_by=users["social_worker"], reason="Planning a home visit soon"
    )
    link = Link.objects.create(
        area=area,
        source_young_person=subject,
        target_person_of_interest=poi,
        kind="associate",
        recorded_by=users["officer"],
    )
    link.evidence.set([p_item])
    missing = MissingEpisode.objects.create(
        young_person=subject,
        reported_at=at(today - dt.timedelta(days=10), 21),
        reporting_agency=agencies["police"],
        recorded_by=users["officer"],
    )
    referral = Referral.objects.create(
        young_person=subject,
        to="base",
        made_on=today - dt.timedelta(days=9),
        referring_agency=agencies["social_care"],
        recorded_by=users["social_worker"],
    )
    cohort = CohortMembership.objects.create(
        area=area,
        young_person=subject,
        tier=1,
        entered_at=timezone.now() - dt.timedelta(days=20),
        entry_reason="Corroborated by three partners",
    )

    # The PIMM: held, minuted and approved.
    meeting_services.meeting_types_install_presets(actor=users["area_admin"], area=area)
    pimm_type = MeetingType.objects.get(area=area, kind=MeetingKind.PIMM)
    core = CoreMember.objects.create(
        meeting_type=pimm_type, user=users["chair"], capacity=MemberCapacity.CHAIR
    )
    CoreMember.objects.create(meeting_type=pimm_type, user=users["officer"])
    CoreMember.objects.create(meeting_type=pimm_type, user=users["social_worker"])
    held_on = workdays.for_area(area).before(today, 3)
    meeting = Meeting.objects.create(
        area=area,
        meeting_type=pimm_type,
        title="PIMM",
        starts_at=at(held_on),
        ends_at=at(held_on, 12),
        status=MeetingStatus.HELD,
        chair=users["chair"],
        held_at=at(held_on, 12),
        minutes_due_on=today + dt.timedelta(days=5),
        approved_at=timezone.now(),
        approved_by=users["chair"],
        papers_published_at=at(held_on - dt.timedelta(days=3)),
    )
    attendance = Attendance.objects.create(
        meeting=meeting, user=users["chair"], agency=agencies["police"], status="present"
    )
    for name in ("officer", "social_worker"):
        Attendance.objects.create(
            meeting=meeting, user=users[name], agency=users[name].agency, status="present"
        )
    open_item = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        kind=ItemKind.COHORT_REVIEW,
        title=f"Review of {subject}",
        young_person=subject,
        intelligence_ids=[str(p_item.pk), str(c_item.pk)],
    )
    ItemMinutes.objects.create(item=open_item, discussion=OPEN_MINUTES)
    slot = AgendaItem.objects.create(
        meeting=meeting,
        position=2,
        kind=ItemKind.OTHER,
        title=SLOT_TITLE,
        confidential=True,
        young_person=subject,
    )
    ItemMinutes.objects.create(item=slot, discussion=SLOT_MINUTES)
    decision = Decision.objects.create(
        item=slot,
        kind="referral",
        text=SLOT_DECISION,
        young_person=subject,
        recorded_by=users["chair"],
        recorded_at=timezone.now(),
    )
    task = PartnerTask.objects.create(
        area=area,
        decision=decision,
        system="mosaic",
        assignee=users["lead"],
        extract=f"Exploitation concern: refer to the team, for {subject}",
    )
    slot_action = Action.objects.create(
        area=area,
        meeting=meeting,
        item=slot,
        description=SLOT_ACTION,
        owner_agency=agencies["police"],
        young_person=subject,
        due_on=today + dt.timedelta(days=7),
        created_by=users["chair"],
    )
    open_action = Action.objects.create(
        area=area,
        meeting=meeting,
        item=open_item,
        description="Share the school's attendance record",
        owner_agency=agencies["school"],
        young_person=subject,
        due_on=today + dt.timedelta(days=7),
        created_by=users["chair"],
    )

    # The pathway: plan agreed, flags raised.
    started = workdays.for_area(area).before(today, 12)
    episode = pathway_services.episode_open(
        actor=users["social_worker"],
        young_person=subject,
        kind=EpisodeKind.UNDER_18,
        strategy_discussion_date=started,
        team_manager=users["team_manager"],
        team="Locality",
    )

    def act(actor: str, action: str, **data: Any) -> Episode:
        episode.refresh_from_db()
        return pathway_services.episode_act(
            actor=users[actor],
            episode=episode,
            action=action,
            expected_version=episode.version,
            data=data,
        )

    act("social_worker", "record_s47_outcome", threshold_met=True, recorded_on=started)
    act("team_manager", "record_route", route="rmp", recorded_on=started)
    act("service_manager", "agree_route", agreed_on=started)
    held = workdays.for_area(area).before(today, 2)
    act("independent_chair", "record_marmm", held_on=held, chair=users["independent_chair"])
    act(
        "independent_chair",
        "add_plan_action",
        section="disruption",
        description="Disrupt the courier route",
        owner_agency=agencies["police"],
    )
    act(
        "independent_chair",
        "answer_plan_questions",
        trigger_plan_needed=False,
        nrm_needed=False,
        nrm_reason="No indicators of trafficking",
    )
    episode = act("independent_chair", "agree_plan", agreed_on=held)
    flag = Flag.objects.filter(episode=episode, system="health").get()

    # A subject access request about the subject, recorded and not yet compiled.
    sar = SubjectAccessRequest.objects.create(
        area=area,
        young_person=subject,
        requester_name="A parent of the subject",
        requester_kind="parent",
        received_on=today - dt.timedelta(days=5),
        recorded_by=users["ig_officer"],
    )

    # An earlier duplicate record of the subject, merged into it.
    duplicate = YoungPersonFactory(
        recording_agency=agencies["social_care"],
        recorded_by=users["social_worker"],
        given_names=SUBJECT_GIVEN,
        family_name=SUBJECT_FAMILY,
    )
    YoungPerson.objects.filter(pk=duplicate.pk).update(
        deleted_at=timezone.now(), deleted_by=users["team_manager"], deletion_reason="merged"
    )
    merge = MergeRecord.objects.create(
        area=area,
        keep=subject,
        merge_away=duplicate,
        reason="The same child recorded twice",
        merged_by=users["team_manager"],
        moved={},
    )
    # An earlier duplicate record of the person of interest, merged into it.
    poi_duplicate = PersonOfInterest.objects.create(
        area=area,
        given_names=POI_GIVEN,
        family_name=POI_FAMILY,
        recording_agency=agencies["police"],
        recorded_by=users["officer"],
        deleted_at=timezone.now(),
        deletion_reason="merged",
    )
    poi_merge = PersonOfInterestMerge.objects.create(
        area=area,
        keep=poi,
        merge_away=poi_duplicate,
        reason="The same person recorded twice",
        merged_by=users["team_manager"],
        moved={},
    )

    return World(
        area=area,
        social_care=agencies["social_care"],
        police=agencies["police"],
        school=agencies["school"],
        health=agencies["health"],
        users=users,
        subject=subject,
        other=other,
        poi=poi,
        location=location,
        group=group,
        membership=membership,
        link=link,
        p_item=p_item,
        c_item=c_item,
        place_item=place_item,
        disclosure=disclosure,
        missing=missing,
        referral=referral,
        cohort=cohort,
        pimm_type=pimm_type,
        meeting=meeting,
        open_item=open_item,
        slot=slot,
        slot_action=slot_action,
        open_action=open_action,
        task=task,
        decision=decision,
        merge=merge,
        poi_merge=poi_merge,
        attendance=attendance,
        core_member=core,
        episode=episode,
        flag=flag,
        stranger=stranger,
        sar=sar,
    )
