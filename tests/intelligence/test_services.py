"""Intelligence services and selectors: submission and its validation, changes with optimistic
concurrency, soft deletion, re-entry flags, involvement, and access by handling code."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from django.http import Http404

from riskpath.access import policy
from riskpath.access.involvement import involvement_basis
from riskpath.accounts.enums import Role
from riskpath.audit.restricted import digest
from riskpath.audit.verbs import Verb
from riskpath.cohort.models import CohortMembership, ExitReason, ReentryFlag
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors, NotPermitted
from riskpath.intelligence import selectors, services
from riskpath.intelligence.enums import DisclosureStatus
from riskpath.intelligence.models import DisclosureRequest, IntelligenceItem
from tests.factories import AgencyFactory, UserFactory, YoungPersonFactory
from tests.intelligence.factories import GroupFactory, LocationFactory, PersonOfInterestFactory
from tests.intelligence.scenario import (
    CONDITIONS,
    REASON,
    SECRET,
    Scene,
    c_coded,
    submit,
)
from tests.people.scenario import AuditWatch

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# Submission
# ---------------------------------------------------------------------------------------------


def test_submission_records_the_item_from_the_actors_agency_with_one_audit_event(
    scene: Scene,
) -> None:
    poi = PersonOfInterestFactory(recording_agency=scene.police)
    place = LocationFactory(recording_agency=scene.police)
    watch = AuditWatch()
    item = submit(
        scene.officer,
        young_people=[scene.person],
        persons_of_interest=[poi.pk],
        locations=[place],
        immediate_risk=True,
        period_start=clock.today() - dt.timedelta(days=14),
        period_end=clock.today(),
    )
    assert item.source_agency == scene.police
    assert item.submitted_by == scene.officer
    assert item.area_id == scene.area.pk
    assert item.grading == "2BP"
    assert item.immediate_risk
    assert list(item.young_people.all()) == [scene.person]
    assert list(item.persons_of_interest.all()) == [poi]
    assert list(item.locations.all()) == [place]
    (event,) = watch.new()
    assert event.verb == Verb.INTELLIGENCE_SUBMITTED
    assert event.target_id == str(item.pk)
    assert event.subject_id == str(scene.person.pk)
    assert event.changes["young_people"] == {"before": None, "after": [str(scene.person.pk)]}
    # What the item says is never in the log: a keyed digest and length in its place.
    assert event.changes["text"]["after"] == digest(SECRET)
    assert event.changes["text"]["after"]["hmac"] not in hashlib.sha256(SECRET.encode()).hexdigest()
    assert SECRET not in json.dumps(event.changes)


def test_intelligence_about_only_a_place_has_no_subject(scene: Scene) -> None:
    watch = AuditWatch()
    submit(scene.officer, locations=[LocationFactory(recording_agency=scene.police)])
    (event,) = watch.new()
    assert event.subject_id == ""


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"reported_on": clock.today() + dt.timedelta(days=1)}, "reported_on", "today or in"),
        (
            {
                "period_start": clock.today() - dt.timedelta(days=1),
                "period_end": clock.today() - dt.timedelta(days=5),
            },
            "period_end",
            "The end of the period must be the same as or after its start",
        ),
        ({"text": "   "}, "text", "Enter the intelligence"),
        ({"harm_types": []}, "harm_types", "Select at least one type of harm"),
        ({"harm_types": ["gossip"]}, "harm_types", "Select types of harm from the list"),
        ({"source_evaluation": "4"}, "source_evaluation", "1, 2 or 3"),
        ({"assessment": "F"}, "assessment", "A to E"),
        ({"provenance": "rumour"}, "provenance", "first-, second- or third-hand"),
        (
            {"handling_code": "C", "handling_conditions": " "},
            "handling_conditions",
            "Enter the handling conditions for a C-coded item",
        ),
        ({"handling_code": "X"}, "handling_code", "Select a handling code"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(
    scene: Scene, overrides: dict[str, Any], field: str, message: str
) -> None:
    watch = AuditWatch()
    values = {"young_people": [scene.person], **overrides}
    with pytest.raises(FieldErrors) as caught:
        submit(scene.officer, **values)
    assert message in caught.value.errors[field]
    assert not IntelligenceItem.objects.exists()
    assert watch.new() == []


def test_intelligence_must_be_about_someone_somewhere_or_some_group(scene: Scene) -> None:
    with pytest.raises(FieldErrors) as caught:
        submit(scene.officer)
    assert caught.value.errors == {
        "young_people": "Select at least one person, place or group the intelligence is about"
    }


def test_only_records_in_the_users_area_can_be_chosen(scene: Scene) -> None:
    elsewhere = YoungPersonFactory()
    other_group = GroupFactory()
    with pytest.raises(FieldErrors) as caught:
        submit(scene.officer, young_people=[scene.person, elsewhere], groups=[other_group])
    assert caught.value.errors == {
        "young_people": "Select young people recorded in your area",
        "groups": "Select groups recorded in your area",
    }
    assert not IntelligenceItem.objects.exists()


def test_handling_conditions_and_roles_are_dropped_for_a_p_coded_item(scene: Scene) -> None:
    item = submit(
        scene.officer,
        young_people=[scene.person],
        handling_conditions="ignored",
        handling_roles=[Role.CHAIR],
    )
    assert (item.handling_conditions, item.handling_roles) == ("", [])


def test_roles_without_the_rule_cannot_submit(scene: Scene, make_user: Any) -> None:
    for role in (Role.QA_MEMBER, Role.STRATEGIC_PANEL_MEMBER, Role.AREA_ADMINISTRATOR):
        with pytest.raises(NotPermitted):
            submit(make_user(role), young_people=[scene.person])
    assert not IntelligenceItem.objects.exists()


def test_submission_flags_a_former_cohort_member_for_re_entry(scene: Scene) -> None:
    now = clock.now()
    CohortMembership.objects.create(
        area=scene.area,
        young_person=scene.person,
        tier=2,
        entered_at=now - dt.timedelta(days=120),
        entry_reason="Missing episodes and older associates",
        exited_at=now - dt.timedelta(days=10),
        exit_reason=ExitReason.RISK_REDUCED,
    )
    still_on = YoungPersonFactory(recording_agency=scene.social_care)
    CohortMembership.objects.create(
        area=scene.area,
        young_person=still_on,
        tier=1,
        entered_at=now - dt.timedelta(days=30),
        entry_reason="Corroborated exploitation",
    )
    watch = AuditWatch()
    item = submit(scene.officer, young_people=[scene.person, still_on])
    (flag,) = ReentryFlag.objects.all()
    assert (flag.young_person, flag.intelligence_item) == (scene.person, item)
    assert watch.verbs() == [Verb.INTELLIGENCE_SUBMITTED, Verb.REENTRY_FLAGGED]


# ---------------------------------------------------------------------------------------------
# Changes and deletion
# ---------------------------------------------------------------------------------------------


def test_the_submitting_agency_changes_an_item_with_an_audited_versioned_save(
    scene: Scene,
) -> None:
    item = submit(scene.officer, young_people=[scene.person])
    group = GroupFactory(recording_agency=scene.police)
    watch = AuditWatch()
    services.intelligence_item_update(
        actor=scene.sergeant,
        item=item,
        expected_version=1,
        assessment="A",
        groups=[group.pk],
    )
    item.refresh_from_db()
    assert (item.version, item.assessment) == (2, "A")
    assert list(item.groups.all()) == [group]
    (event,) = watch.new()
    assert event.verb == Verb.INTELLIGENCE_UPDATED
    assert event.changes == {
        "assessment": {"before": "B", "after": "A"},
        "groups": {"before": [], "after": [str(group.pk)]},
    }


def test_a_stale_change_is_refused_and_changes_nothing(scene: Scene) -> None:
    item = submit(scene.officer, young_people=[scene.person])
    services.intelligence_item_update(actor=scene.officer, item=item, expected_version=1, text="x")
    stale = IntelligenceItem.objects.get(pk=item.pk)
    watch = AuditWatch()
    with pytest.raises(ConcurrentEditError):
        services.intelligence_item_update(
            actor=scene.officer, item=stale, expected_version=1, text="overwritten"
        )
    assert IntelligenceItem.objects.get(pk=item.pk).text == "x"
    assert watch.new() == []


def test_another_agency_cannot_change_an_item(scene: Scene) -> None:
    item = submit(scene.officer, young_people=[scene.person])
    with pytest.raises(NotPermitted):
        services.intelligence_item_update(
            actor=scene.social_worker, item=item, expected_version=1, text="mine now"
        )


def test_deletion_is_soft_audited_and_restorable(scene: Scene) -> None:
    item = submit(scene.officer, young_people=[scene.person])
    watch = AuditWatch()
    with pytest.raises(FieldErrors):
        services.intelligence_item_delete(
            actor=scene.officer, item=item, expected_version=1, reason="oops"
        )
    services.intelligence_item_delete(
        actor=scene.officer, item=item, expected_version=1, reason="Submitted twice by mistake"
    )
    assert not IntelligenceItem.objects.filter(pk=item.pk).exists()
    assert IntelligenceItem.all_objects.get(pk=item.pk).is_deleted
    with pytest.raises(Http404):
        selectors.access_intelligence(scene.social_worker, item.pk)
    services.intelligence_item_restore(actor=scene.officer, item=item, expected_version=2)
    assert IntelligenceItem.objects.filter(pk=item.pk).exists()
    deleted, restored = watch.new()
    assert deleted.reason == "Submitted twice by mistake"
    assert deleted.changes == {"deleted": {"before": False, "after": True}}
    assert restored.changes == {"deleted": {"before": True, "after": False}}


# ---------------------------------------------------------------------------------------------
# Involvement and access by handling code
# ---------------------------------------------------------------------------------------------


def test_who_may_know_of_and_read_a_c_coded_item(scene: Scene) -> None:
    item = c_coded(scene)
    assert involvement_basis(scene.officer, item) == "submitting agency"
    assert involvement_basis(scene.social_worker, item) == (
        "involved with a young person it is about (recording agency)"
    )
    expectations = {
        scene.officer: True,  # submitting agency
        scene.sergeant: True,
        scene.consultant: True,  # a role the conditions name
        scene.social_worker: False,  # involved with the young person: summary only
    }
    for user, full in expectations.items():
        seen = selectors.access_intelligence(user, item.pk)
        assert seen.full is full, user
    for user in (scene.teacher, scene.stranger):
        with pytest.raises(Http404):
            selectors.access_intelligence(user, item.pk)


def test_a_p_coded_item_is_read_in_full_by_everyone_involved(scene: Scene) -> None:
    item = submit(scene.officer, young_people=[scene.person])
    assert selectors.access_intelligence(scene.social_worker, item.pk).full
    with pytest.raises(Http404):
        selectors.access_intelligence(scene.teacher, item.pk)


def test_intelligence_about_no_young_person_is_the_partnerships(scene: Scene) -> None:
    item = submit(scene.officer, locations=[LocationFactory(recording_agency=scene.police)])
    assert involvement_basis(scene.teacher, item) == "partnership member"
    assert selectors.access_intelligence(scene.teacher, item.pk).full
    panel = UserFactory(agency=scene.school, roles=[Role.STRATEGIC_PANEL_MEMBER])
    with pytest.raises(Http404):
        selectors.access_intelligence(panel, item.pk)
    with pytest.raises(Http404):
        selectors.access_intelligence(scene.stranger, item.pk)


def test_submitting_intelligence_gives_sight_of_the_agencys_own_items_and_nothing_more(
    scene: Scene,
) -> None:
    """Involvement cannot be self-granted: a one-word item about a child opens neither the
    child's record nor other agencies' items about them."""
    police_item = c_coded(scene)
    assert not policy.check("can_view_young_person", scene.teacher, scene.person)
    own = submit(scene.teacher, young_people=[scene.person], text="Concern")
    assert involvement_basis(scene.teacher, scene.person) is None
    assert not policy.check("can_view_young_person", scene.teacher, scene.person)
    assert not policy.check("can_view_young_person", scene.teacher, scene.person)
    assert involvement_basis(scene.teacher, own) == "submitting agency"
    assert set(selectors.intelligence_search_for_user(scene.teacher)) == {own}
    with pytest.raises(Http404):
        selectors.access_intelligence(scene.teacher, police_item.pk)
    # Not even through the young person's own list of items.
    about = selectors.intelligence_about_queryset(scene.teacher, scene.person)
    assert set(about) == {own}


def test_lists_hold_exactly_what_the_lookups_allow(scene: Scene) -> None:
    about_person = c_coded(scene)
    about_place = submit(scene.officer, locations=[LocationFactory(recording_agency=scene.police)])
    other = YoungPersonFactory(recording_agency=scene.school)
    about_other = submit(scene.teacher, young_people=[other])
    expected = {
        scene.officer: {about_person, about_place},
        scene.social_worker: {about_person, about_place},
        scene.consultant: {about_person, about_place, about_other},
        scene.teacher: {about_place, about_other},
        scene.stranger: set(),
    }
    for user, items in expected.items():
        listed = set(selectors.intelligence_search_for_user(user))
        assert listed == items, user
        for item in IntelligenceItem.objects.all():
            try:
                selectors.access_intelligence(user, item.pk)
            except Http404:
                assert item not in listed, (user, item)
            else:
                assert item in listed, (user, item)
    full = {e.item: e.full for e in selectors.with_access(scene.social_worker, [about_person])}
    assert full == {about_person: False}


def test_filters_narrow_the_list(scene: Scene) -> None:
    old = submit(
        scene.officer,
        young_people=[scene.person],
        harm_types=["cce"],
        reported_on=clock.today() - dt.timedelta(days=40),
    )
    new = c_coded(scene, harm_types=["cse"], source_evaluation="1")

    def found(**criteria: Any) -> list[IntelligenceItem]:
        return list(
            selectors.intelligence_search_for_user(
                scene.officer, selectors.IntelligenceFilter(**criteria)
            )
        )

    assert found() == [new, old]  # newest first
    assert found(harm_type="cse") == [new]
    assert found(harm_type="cce") == [old]
    assert found(source_evaluation="1") == [new]
    assert found(handling_code="P") == [old]
    assert found(assessment="B") == [new, old]
    assert found(agency=scene.school.pk) == []
    assert found(reported_from=clock.today() - dt.timedelta(days=7)) == [new]
    assert found(reported_to=clock.today() - dt.timedelta(days=7)) == [old]


# ---------------------------------------------------------------------------------------------
# Disclosure
# ---------------------------------------------------------------------------------------------


def test_a_granted_request_reveals_the_item_and_each_step_is_audited(scene: Scene) -> None:
    item = c_coded(scene)
    watch = AuditWatch()
    request = services.disclosure_request_create(
        actor=scene.social_worker, item=item, reason=REASON
    )
    assert not selectors.access_intelligence(scene.social_worker, item.pk).full
    assert selectors.pending_disclosures_for_user(scene.sergeant) == [request]
    assert selectors.pending_disclosures_for_user(scene.consultant) == []
    services.disclosure_request_decide(actor=scene.sergeant, request=request, grant=True)
    assert selectors.access_intelligence(scene.social_worker, item.pk).full
    assert selectors.pending_disclosures_for_user(scene.sergeant) == []
    asked, granted = watch.new()
    assert (asked.verb, asked.actor, asked.reason) == (
        Verb.DISCLOSURE_REQUESTED,
        scene.social_worker,
        REASON,
    )
    assert (granted.verb, granted.actor) == (Verb.DISCLOSURE_GRANTED, scene.sergeant)
    assert granted.subject_id == str(scene.person.pk)


def test_a_refused_request_keeps_the_item_restricted(scene: Scene) -> None:
    item = c_coded(scene)
    request = services.disclosure_request_create(
        actor=scene.social_worker, item=item, reason=REASON
    )
    with pytest.raises(FieldErrors) as caught:
        services.disclosure_request_decide(actor=scene.sergeant, request=request, grant=False)
    assert caught.value.errors == {"note": "Enter why the request is refused"}
    watch = AuditWatch()
    services.disclosure_request_decide(
        actor=scene.sergeant, request=request, grant=False, note=CONDITIONS
    )
    assert not selectors.access_intelligence(scene.social_worker, item.pk).full
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (DisclosureStatus.REFUSED, scene.sergeant)
    (event,) = watch.new()
    assert (event.verb, event.reason) == (Verb.DISCLOSURE_REFUSED, CONDITIONS)
    with pytest.raises(DomainError, match="already been decided"):
        services.disclosure_request_decide(actor=scene.sergeant, request=request, grant=True)


def test_who_may_request_and_decide(scene: Scene) -> None:
    item = c_coded(scene)
    with pytest.raises(FieldErrors):
        services.disclosure_request_create(actor=scene.social_worker, item=item, reason=" ")
    with pytest.raises(DomainError, match="already read"):
        services.disclosure_request_create(actor=scene.consultant, item=item, reason=REASON)
    with pytest.raises(NotPermitted):
        services.disclosure_request_create(actor=scene.teacher, item=item, reason=REASON)
    request = services.disclosure_request_create(
        actor=scene.social_worker, item=item, reason=REASON
    )
    with pytest.raises(DomainError, match="already asked"):
        services.disclosure_request_create(actor=scene.social_worker, item=item, reason=REASON)
    for outsider in (scene.consultant, scene.social_worker, scene.teacher):
        with pytest.raises(NotPermitted):
            services.disclosure_request_decide(actor=outsider, request=request, grant=True)
    assert DisclosureRequest.objects.get().status == DisclosureStatus.REQUESTED


def test_the_young_persons_page_section_lists_what_the_user_may_see(scene: Scene) -> None:
    restricted = c_coded(scene)
    shared = submit(scene.officer, young_people=[scene.person])
    AgencyFactory(area=scene.area)
    section = selectors.intelligence_section(scene.social_worker, scene.person)
    assert {(e.item, e.full) for e in section.listed} == {(restricted, False), (shared, True)}
    assert section.can_submit


@pytest.mark.parametrize("ids_limit", [5000, 1])
def test_items_about_a_person_are_exactly_what_the_user_may_know_of(
    scene: Scene, ids_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The young person's page asks for their items by the person's own index; the answer must
    be the same set as the general visibility test gives, for users in every relation, whether
    it asks with the person's item ids or (for a person with very many items) a subquery."""
    monkeypatch.setattr(selectors, "ABOUT_IDS_LIMIT", ids_limit)
    restricted = c_coded(scene)
    shared = submit(scene.officer, young_people=[scene.person])
    from_school = submit(scene.teacher, young_people=[scene.person])
    gone = submit(scene.officer, young_people=[scene.person])
    services.intelligence_item_delete(
        actor=scene.officer, item=gone, expected_version=gone.version, reason="Entered twice"
    )
    other = YoungPersonFactory(recording_agency=scene.social_care)
    submit(scene.officer, young_people=[other])
    bystander = UserFactory(
        agency=AgencyFactory(area=scene.area), roles=[Role.PARTNER_REPRESENTATIVE]
    )
    users = [scene.officer, scene.social_worker, scene.consultant, scene.teacher, bystander]
    for user in [*users, scene.stranger, scene.admin]:
        general = selectors.intelligence_search_for_user(
            user, selectors.IntelligenceFilter(young_person=scene.person.pk)
        )
        about = selectors.intelligence_about_queryset(user, scene.person)
        assert set(about) == set(general), user
    assert set(selectors.intelligence_about_queryset(scene.social_worker, scene.person)) == {
        restricted,
        shared,
        from_school,
    }
    assert list(selectors.intelligence_about_queryset(bystander, scene.person)) == []
