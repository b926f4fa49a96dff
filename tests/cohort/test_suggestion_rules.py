"""The tier suggestion against every criterion of the PIMM tiers in the South Gloucestershire
pathway: one test per criterion, named after it. Pure functions: no database."""

from __future__ import annotations

import datetime as dt

from riskpath.cohort.suggestion import (
    Criterion,
    Evidence,
    ItemFact,
    Suggestion,
    suggest,
)

TODAY = dt.date(2026, 3, 16)


def item(
    agency: str = "Police",
    *,
    days_ago: int = 1,
    grade: str = "A1",
    hand: str = "first_hand",
    immediate: bool = False,
    harm: tuple[str, ...] = (),
) -> ItemFact:
    return ItemFact(
        agency=agency,
        reported_on=TODAY - dt.timedelta(days=days_ago),
        assessment=grade[0],
        source_evaluation=grade[1],
        provenance=hand,
        immediate_risk=immediate,
        harm_types=harm,
    )


def evidence(*items: ItemFact, **kwargs: object) -> Evidence:
    return Evidence(as_of=TODAY, items=items, **kwargs)  # type: ignore[arg-type]


def texts(s: Suggestion, criterion: Criterion) -> list[str]:
    return [r.text for r in s.reasons if r.criterion == criterion]


# --- Tier one ---------------------------------------------------------------------------------


def test_information_or_intelligence_that_points_to_an_immediate_risk_of_harm() -> None:
    s = suggest(evidence(item(grade="A1", immediate=True, harm=("serious_violence",))))
    assert s.tier == 1
    assert texts(s, Criterion.T1_IMMEDIATE_RISK) == ["A1 intelligence of immediate risk"]


def test_that_the_information_or_intelligence_can_be_supported_or_corroborated() -> None:
    alone = suggest(evidence(item("Police", grade="C2", immediate=True)))
    assert alone.tier == 2  # immediate, but nobody else says so and it is not graded B or better
    assert texts(alone, Criterion.T2_FURTHER_INVESTIGATION)
    both = suggest(evidence(item("Police", grade="C2", immediate=True), item("School", grade="C2")))
    assert both.tier == 1
    assert texts(both, Criterion.T1_CORROBORATED) == ["corroborated: reported by 2 agencies"]


def test_rapid_escalation_of_or_entry_into_crime_or_exploitation() -> None:
    reports = [
        item("Police", days_ago=d, grade="C2", harm=("cce",)) for d in (1, 3, 5)
    ]  # one agency, three criminal-exploitation reports within a week
    s = suggest(evidence(*reports))
    assert s.tier == 1
    assert texts(s, Criterion.T1_RAPID_ESCALATION) == [
        "rapid escalation: 3 reports of child criminal exploitation within 7 days"
    ]
    # Spread over more than a week, the same three reports are not rapid.
    spread = [item("Police", days_ago=d, grade="C2", harm=("cce",)) for d in (1, 7, 13)]
    assert suggest(evidence(*spread)).tier == 2
    # Repeated missing is rapid escalation too.
    missing = suggest(evidence(missing_in_window=3, missing_total=3))
    assert missing.tier == 1
    assert texts(missing, Criterion.T1_RAPID_ESCALATION) == [
        "repeated missing: 3 episodes in 14 days"
    ]


def test_risk_identified_across_multiple_partners() -> None:
    s = suggest(evidence(item("Police"), item("School"), item("Health")))
    assert s.tier == 1
    assert texts(s, Criterion.T1_MULTIPLE_PARTNERS) == ["reported by 3 agencies in 14 days"]


# --- Tier two ---------------------------------------------------------------------------------


def test_information_or_intelligence_that_points_to_a_risk_of_harm_that_is_not_immediate() -> None:
    s = suggest(evidence(item(grade="A1", harm=("online_harm",))))
    assert s.tier == 2
    assert texts(s, Criterion.T2_NOT_IMMEDIATE) == ["1 report of harm not marked immediate"]


def test_the_information_or_intelligence_requires_further_investigation() -> None:
    s = suggest(evidence(item(grade="D2")))  # first-hand, but not known and untested
    assert s.tier == 2
    assert texts(s, Criterion.T2_FURTHER_INVESTIGATION) == [
        "needs further investigation: 1 item graded D2"
    ]


