"""riskpath's access policy: every permission rule lives in this module.

Views, API endpoints and commands ask ``check(rule, user, obj)``; nothing else decides who may
do what. Rules are ``rules`` predicates composed from the user's roles, their agency and area,
and their *involvement* with a record (see ``riskpath.access.involvement``). Need-to-know is
the model: being signed in is never enough on its own.

Two short lists name the only routes that are not behind a rule: ``PUBLIC_ROUTES`` (sign-in
and password reset, health check) and ``SELF_ROUTES`` (a signed-in user's own account pages,
which show nothing about anyone else). Every other route must name a rule, or the default-deny
middleware refuses it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules

from riskpath.access import facts
from riskpath.accounts.enums import AgencyKind, Role
from riskpath.core import clock

# ---------------------------------------------------------------------------------------------
# Routes outside the rules
# ---------------------------------------------------------------------------------------------

PUBLIC_ROUTES: frozenset[str] = frozenset(
    {
        "account_login",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "mfa_authenticate",
        "healthz",
    }
)

SELF_ROUTES: frozenset[str] = frozenset(
    {
        "account_logout",
        "account_change_password",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_list_webauthn",
        "mfa_add_webauthn",
        "mfa_remove_webauthn",
        "mfa_edit_webauthn",
        "mfa_reauthenticate_webauthn",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "web:home",
    }
)

# Roles that may open a record they have no involvement with, after stating why.
BREAK_GLASS_ROLES: frozenset[str] = frozenset(
    {Role.SERVICE_MANAGER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.CHAIR}
)

# Roles that record and keep information about young people.
RECORDING_ROLES: frozenset[str] = frozenset(
    {
        Role.PARTNER_REPRESENTATIVE,
        Role.LEAD_PROFESSIONAL,
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.CONSULTANT_SOCIAL_WORKER,
        Role.CHAIR,
        Role.ADMINISTRATOR,
        Role.INDEPENDENT_CHAIR,
    }
)

# Roles that run the Risk Management Pathway (record its steps, see its tracker).
PATHWAY_ROLES: frozenset[str] = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.CONSULTANT_SOCIAL_WORKER,
        Role.INDEPENDENT_CHAIR,
        Role.ADMINISTRATOR,
    }
)
# Roles that start a pathway episode for a young person (the other pathway roles reach the page
# and are told who may).
EPISODE_OPENING_ROLES: frozenset[str] = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.CONSULTANT_SOCIAL_WORKER,
    }
)
# Who takes each named step of a pathway episode (``riskpath.pathway.machine`` says in which
# status; this says who). The practitioners and chairs of the pathway record its running steps;
# MARMMs and their plans are recorded by the independent chair, business support, the team
# manager or the social worker.
PATHWAY_PRACTITIONERS: frozenset[str] = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.CONSULTANT_SOCIAL_WORKER,
        Role.INDEPENDENT_CHAIR,
    }
)
MARMM_RECORDERS: frozenset[str] = frozenset(
    {Role.INDEPENDENT_CHAIR, Role.ADMINISTRATOR, Role.TEAM_MANAGER, Role.SOCIAL_WORKER}
)
EPISODE_STEP_ROLES: dict[str, frozenset[str]] = {
    "record_s47_outcome": frozenset({Role.SOCIAL_WORKER}),
    "record_route": frozenset({Role.TEAM_MANAGER}),
    "agree_route": frozenset({Role.SERVICE_MANAGER}),
    "decline_route": frozenset({Role.SERVICE_MANAGER}),
    "record_care_leavers_decisions": frozenset({Role.TEAM_MANAGER}),
    "schedule_marmm": frozenset({Role.ADMINISTRATOR, Role.INDEPENDENT_CHAIR}),
    "record_marmm": MARMM_RECORDERS,
    "add_plan_action": MARMM_RECORDERS,
    "answer_plan_questions": MARMM_RECORDERS,
    "agree_plan": frozenset({Role.INDEPENDENT_CHAIR, Role.TEAM_MANAGER}),
    "record_minutes_circulated": MARMM_RECORDERS,
    "record_nrm_decision": PATHWAY_PRACTITIONERS,
    "call_early_review": PATHWAY_PRACTITIONERS,
    "request_escalation": frozenset(
        {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.INDEPENDENT_CHAIR}
    ),
    "agree_escalation": frozenset({Role.SERVICE_MANAGER}),
    "propose_ending": frozenset({Role.TEAM_MANAGER}),
    "agree_ending": frozenset({Role.SERVICE_MANAGER}),
    "decline_ending": frozenset({Role.SERVICE_MANAGER}),
}
# Agency kinds whose users confirm a flag in each partner system (keyed by the pathway's
# ``FlagSystem`` values).
FLAG_CONFIRMING_AGENCY_KINDS: dict[str, frozenset[str]] = {
    "social_care": frozenset({AgencyKind.SOCIAL_CARE}),
    "police": frozenset({AgencyKind.POLICE}),
    "health": frozenset({AgencyKind.HEALTH}),
}
# Roles that read the pathway's timeliness figures.
TIMELINESS_ROLES: frozenset[str] = PATHWAY_ROLES | {
    Role.STRATEGIC_PANEL_MEMBER,
    Role.QA_MEMBER,
}

# The rule that decides whether a user may open records of a type (for a type with involvement
# bases, the user must also be involved with the record): what the audit log may show of it.
VIEW_RULES: dict[str, str] = {
    "people.youngperson": "can_view_young_person",
    "intelligence.intelligenceitem": "can_view_intelligence",
    "pathway.episode": "can_view_episode",
    "people.personofinterest": "can_view_person_of_interest",
    "locations.location": "can_view_location",
    "groups.group": "can_view_group",
    "links.link": "can_view_link",
    "accounts.user": "can_manage_users",
    "accounts.agency": "can_manage_agencies",
    "accounts.area": "can_manage_area",
    "accounts.closureday": "can_manage_area",
    "meetings.meetingtype": "can_configure_meetings",
}
# Records that are part of a young person's record: open to whoever may open the young person.
PARTS_OF_A_YOUNG_PERSONS_RECORD: frozenset[str] = frozenset(
    {
        "people.missingepisode",
        "referrals.referral",
        "cohort.cohortmembership",
        "cohort.tierdecision",
        "pathway.flag",
    }
)


def holds_recording_role(user: Any) -> bool:
    """Records and keeps information about young people (``RECORDING_ROLES``): what an
    agency-wide involvement basis asks of a user."""
    return bool(user.role_set() & RECORDING_ROLES)


# ---------------------------------------------------------------------------------------------
# Predicates
# ---------------------------------------------------------------------------------------------


@rules.predicate
def is_active_member(user: Any) -> bool:
    """Signed in, active, in an agency of an area, and holding at least one role there."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.agency_id is not None and bool(user.role_set())


