"""The access policy, rule by rule and role by role (table-driven)."""

from __future__ import annotations

from typing import Any

import pytest

from riskpath.access import policy
from riskpath.accounts.enums import Role
from tests.factories import AgencyFactory, UserFactory, YoungPersonFactory

R = Role
EVERY_ROLE = set(Role.values)
# Every role but the area administrator and the information-governance officer, who open no
# young person's record by involvement.
PRACTITIONER_ROLES = EVERY_ROLE - {R.AREA_ADMINISTRATOR, R.INFORMATION_GOVERNANCE_OFFICER}
PATHWAY = {
    R.SOCIAL_WORKER,
    R.TEAM_MANAGER,
    R.SERVICE_MANAGER,
    R.CONSULTANT_SOCIAL_WORKER,
    R.INDEPENDENT_CHAIR,
    R.ADMINISTRATOR,
}

# rule -> the roles that pass it without an object
EXPECTED: dict[str, set[str]] = {
    "can_manage_area": {R.AREA_ADMINISTRATOR},
    "can_manage_agencies": {R.AREA_ADMINISTRATOR},
    "can_manage_users": {R.AREA_ADMINISTRATOR},
    "can_view_audit": {R.AREA_ADMINISTRATOR},
    "can_read_api_schema": EVERY_ROLE,
    "can_list_young_people": PRACTITIONER_ROLES,
    "can_record_young_person": set(policy.RECORDING_ROLES),
    "can_pick_young_person": set(policy.RECORDING_ROLES),
    "can_search_records": PRACTITIONER_ROLES,
    "can_know_young_person_exists": set(policy.RECORDING_ROLES),
    "can_break_glass": {R.SERVICE_MANAGER, R.TEAM_MANAGER, R.SOCIAL_WORKER, R.CHAIR},
    "can_delete_young_person": {R.TEAM_MANAGER, R.SERVICE_MANAGER},
    "can_view_person_of_interest": set(policy.RECORDING_ROLES),
    "can_record_person_of_interest": set(policy.RECORDING_ROLES),
    "can_view_location": set(policy.RECORDING_ROLES),
    "can_record_location": set(policy.RECORDING_ROLES),
    "can_view_group": set(policy.RECORDING_ROLES),
    "can_record_group": set(policy.RECORDING_ROLES),
    "can_view_link": set(policy.RECORDING_ROLES),
    "can_cite_intelligence": set(policy.RECORDING_ROLES),
    "can_record_link": set(policy.RECORDING_ROLES),
    "can_view_network": set(policy.RECORDING_ROLES),
    "can_record_missing_episode": set(policy.RECORDING_ROLES),
    "can_record_referral": set(policy.RECORDING_ROLES),
    "can_submit_intelligence": set(policy.RECORDING_ROLES),
    "can_edit_intelligence": set(policy.RECORDING_ROLES),
    "can_view_intelligence": PRACTITIONER_ROLES,
    "can_read_intelligence_in_full": PRACTITIONER_ROLES,
    "can_request_disclosure": PRACTITIONER_ROLES,
    "can_decide_disclosure": set(policy.RECORDING_ROLES),
    "can_view_cohort": set(policy.RECORDING_ROLES),
    "can_decide_cohort": {R.CHAIR, R.INDEPENDENT_CHAIR},
    "can_export_cohort": set(policy.RECORDING_ROLES),
    "can_import_records": set(policy.RECORDING_ROLES),
    "can_merge_records": {R.TEAM_MANAGER, R.SERVICE_MANAGER},
    "can_review_duplicates": {R.TEAM_MANAGER, R.SERVICE_MANAGER, R.AREA_ADMINISTRATOR},
    "can_see_record_views": EVERY_ROLE,
    # Meetings (object rules narrow these to the meeting's participants and chair)
    "can_configure_meetings": {R.AREA_ADMINISTRATOR, R.ADMINISTRATOR},
    "can_list_meetings": set(policy.RECORDING_ROLES),
    "can_schedule_meetings": {R.ADMINISTRATOR, R.CHAIR, R.INDEPENDENT_CHAIR},
    "can_view_meeting": EVERY_ROLE,
    "can_edit_agenda": EVERY_ROLE,
    "can_minute_meeting": EVERY_ROLE,
    "can_research_meeting": EVERY_ROLE,
    "can_view_name_checks": EVERY_ROLE,
    "can_approve_minutes": EVERY_ROLE,
    "can_view_actions": set(policy.RECORDING_ROLES),
    "can_update_action": EVERY_ROLE,
    "can_view_partner_tasks": set(policy.RECORDING_ROLES),
    "can_complete_partner_task": EVERY_ROLE,
    "can_see_partner_task": EVERY_ROLE,
    "can_run_every_meeting": {R.ADMINISTRATOR},
    "can_publish_papers": EVERY_ROLE,
    "can_open_papers": EVERY_ROLE,
    "can_produce_family_version": EVERY_ROLE,
    # The Risk Management Pathway (object rules need an access basis to the young person)
    "can_view_pathway": PATHWAY,
    "can_open_episode": PATHWAY,
    "can_start_episode": set(policy.EPISODE_OPENING_ROLES),
    "can_view_episode": PRACTITIONER_ROLES,
    "can_record_episode_step": PATHWAY,
    "can_confirm_flag": PRACTITIONER_ROLES,
    "can_confirm_flag_of_system": PRACTITIONER_ROLES,
    "can_view_timeliness": PATHWAY | {R.STRATEGIC_PANEL_MEMBER, R.QA_MEMBER},
    "can_view_own_work": EVERY_ROLE,
    "can_have_notifications": EVERY_ROLE,
    "can_view_failed_jobs": {R.AREA_ADMINISTRATOR},
    "can_record_subject_access_request": {R.INFORMATION_GOVERNANCE_OFFICER},
    "can_compile_disclosure": {R.INFORMATION_GOVERNANCE_OFFICER},
    "can_manage_retention": {R.INFORMATION_GOVERNANCE_OFFICER},
}