def test_exploitation_is_suspected_but_as_yet_no_associated_crime_or_disorder() -> None:
    s = suggest(evidence(item(grade="B1", harm=("cse",))))
    assert s.tier == 2
    assert texts(s, Criterion.T2_EXPLOITATION_SUSPECTED) == [
        "exploitation suspected (child sexual exploitation)"
    ]


def test_single_partner_referral_and_therefore_requires_cross_partnership_investigation() -> None:
    s = suggest(evidence(item("Youth justice", grade="B1", harm=("serious_violence",))))
    assert s.tier == 2
    assert texts(s, Criterion.T2_SINGLE_PARTNER_CROSS) == [
        "single agency (Youth justice) reporting harm: needs cross-partnership investigation"
    ]


# --- Tier three -------------------------------------------------------------------------------


def test_information_or_intelligence_which_is_third_hand_and_cannot_be_corroborated() -> None:
    s = suggest(evidence(item(grade="C2", hand="third_hand", harm=("cce",))))
    assert s.tier == 3
    assert texts(s, Criterion.T3_THIRD_HAND) == ["single agency, third-hand"]
    # Once a second agency reports it, it is corroborated: no longer tier 3.
    corroborated = suggest(
        evidence(item(grade="C2", hand="third_hand"), item("School", grade="C2", hand="third_hand"))
    )
    assert corroborated.tier == 2
    assert not texts(corroborated, Criterion.T3_THIRD_HAND)


def test_single_partner_referral_and_not_known_to_any_other_agency_or_partner() -> None:
    s = suggest(evidence(item("School", grade="B1")))
    assert s.tier == 3
    assert texts(s, Criterion.T3_SINGLE_PARTNER_UNKNOWN) == [
        "single agency (School): not known to any other partner"
    ]
    # Known to another agency before the window: not "unknown", but cross-partnership work.
    known = suggest(evidence(item("School", grade="B1"), known_agencies=("Police", "School")))
    assert known.tier == 2
    assert not texts(known, Criterion.T3_SINGLE_PARTNER_UNKNOWN)
    assert texts(known, Criterion.T2_SINGLE_PARTNER_CROSS) == [
        "single agency (School) in 14 days, but known to 1 other agency before: needs "
        "cross-partnership investigation"
    ]


def test_information_or_intelligence_is_not_capable_of_being_progressed() -> None:
    suspected_false = suggest(evidence(item(grade="E1", immediate=True, harm=("cce",))))
    assert suspected_false.tier == 3
    unreliable = suggest(evidence(item(grade="B3", harm=("serious_violence",))))
    assert unreliable.tier == 3
    for s in (suspected_false, unreliable):
        assert texts(s, Criterion.T3_NOT_PROGRESSABLE) == [
            "cannot be progressed: only 1 item graded E or from a source not reliable"
        ]


def test_indicators_only_such_as_a_first_missing_episode_or_association_with_someone_known() -> (
    None
):
    first_missing = suggest(evidence(missing_in_window=1, missing_total=1))
    assert first_missing.tier == 3
    assert texts(first_missing, Criterion.T3_INDICATORS) == ["first missing episode"]
    associated = suggest(evidence(linked_cohort_tiers=(2, 1)))
    assert associated.tier == 3
    assert texts(associated, Criterion.T3_INDICATORS) == ["associated with a tier-1 young person"]


# --- Around the rules -------------------------------------------------------------------------


def test_no_evidence_no_suggestion() -> None:
    assert suggest(evidence()) == Suggestion(tier=None, reasons=())


def test_items_outside_the_window_do_not_count() -> None:
    old = item(days_ago=14, grade="A1", immediate=True)
    assert suggest(evidence(old)).tier is None
    assert suggest(Evidence(as_of=TODAY, window_days=15, items=(old,))).tier == 1


# The demo young person held at tier 1 (Glenn Wall in the demo data) was suggested tier 3:
# thirteen reports from six agencies over seven weeks, but the 14-day window on the day held only
# Children's Social Care's two third-hand reports (one graded E), so the rules read "single
# agency, third-hand" and "not known to other partners in 14 days". Six agencies know them.

SIX_AGENCIES = (
    item("Police", days_ago=40, grade="C1", hand="third_hand", harm=("cce",)),
    item("Education", days_ago=32, grade="B2", hand="third_hand", harm=("hsb",)),
    item("Youth justice", days_ago=26, grade="D1", hand="second_hand", harm=("cce",)),
    item("Violence reduction", days_ago=27, grade="A1", hand="second_hand", harm=("cce",)),
    item("Social care", days_ago=24, grade="B2", harm=("cce",)),
    item("Exploitation team", days_ago=20, grade="C1", immediate=True, harm=("cce",)),
    item("Violence reduction", days_ago=14, grade="C1", hand="second_hand", harm=("cce",)),
)


