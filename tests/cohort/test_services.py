"""The cohort's writes and reads, called directly: decisions and their history, the rules on
lead professionals, no silent drop-off, re-entry, and derived corroboration."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from riskpath.audit.verbs import Verb
from riskpath.cohort import selectors, services
from riskpath.cohort.models import CohortMembership, ExitReason, TierDecision
from riskpath.cohort.suggestion import Criterion
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors, NotPermitted
from riskpath.people import services as people_services
from tests.cohort.conftest import Scene
from tests.cohort.factories import intelligence, link, missing_episode, on_cohort
from tests.people.scenario import AuditWatch

pytestmark = pytest.mark.django_db

T1 = [str(Criterion.T1_IMMEDIATE_RISK), str(Criterion.T1_CORROBORATED)]
T2 = [str(Criterion.T2_NOT_IMMEDIATE)]


def add(scene: Scene, person: Any, **kwargs: Any) -> CohortMembership:
    values: dict[str, Any] = {
        "tier": 2,
        "reason": "Police and school report concerns about older associates",
        "criteria": T2,
        "meeting_ref": "PIMM 2 March",
    }
    values.update(kwargs)
    return services.cohort_add(actor=scene.chair, young_person=person, **values)


# --- Entry ------------------------------------------------------------------------------------


def test_adding_records_the_decision_with_the_suggestion_of_the_time(scene: Scene) -> None:
    intelligence(scene.led, scene.police, grade="A1", immediate_risk=True, harm_types=["cce"])
    watch = AuditWatch()
    membership = add(scene, scene.led, tier=1, criteria=T1, next_review_on=clock.today())
    (decision,) = membership.decisions.all()
    assert (decision.from_tier, decision.to_tier) == (None, 1)
    assert decision.decided_by == scene.chair
    assert decision.meeting_ref == "PIMM 2 March"
    assert decision.criteria == T1
    assert decision.suggested_tier == 1
    assert "A1 intelligence of immediate risk" in [r["text"] for r in decision.suggestion_reasons]
    assert membership.last_discussed_on == clock.today()
    (event,) = watch.new()
    assert event.verb == Verb.COHORT_ENTERED
    assert event.subject_id == str(scene.led.pk)
    assert event.changes["tier"] == {"before": None, "after": 1}
    assert event.changes["criteria"] == T1


def test_tier_1_is_refused_without_a_lead_professional(scene: Scene) -> None:
    watch = AuditWatch()
    with pytest.raises(FieldErrors) as refused:
        add(scene, scene.unled, tier=1, criteria=T1)
    assert "lead professional" in refused.value.errors["tier"]
    assert not CohortMembership.objects.exists()
    assert watch.new() == []


def test_tier_2_without_a_lead_professional_needs_the_chair_to_accept_a_warning(
    scene: Scene,
) -> None:
    with pytest.raises(FieldErrors) as refused:
        add(scene, scene.unled, tier=2)
    assert "No lead professional is in place" in refused.value.errors["accept_warning"]
    assert not CohortMembership.objects.exists()
    membership = add(scene, scene.unled, tier=2, accept_warning=True)
    assert membership.decisions.get().warning == services.TIER_2_WARNING
    # A young person with a lead professional carries no warning.
    assert add(scene, scene.led, tier=2).decisions.get().warning == ""


@pytest.mark.parametrize(
    "field,kwargs",
    [
        ("reason", {"reason": "  "}),
        ("criteria", {"criteria": []}),
        ("criteria", {"criteria": ["made_up"]}),
        ("tier", {"tier": 4}),
        ("next_review_on", {"next_review_on": dt.date(2000, 1, 1)}),
    ],
)
def test_bad_decisions_are_refused_naming_the_field(
    scene: Scene, field: str, kwargs: dict[str, Any]
) -> None:
    with pytest.raises(FieldErrors) as refused:
        add(scene, scene.led, **kwargs)
    assert field in refused.value.errors
    assert not CohortMembership.objects.exists()


def test_only_a_chair_of_the_area_decides(scene: Scene) -> None:
    with pytest.raises(NotPermitted):
        services.cohort_add(
            actor=scene.partner, young_person=scene.led, tier=2, reason="x", criteria=T2
        )
    with pytest.raises(NotPermitted):
        services.cohort_add(
            actor=scene.far_chair, young_person=scene.led, tier=2, reason="x", criteria=T2
        )
    assert not CohortMembership.objects.exists()


def test_a_young_person_cannot_have_two_open_spells(scene: Scene) -> None:
    add(scene, scene.led)
    with pytest.raises(FieldErrors) as refused:
        add(scene, scene.led, tier=3)
    assert "already on the cohort at tier 2" in refused.value.errors["young_person"]
    # The database holds the line too.
    with pytest.raises(IntegrityError), transaction.atomic():
        CohortMembership.objects.create(
            area=scene.area,
            young_person=scene.led,
            tier=3,
            entered_at=clock.now(),
            entry_reason="again",
        )
    assert CohortMembership.objects.filter(young_person=scene.led).count() == 1


# --- Tier changes -----------------------------------------------------------------------------


def test_tier_changes_append_to_the_history(scene: Scene) -> None:
    membership = add(scene, scene.led, tier=3, criteria=[str(Criterion.T3_INDICATORS)])
    watch = AuditWatch()
    services.cohort_change_tier(
        actor=scene.chair,
        membership=membership,
        expected_version=1,
        tier=1,
        reason="Escalating: knife found",
        criteria=T1,
        meeting_ref="PIMM 16 March",
    )
    services.cohort_change_tier(
        actor=scene.chair,
        membership=membership,
        expected_version=2,
        tier=2,
        reason="Stepped down after disruption",
        criteria=T2,
    )
    steps = list(
        TierDecision.objects.filter(membership=membership)
        .order_by("decided_at", "created_at")
        .values_list("from_tier", "to_tier", "meeting_ref")
    )
    assert steps == [(None, 3, "PIMM 2 March"), (3, 1, "PIMM 16 March"), (1, 2, "")]
    membership.refresh_from_db()
    assert (membership.tier, membership.version) == (2, 3)
    assert watch.verbs() == [Verb.TIER_CHANGED, Verb.TIER_CHANGED]
    assert watch.new()[0].changes["tier"] == {"before": 3, "after": 1}


def test_a_stale_tier_change_is_refused_and_changes_nothing(scene: Scene) -> None:
    membership = add(scene, scene.led)
    stale = CohortMembership.objects.get(pk=membership.pk)
    services.cohort_change_tier(
        actor=scene.chair,
        membership=membership,
        expected_version=1,
        tier=3,
        reason="r",
        criteria=[str(Criterion.T3_THIRD_HAND)],
    )
    watch = AuditWatch()
    with pytest.raises(ConcurrentEditError):
        services.cohort_change_tier(
            actor=scene.chair,
            membership=stale,
            expected_version=1,
            tier=1,
            reason="r",
            criteria=T1,
        )
    membership.refresh_from_db()
    assert membership.tier == 3
    assert membership.decisions.count() == 2
    assert watch.new() == []


def test_the_same_tier_is_not_a_change(scene: Scene) -> None:
    membership = add(scene, scene.led)
    with pytest.raises(FieldErrors) as refused:
        services.cohort_change_tier(
            actor=scene.chair,
            membership=membership,
            expected_version=1,
            tier=2,
            reason="r",
            criteria=T2,
        )
    assert "already at Tier 2 (amber)" in refused.value.errors["tier"]


# --- Exit: the only way off -------------------------------------------------------------------


def exit_(scene: Scene, membership: CohortMembership, **kwargs: Any) -> CohortMembership:
    values: dict[str, Any] = {
        "expected_version": membership.version,
        "exit_reason": ExitReason.RISK_REDUCED,
        "note": "Engaging with mentoring; no new concerns",
    }
    values.update(kwargs)
    return services.cohort_exit(actor=scene.chair, membership=membership, **values)


def test_moving_out_of_area_needs_the_receiving_area(scene: Scene) -> None:
    membership = add(scene, scene.led)
    with pytest.raises(FieldErrors) as refused:
        exit_(scene, membership, exit_reason=ExitReason.MOVED_OUT_OF_AREA)
    assert "area the young person has moved to" in refused.value.errors["receiving_area"]
    membership.refresh_from_db()
    assert membership.is_open
    watch = AuditWatch()
    exit_(scene, membership, exit_reason=ExitReason.MOVED_OUT_OF_AREA, receiving_area="Bristol")
    membership.refresh_from_db()
    assert not membership.is_open
    assert (membership.exit_reason, membership.receiving_area) == ("moved_out", "Bristol")
    last = membership.decisions.order_by("-decided_at").first()
    assert last is not None and (last.from_tier, last.to_tier) == (2, None)
    (event,) = watch.new()
    assert event.verb == Verb.COHORT_EXITED and event.subject_id == str(scene.led.pk)


@pytest.mark.parametrize("reason", [r for r in ExitReason.values if r != "moved_out"])
def test_each_exit_reason_closes_the_spell(scene: Scene, reason: str) -> None:
    membership = exit_(scene, add(scene, scene.led), exit_reason=reason)
    assert membership.exit_reason == reason and membership.exited_at is not None


def test_no_silent_drop_off(scene: Scene) -> None:
    """Editing the young person's record, filtering the list and new intelligence leave them
    on the cohort; a closed spell cannot be changed; only an exit decision ends a spell."""
    membership = add(scene, scene.led)
    people_services.young_person_update(
        actor=scene.lead,
        person=scene.led,
        expected_version=scene.led.version,
        lead_professional=None,
    )
    intelligence(scene.led, scene.school, grade="E3")
    assert [r.person for r in selectors.cohort_rows_for_user(scene.chair)] == [scene.led]
    assert selectors.cohort_rows_for_user(scene.chair, selectors.CohortFilter(tier=1)) == []
    assert [r.person for r in selectors.cohort_rows_for_user(scene.chair)] == [scene.led]
    membership.refresh_from_db()
    assert membership.is_open
    exit_(scene, membership)
    assert selectors.cohort_rows_for_user(scene.chair) == []
    with pytest.raises(DomainError, match="has left the cohort"):
        services.cohort_change_tier(
            actor=scene.chair,
            membership=membership,
            expected_version=membership.version,
            tier=1,
            reason="r",
            criteria=T1,
        )
    with pytest.raises(DomainError, match="has left the cohort"):
        exit_(scene, membership)


# --- Re-entry ---------------------------------------------------------------------------------


def test_new_intelligence_after_exit_flags_and_re_adding_clears(scene: Scene) -> None:
    first = exit_(scene, add(scene, scene.led))
    item = intelligence(scene.led, scene.school, grade="B2", harm_types=["cse"])
    (flag,) = services.cohort_note_intelligence(actor=scene.partner, item=item)
    assert [f.pk for f in selectors.reentry_flags_for_user(scene.chair)] == [flag.pk]
    watch = AuditWatch()
    second = add(scene, scene.led, tier=2, criteria=[str(Criterion.T2_EXPLOITATION_SUSPECTED)])
    assert second.pk != first.pk and second.is_open
    flag.refresh_from_db()
    assert flag.cleared_at is not None and flag.cleared_by == scene.chair
    assert flag.outcome == "readded"
    assert watch.verbs() == [Verb.COHORT_ENTERED, Verb.REENTRY_CLEARED]
    assert selectors.reentry_flags_for_user(scene.chair) == []
    record = selectors.access_cohort_record(scene.chair, scene.led.pk)
    assert [s.pk for s in record.spells] == [second.pk, first.pk]
    assert len(record.decisions) == 3


def test_a_re_entry_flag_can_be_cleared_by_a_recorded_no_action(scene: Scene) -> None:
    exit_(scene, add(scene, scene.led))
    item = intelligence(scene.led, scene.school, grade="C3")
    (flag,) = services.cohort_note_intelligence(actor=scene.partner, item=item)
    with pytest.raises(FieldErrors) as refused:
        services.reentry_flag_no_action(actor=scene.chair, flag=flag, reason="")
    assert "reason" in refused.value.errors
    with pytest.raises(NotPermitted):
        services.reentry_flag_no_action(actor=scene.partner, flag=flag, reason="Known; dealt with")
    watch = AuditWatch()
    services.reentry_flag_no_action(
        actor=scene.chair, flag=flag, reason="Historic report, already known", meeting_ref="PIMM 5"
    )
    flag.refresh_from_db()
    assert (flag.outcome, flag.clear_reason, flag.meeting_ref) == (
        "no_action",
        "Historic report, already known",
        "PIMM 5",
    )
    (event,) = watch.new()
    assert event.verb == Verb.REENTRY_CLEARED and event.subject_id == str(scene.led.pk)
    with pytest.raises(DomainError, match="already been cleared"):
        services.reentry_flag_no_action(actor=scene.chair, flag=flag, reason="again")


# --- Corroboration and evidence -----------------------------------------------------------------


def test_corroboration_is_derived_from_the_records(scene: Scene) -> None:
    person = scene.led
    intelligence(person, scene.police, grade="A1", days_ago=1)
    intelligence(person, scene.police, grade="C2", days_ago=3)
    intelligence(person, scene.school, grade="B2", days_ago=13)
    intelligence(person, scene.health, grade="E1", days_ago=2)  # suspected false: not counted
    intelligence(person, scene.health, grade="A1", days_ago=14)  # outside the 14 days
    friend = on_cohort(scene.unled, tier=1, by=scene.chair)
    link(person, friend.young_person)
    gone = on_cohort(scene.far, tier=1, by=scene.chair, exited=True)  # not on the cohort now
    assert gone
    c = selectors.corroboration_for(person, as_of=clock.today())
    assert c.window_days == 14
    assert c.agencies == sorted([scene.police.name, scene.school.name])
    assert c.graded_b_or_better == 2
    assert [(m.young_person, m.tier) for m in c.linked_tier_1] == [(scene.unled, 1)]
    wider = selectors.corroboration_for(person, window_days=15)
    assert scene.health.name in wider.agencies


def test_the_window_comes_from_settings(scene: Scene, settings: Any) -> None:
    intelligence(scene.led, scene.police, grade="A1", days_ago=20)
    assert selectors.corroboration_for(scene.led).agencies == []
    settings.COHORT_CORROBORATION_WINDOW_DAYS = 30
    assert selectors.corroboration_for(scene.led).agencies == [scene.police.name]


def test_the_suggestion_reads_missing_episodes_and_links(scene: Scene) -> None:
    missing_episode(scene.unled, scene.police, days_ago=2)
    s = selectors.suggestion_for(scene.unled)
    assert (s.tier, [r.text for r in s.reasons]) == (3, ["first missing episode"])
    missing_episode(scene.unled, scene.police, days_ago=1)
    missing_episode(scene.unled, scene.police, days_ago=0)
    assert selectors.suggestion_for(scene.unled).tier == 1
    on_cohort(scene.led, tier=1, by=scene.chair)
    link(scene.led, scene.far)  # another area's young person is never counted
    evidence = selectors.evidence_for(scene.unled)
    assert evidence.linked_cohort_tiers == ()
    link(scene.unled, scene.led, kind="seen_with")
    assert selectors.evidence_for(scene.unled).linked_cohort_tiers == (1,)