def has_role(*roles: str) -> rules.Predicate:
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def _has_role(user: Any) -> bool:
        return bool(getattr(user, "is_authenticated", False) and user.role_set() & wanted)

    return _has_role


@rules.predicate
def in_same_area(user: Any, obj: Any) -> bool:
    """The object belongs to the user's area (no object: the check is left to the lookup)."""
    if obj is None:
        return True
    return obj_area_id(obj) == user.area_id


@rules.predicate
def is_involved(user: Any, obj: Any) -> bool:
    from riskpath.access.involvement import involvement_basis

    if obj is None:
        return True
    return involvement_basis(user, obj) is not None


@rules.predicate
def has_access_basis(user: Any, obj: Any) -> bool:
    """Involved, or holding a live emergency-access grant for the object."""
    from riskpath.access.involvement import access_basis

    if obj is None:
        return True
    return access_basis(user, obj) is not None


def obj_area_id(obj: Any) -> Any:
    if obj._meta.label_lower == "accounts.area":
        return obj.pk
    return getattr(obj, "area_id", None)


@rules.predicate
def handling_permits(user: Any, item: Any) -> bool:
    """The intelligence item's handling code lets the user read it in full: code P; or code C
    and the user is of the submitting agency, holds a role its conditions name, or has been
    granted disclosure."""
    if item is None:
        return True
    if item.handling_code == "P":
        return True
    if user.agency_id is not None and user.agency_id == item.source_agency_id:
        return True
    if user.role_set() & set(item.handling_roles or []):
        return True
    return bool(item.disclosure_granted_to(user))


@rules.predicate
def is_lead_professional_for(user: Any, obj: Any) -> bool:
    if obj is None:
        return True
    return getattr(obj, "lead_professional_id", None) == user.pk


@rules.predicate
def of_submitting_agency(user: Any, item: Any) -> bool:
    if item is None:
        return True
    return user.agency_id is not None and user.agency_id == item.source_agency_id


@rules.predicate
def is_meeting_participant(user: Any, obj: Any) -> bool:
    """Invited to the meeting (or its type's standing member or deputy), or its chair. For an
    action or agenda item, of the meeting it belongs to."""
    if obj is None:
        return True
    return facts.holds(facts.MEETING_PARTICIPANT, user, obj)