def test_a_young_person_six_agencies_know_is_not_tier_3_for_one_third_hand_report() -> None:
    window = (
        item("Social care", days_ago=11, grade="E1", hand="third_hand", harm=("cce",)),
        item("Social care", days_ago=8, grade="C2", hand="third_hand", harm=("cce",)),
    )
    s = suggest(evidence(*SIX_AGENCIES, *window))
    assert s.tier == 2, s
    assert not texts(s, Criterion.T3_THIRD_HAND)
    assert not texts(s, Criterion.T3_SINGLE_PARTNER_UNKNOWN)
    assert texts(s, Criterion.T2_SINGLE_PARTNER_CROSS) == [
        "single agency (Social care) in 14 days, but known to 5 other agencies before: needs "
        "cross-partnership investigation"
    ]
    # The same when the evidence gatherer gives the agencies rather than the older items.
    known = tuple(sorted({i.agency for i in SIX_AGENCIES}))
    assert suggest(evidence(*window, known_agencies=known)) == s


def test_tier_3_for_a_known_young_person_says_the_agencies_reports_are_older() -> None:
    """Tier 3 can still be right (nothing usable in the window), but the reason says why."""
    window = (item("Social care", days_ago=3, grade="B3", hand="third_hand", immediate=True),)
    s = suggest(evidence(*SIX_AGENCIES, *window))
    assert s.tier == 3
    assert s.reasons[0].text == (
        "cannot be progressed: only 1 item graded E or from a source not reliable; 6 agencies "
        "(Education, Exploitation team, Police, Social care, Violence reduction, Youth justice) "
        "reported usable intelligence before, none of it in the last 14 days"
    )
    linked = suggest(evidence(*SIX_AGENCIES, linked_cohort_tiers=(1,)))
    assert linked.tier == 3
    assert linked.reasons[0].text.startswith(
        "associated with a tier-1 young person; 6 agencies (Education, "
    )
    assert linked.reasons[0].text.endswith("none of it in the last 14 days")


def test_the_older_reports_alone_suggest_nothing() -> None:
    assert suggest(evidence(*SIX_AGENCIES)) == Suggestion(tier=None, reasons=())


def test_reports_from_six_agencies_in_the_window_suggest_tier_1() -> None:
    s = suggest(
        evidence(*(item(i.agency, grade=i.grading, hand=i.provenance) for i in SIX_AGENCIES))
    )
    assert s.tier == 1
    assert texts(s, Criterion.T1_MULTIPLE_PARTNERS) == ["reported by 6 agencies in 14 days"]


def test_reasons_are_listed_most_severe_first_and_each_names_its_criterion() -> None:
    s = suggest(
        evidence(
            item("Police", grade="A1", immediate=True, harm=("cce",)),
            item("School", grade="C2", harm=("cce",)),
            linked_cohort_tiers=(1,),
        )
    )
    tiers = [r.tier for r in s.reasons]
    assert tiers == sorted(tiers) and s.tier == tiers[0] == 1
    for reason in s.reasons_as_dicts():
        assert reason["criterion_text"] == Criterion(reason["criterion"]).label
        assert reason["tier"] == int(reason["criterion"][1])


def test_every_criterion_in_the_seed_has_a_rule() -> None:
    """Each criterion is reached by some evidence above (the names of the tests say which)."""
    reached: set[str] = set()
    samples = [
        evidence(item(grade="A1", immediate=True)),
        evidence(item("Police", grade="C2", immediate=True), item("School", grade="C2")),
        evidence(*[item(days_ago=d, grade="C2", harm=("cce",)) for d in (1, 2, 3)]),
        evidence(item("Police"), item("School"), item("Health")),
        evidence(item(grade="A1", harm=("online_harm",))),
        evidence(item(grade="D2")),
        evidence(item(grade="B1", harm=("cse",))),
        evidence(item(grade="C2", hand="third_hand")),
        evidence(item(grade="E1")),
        evidence(missing_in_window=1, missing_total=1),
    ]
    for sample in samples:
        reached |= {str(r.criterion) for r in suggest(sample).reasons}
    assert reached == {str(c) for c in Criterion}