def test_every_rule_has_a_row() -> None:
    assert set(EXPECTED) | {
        "can_view_young_person",
        "can_edit_young_person",
        "can_see_emergency_access",
    } == set(policy.RULE_NAMES)


@pytest.mark.django_db
@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_coarse_rules_by_role(rule: str, agency: Any) -> None:
    for role in Role.values:
        user = UserFactory(agency=agency, roles=[role])
        assert policy.check(rule, user) == (role in EXPECTED[rule]), (rule, role)


@pytest.mark.django_db
def test_no_rule_passes_for_anonymous_inactive_or_roleless_users(agency: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    inactive = UserFactory(agency=agency, roles=list(Role.values), is_active=False)
    roleless = UserFactory(agency=agency)
    for rule in policy.RULE_NAMES:
        for user in (AnonymousUser(), inactive, roleless):
            assert not policy.check(rule, user), (rule, user)


def test_unknown_rules_are_refused() -> None:
    assert not policy.check("can_do_anything", object())


@pytest.mark.django_db
def test_object_rules_stop_at_the_area_boundary(agency: Any) -> None:
    admin = UserFactory(agency=agency, roles=[R.AREA_ADMINISTRATOR])
    elsewhere = AgencyFactory()
    assert policy.check("can_manage_agencies", admin, agency)
    assert not policy.check("can_manage_agencies", admin, elsewhere)
    assert not policy.check("can_manage_users", admin, UserFactory(agency=elsewhere))
    assert not policy.check("can_manage_area", admin, elsewhere.area)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,expected",
    [
        ("lead professional", True),
        ("same agency", True),
        ("consultant social worker", True),
        ("other agency partner", False),
        ("other agency social worker", False),
        ("other area consultant", False),
    ],
)
def test_seeing_a_young_person_follows_involvement(agency: Any, who: str, expected: bool) -> None:
    other = AgencyFactory(area=agency.area)
    lead = UserFactory(agency=other, roles=[R.LEAD_PROFESSIONAL])
    person = YoungPersonFactory(recording_agency=agency, lead_professional=lead)
    users = {
        "lead professional": lead,
        "same agency": UserFactory(agency=agency, roles=[R.PARTNER_REPRESENTATIVE]),
        "consultant social worker": UserFactory(agency=other, roles=[R.CONSULTANT_SOCIAL_WORKER]),
        "other agency partner": UserFactory(agency=other, roles=[R.PARTNER_REPRESENTATIVE]),
        "other agency social worker": UserFactory(agency=other, roles=[R.SOCIAL_WORKER]),
        "other area consultant": UserFactory(roles=[R.CONSULTANT_SOCIAL_WORKER]),
    }
    assert policy.check("can_view_young_person", users[who], person) is expected


@pytest.mark.django_db
def test_emergency_access_opens_a_record_for_a_limited_time(agency: Any) -> None:
    import datetime as dt

    from riskpath.access.models import EmergencyAccessGrant
    from riskpath.access.services import emergency_access_grant

    person = YoungPersonFactory(recording_agency=agency)
    manager = UserFactory(agency=AgencyFactory(area=agency.area), roles=[R.SERVICE_MANAGER])
    assert not policy.check("can_view_young_person", manager, person)
    emergency_access_grant(
        actor=manager, target=person, reason="Police report immediate risk tonight at home"
    )
    assert policy.check("can_view_young_person", manager, person)
    EmergencyAccessGrant.objects.update(expires_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert not policy.check("can_view_young_person", manager, person)