@rules.predicate
def is_meeting_chair(user: Any, obj: Any) -> bool:
    """Chairs the meeting: named as its chair, or the chair or vice-chair of its type."""
    if obj is None:
        return True
    return facts.holds(facts.MEETING_CHAIR, user, obj)


@rules.predicate
def chaired_meeting(user: Any, obj: Any) -> bool:
    """Chaired the meeting: its named chair; where none is named, the type's chair (or their
    deputy), or its vice-chair (or theirs) when the chair was not recorded present."""
    if obj is None:
        return True
    return facts.holds(facts.CHAIRED_MEETING, user, obj)


@rules.predicate
def is_action_owner(user: Any, obj: Any) -> bool:
    """Owns the action, or is in the agency that owns it."""
    if obj is None:
        return True
    return obj.owner_user_id == user.pk or (
        obj.owner_agency_id is not None and obj.owner_agency_id == user.agency_id
    )


@rules.predicate
def may_know_of_action(user: Any, obj: Any) -> bool:
    """An action raised in a confidential slot exists only for those who were in the slot
    (its meeting's chair and business support, and those present) and for its owner (the
    user, or anyone in the owning agency); any other action, for anyone the rule allows."""
    if obj is None or obj._meta.label_lower != "meetings.action":
        return True
    return facts.holds(facts.KNOWS_OF_ACTION, user, obj)


@rules.predicate
def is_task_assignee(user: Any, obj: Any) -> bool:
    if obj is None:
        return True
    return obj.assignee_id == user.pk


@rules.predicate
def chairs_the_tasks_meeting(user: Any, task: Any) -> bool:
    """Chairs the meeting whose decision made the partner-system task."""
    if task is None:
        return True
    return facts.holds(facts.MEETING_CHAIR, user, task.decision.item.meeting)


@rules.predicate
def papers_published(user: Any, meeting: Any) -> bool:
    if meeting is None:
        return True
    return meeting.papers_published_at is not None


@rules.predicate
def research_open(user: Any, meeting: Any) -> bool:
    """The meeting's names are out for research: its type circulates them, its papers are
    published, it is not cancelled, and it is no more than the type's number of days since it
    ended."""
    if meeting is None:
        return True
    days = meeting.meeting_type.research_days_after
    if days is None or meeting.papers_published_at is None or meeting.status == "cancelled":
        return False
    try:
        return clock.now() <= meeting.ends_at + dt.timedelta(days=days)
    except OverflowError:  # a meeting at the end of the calendar has not ended yet
        return True


@rules.predicate
def of_flag_confirming_agency(user: Any, flag: Any) -> bool:
    """Of an agency of the kind that keeps the flag's partner system
    (``FLAG_CONFIRMING_AGENCY_KINDS``)."""
    if flag is None:
        return True
    agency = user.agency if user.agency_id else None
    return agency is not None and agency.kind in FLAG_CONFIRMING_AGENCY_KINDS[flag.system]


is_area_administrator = has_role(Role.AREA_ADMINISTRATOR)
is_recorder = has_role(*RECORDING_ROLES)
may_break_glass = has_role(*BREAK_GLASS_ROLES)
is_manager = has_role(Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
is_chair = has_role(Role.CHAIR, Role.INDEPENDENT_CHAIR)
is_meeting_administrator = has_role(Role.ADMINISTRATOR)
# The information-governance officer answers subject access requests and keeps the retention
# schedule; they are no practitioner: they open no young person's record by involvement.
NOT_PRACTITIONERS = frozenset({Role.AREA_ADMINISTRATOR, Role.INFORMATION_GOVERNANCE_OFFICER})
is_practitioner = is_active_member & has_role(*(set(Role.values) - NOT_PRACTITIONERS))
is_governance_officer = has_role(Role.INFORMATION_GOVERNANCE_OFFICER)

# ---------------------------------------------------------------------------------------------
# Rules (``can_<verb>_<entity>``)
# ---------------------------------------------------------------------------------------------

_RULES: dict[str, rules.Predicate] = {
    # Area administration
    "can_manage_area": is_active_member & is_area_administrator & in_same_area,
    "can_manage_agencies": is_active_member & is_area_administrator & in_same_area,
    "can_manage_users": is_active_member & is_area_administrator & in_same_area,
    "can_view_audit": is_active_member & is_area_administrator,
    # The API description, for any member (it holds no records)
    "can_read_api_schema": is_active_member,
    # Young people
    "can_list_young_people": is_practitioner,
    "can_record_young_person": is_active_member & is_recorder,
    # Choosing whom a record is about: a search that shows only enough to pick
    "can_pick_young_person": is_active_member & is_recorder,
    # The header search across young people, persons of interest, locations and groups: each
    # kind only as its own rule allows (``riskpath.search.services.KIND_RULES``)
    "can_search_records": is_practitioner,
    # Being told that a young person's record matches a search, without any of its details,
    # where the record is one the user may not open: those who could pick the young person
    "can_know_young_person_exists": is_active_member & is_recorder,
    "can_view_young_person": is_practitioner & in_same_area & has_access_basis,
    "can_edit_young_person": is_active_member & is_recorder & in_same_area & has_access_basis,
    "can_delete_young_person": is_active_member & is_manager & in_same_area & is_involved,
    "can_break_glass": is_active_member & may_break_glass & in_same_area,
    "can_see_emergency_access": is_active_member & in_same_area & is_involved,
    # The lead professional sees who has viewed their young person's record
    "can_see_record_views": is_active_member & in_same_area & is_lead_professional_for,
    # Persons of interest, locations and groups: the partnership's recording members
    "can_view_person_of_interest": is_active_member & is_recorder & in_same_area,
    "can_record_person_of_interest": is_active_member & is_recorder & in_same_area,
    "can_view_location": is_active_member & is_recorder & in_same_area,
    "can_record_location": is_active_member & is_recorder & in_same_area,
    "can_view_group": is_active_member & is_recorder & in_same_area,
    "can_record_group": is_active_member & is_recorder & in_same_area,
    "can_view_link": is_active_member & is_recorder & in_same_area,
    "can_record_link": is_active_member & is_recorder & in_same_area,
    # The network chart of links around a record, a group or the cohort: as the links
    # themselves (each node only as its own rule allows: a young person by name only to those
    # involved, otherwise counted as "a linked record you may not open")
    "can_view_network": is_active_member & is_recorder & in_same_area,
    # Citing an intelligence item as a link's evidence: a recording member who may know of it
    "can_cite_intelligence": is_active_member & is_recorder & in_same_area & has_access_basis,
    # Missing episodes and referrals: as the young person's record
    "can_record_missing_episode": is_active_member & is_recorder & in_same_area,
    "can_record_referral": is_active_member & is_recorder & in_same_area,
    # Intelligence: seen by those with an access basis; in full only as its handling code allows
    "can_submit_intelligence": is_active_member & is_recorder,
    "can_view_intelligence": is_practitioner & in_same_area & has_access_basis,
    "can_read_intelligence_in_full": (
        is_practitioner & in_same_area & has_access_basis & handling_permits
    ),
    "can_request_disclosure": is_practitioner & in_same_area & has_access_basis,
    "can_decide_disclosure": is_active_member & is_recorder & in_same_area & of_submitting_agency,
    "can_edit_intelligence": is_active_member & is_recorder & in_same_area & of_submitting_agency,
    # The cohort: PIMM members see it; chairs decide entries, tiers and exits
    "can_view_cohort": is_active_member & is_recorder & in_same_area,
    "can_decide_cohort": is_active_member & is_chair & in_same_area,
    "can_export_cohort": is_active_member & is_recorder & in_same_area,
    # Bulk imports of a partner's export (intelligence, missing-person reports)
    "can_import_records": is_active_member & is_recorder,
    # Merging two records of one person, and undoing a merge
    "can_merge_records": is_active_member & is_manager & in_same_area,
    # The area's likely duplicate pairs, and deciding a pair is not one person: managers (who
    # see each record only as far as they may open it or pick it) and the area administrator
    # (counts only: they open no record of a young person)
    "can_review_duplicates": (
        is_active_member & (is_manager | is_area_administrator) & in_same_area
    ),
    # Meetings. Types are area configuration; meeting administrators (business support) run
    # every meeting; otherwise a meeting is seen by those invited to it and its chair.
    "can_configure_meetings": (
        is_active_member & (is_area_administrator | is_meeting_administrator) & in_same_area
    ),
    "can_list_meetings": is_active_member & is_recorder,
    "can_schedule_meetings": (
        is_active_member & (is_meeting_administrator | is_chair) & in_same_area
    ),
    "can_view_meeting": (
        is_active_member & in_same_area & (is_meeting_administrator | is_meeting_participant)
    ),
    "can_edit_agenda": (
        is_active_member & in_same_area & (is_meeting_administrator | is_meeting_chair)
    ),
    "can_minute_meeting": (
        is_active_member & in_same_area & (is_meeting_administrator | is_meeting_chair)
    ),
    # Whoever chaired the meeting approves its minutes (the vice-chair when they chaired it).
    "can_approve_minutes": is_active_member & in_same_area & chaired_meeting,
    # Business support runs every meeting of the area, and sees each in its lists.
    "can_run_every_meeting": is_active_member & is_meeting_administrator,
    # Papers: business support and the chairs, who set the agenda, publish the pack; members
    # open it once it is published, and those who publish it may check it before.
    "can_publish_papers": (
        is_active_member & in_same_area & (is_meeting_administrator | is_meeting_chair)
    ),
    "can_open_papers": (
        is_active_member
        & in_same_area
        & (is_meeting_administrator | is_meeting_participant)
        & (papers_published | is_meeting_administrator | is_meeting_chair)
    ),
    # Research before the meeting: a participant of an agency sees who is on a published agenda
    # (identity only) and records whether their agency knows each; those who run the meeting
    # see the replies by agency.
    "can_research_meeting": (
        is_active_member & in_same_area & is_meeting_participant & research_open
    ),
    "can_view_name_checks": (
        is_active_member & in_same_area & (is_meeting_administrator | is_meeting_chair)
    ),
    # The version of the minutes for the young person and family: produced by those who minute
    # the meeting or approve its minutes (where such a version applies: ``documents``).
    "can_produce_family_version": (
        is_active_member
        & in_same_area
        & (is_meeting_administrator | is_meeting_chair | chaired_meeting)
    ),
    # Actions: one register across all meetings for the partnership's recording members
    "can_view_actions": is_active_member & is_recorder & in_same_area & may_know_of_action,
    "can_update_action": (
        is_active_member
        & in_same_area
        & (is_action_owner | is_meeting_administrator | is_meeting_chair)
    ),
    # Tasks a decision creates in a partner system: the lead professional carries them in
    "can_view_partner_tasks": is_active_member & is_recorder,
    "can_complete_partner_task": (
        is_active_member & in_same_area & (is_task_assignee | is_meeting_administrator)
    ),
    # A task is known to its assignee, business support and the chair of its meeting.
    "can_see_partner_task": (
        is_active_member
        & (
            is_task_assignee
            | (in_same_area & (is_meeting_administrator | chairs_the_tasks_meeting))
        )
    ),
    # The Risk Management Pathway. Those who run it see the tracker; an episode is seen by
    # those with an access basis to its young person (the episode's social worker and team
    # manager, consultant social workers and service managers of the area, the agency that
    # must confirm a flag: see ``riskpath.pathway.involvement``).
    "can_view_pathway": is_active_member & has_role(*PATHWAY_ROLES),
    "can_open_episode": is_active_member & has_role(*PATHWAY_ROLES) & in_same_area,
    "can_start_episode": is_active_member & has_role(*EPISODE_OPENING_ROLES) & in_same_area,
    "can_view_episode": is_practitioner & in_same_area & has_access_basis,
    "can_record_episode_step": (
        is_active_member & has_role(*PATHWAY_ROLES) & in_same_area & has_access_basis
    ),
    "can_confirm_flag": is_practitioner & in_same_area & has_access_basis,
    # ... and the flag of one system, for a user of the agency that keeps it (object: the flag)
    "can_confirm_flag_of_system": is_practitioner & of_flag_confirming_agency,
    # Timeliness figures: counts only, no one named
    "can_view_timeliness": is_active_member & has_role(*TIMELINESS_ROLES),
    # Work and being told: each user's own work list and notifications (only ever their own)
    "can_view_own_work": is_active_member,
    "can_have_notifications": is_active_member,
    # Background jobs that failed: which job, when, the kind of error; nothing personal
    "can_view_failed_jobs": is_active_member & is_area_administrator,
    # Information governance (``riskpath.governance``): subject access requests, and only the
    # area's information-governance officer compiles a disclosure, reviews its redactions and
    # produces it; the retention schedule, legal holds and disposal are theirs too.
    "can_record_subject_access_request": is_active_member & is_governance_officer & in_same_area,
    "can_compile_disclosure": is_active_member & is_governance_officer & in_same_area,
    "can_manage_retention": is_active_member & is_governance_officer & in_same_area,
}

for _name, _predicate in _RULES.items():
    rules.add_rule(_name, _predicate)

RULE_NAMES: frozenset[str] = frozenset(_RULES)


def check(rule: str, user: Any, obj: Any = None) -> bool:
    """Does ``user`` pass ``rule`` (for ``obj``, if given)? Unknown rules are refused."""
    if rule not in RULE_NAMES:
        return False
    return bool(rules.test_rule(rule, user, obj))
