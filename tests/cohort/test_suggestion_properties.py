"""Invariants of the tier suggestion, over generated evidence (hypothesis).

* More corroborating agencies never lower the suggestion's severity: adding a usable report
  (not graded E, not from an unreliable source) from an agency that has not reported in the
  window never raises the tier number, and never takes a suggestion away.
* An E-graded item alone never raises it: adding only an item graded E (suspected false)
  never lowers the tier number. Where there was no evidence at all to suggest from, an E-graded
  item can bring at most tier 3, the monitoring tier ("cannot be progressed").
* Three or more agencies reporting usable items within the window: never tier 3 (always 1).
* Older reports never lower it either: an agency that reported usable intelligence before the
  window never makes the suggestion less severe, and a young person other agencies know is never
  tier 3 for being "not known to any other agency" or "third hand and cannot be corroborated";
  where the suggestion is tier 3 all the same, its first reason says their reports are older."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from riskpath.cohort.suggestion import Criterion, Evidence, ItemFact, suggest

TODAY = dt.date(2026, 3, 16)
AGENCIES = ["Police", "School", "Health", "Social care", "Youth justice", "BASE"]
HARMS = ["cse", "cce", "county_lines", "serious_violence", "hsb", "online_harm", "missing"]


def severity(tier: int | None) -> int:
    """Bigger is more severe; no suggestion is the least."""
    return 0 if tier is None else 4 - tier


def items(*, assessments: str = "ABCDE", sources: str = "123", agencies: list[str] = AGENCIES):
    return st.builds(
        ItemFact,
        agency=st.sampled_from(agencies),
        reported_on=st.integers(min_value=0, max_value=20).map(
            lambda d: TODAY - dt.timedelta(days=d)
        ),
        assessment=st.sampled_from(list(assessments)),
        source_evaluation=st.sampled_from(list(sources)),
        provenance=st.sampled_from(["first_hand", "second_hand", "third_hand"]),
        immediate_risk=st.booleans(),
        harm_types=st.lists(st.sampled_from(HARMS), max_size=3, unique=True).map(tuple),
    )


evidence = st.builds(
    Evidence,
    as_of=st.just(TODAY),
    window_days=st.just(14),
    items=st.lists(items(), max_size=8).map(tuple),
    missing_in_window=st.integers(min_value=0, max_value=4),
    missing_total=st.integers(min_value=0, max_value=6),
    linked_cohort_tiers=st.lists(st.sampled_from([1, 2, 3]), max_size=2).map(tuple),
    known_agencies=st.lists(st.sampled_from(AGENCIES), max_size=3, unique=True).map(tuple),
).filter(lambda e: e.missing_total >= e.missing_in_window)


def usable_agencies(e: Evidence) -> set[str]:
    return {i.agency for i in e.items if e.in_window(i.reported_on) and i.progressable}


@settings(max_examples=600, deadline=None)
@given(e=evidence, new=items(assessments="ABCD", sources="12"), days=st.integers(0, 13))
def test_more_corroborating_agencies_never_lower_the_severity(
    e: Evidence, new: ItemFact, days: int
) -> None:
    fresh = [a for a in [*AGENCIES, "Mentoring", "Drug and alcohol"] if a not in usable_agencies(e)]
    new = ItemFact(
        **{**new.__dict__, "agency": fresh[0], "reported_on": TODAY - dt.timedelta(days)}
    )
    before = suggest(e)
    after = suggest(Evidence(**{**e.__dict__, "items": (*e.items, new)}))
    assert len(usable_agencies(e)) + 1 == len(
        usable_agencies(Evidence(**{**e.__dict__, "items": (*e.items, new)}))
    )
    assert after.tier is not None
    assert severity(after.tier) >= severity(before.tier), (before, after)


@settings(max_examples=600, deadline=None)
@given(e=evidence, e_item=items(assessments="E"))
def test_an_e_graded_item_alone_never_raises_the_suggestion(e: Evidence, e_item: ItemFact) -> None:
    before = suggest(e)
    after = suggest(Evidence(**{**e.__dict__, "items": (*e.items, e_item)}))
    if before.tier is None:
        assert after.tier in (None, 3), (before, after)
    else:
        assert after.tier == before.tier, (before, after)


@settings(max_examples=300, deadline=None)
@given(e=evidence)
def test_every_suggestion_is_explained_by_a_reason_at_its_tier(e: Evidence) -> None:
    s = suggest(e)
    if s.tier is None:
        assert s.reasons == ()
    else:
        assert s.reasons and s.reasons[0].tier == s.tier
        assert all(r.tier >= s.tier for r in s.reasons)


def with_items(e: Evidence, *more: ItemFact) -> Evidence:
    return Evidence(**{**e.__dict__, "items": (*e.items, *more)})


@settings(max_examples=400, deadline=None)
@given(
    e=evidence,
    new=st.lists(items(assessments="ABCD", sources="12"), min_size=3, max_size=6),
    days=st.lists(st.integers(0, 13), min_size=6, max_size=6),
)
def test_three_or_more_agencies_reporting_in_the_window_is_never_tier_3(
    e: Evidence, new: list[ItemFact], days: list[int]
) -> None:
    fresh = [
        ItemFact(**{**n.__dict__, "agency": a, "reported_on": TODAY - dt.timedelta(d)})
        for n, a, d in zip(new, AGENCIES, days, strict=False)
    ]
    after = with_items(e, *fresh)
    assert len(usable_agencies(after)) >= 3
    s = suggest(after)
    assert s.tier == 1, s


@settings(max_examples=600, deadline=None)
@given(
    e=evidence,
    old=items(assessments="ABCD", sources="12", agencies=[*AGENCIES, "Mentoring"]),
    days=st.integers(14, 400),
    as_known=st.booleans(),
)
def test_older_reports_from_another_agency_never_lower_the_severity(
    e: Evidence, old: ItemFact, days: int, as_known: bool
) -> None:
    """Given as an item before the window or as a known agency (as the gatherer gives it)."""
    before = suggest(e)
    if as_known:
        after = suggest(
            Evidence(**{**e.__dict__, "known_agencies": (*e.known_agencies, old.agency)})
        )
    else:
        after = suggest(
            with_items(e, ItemFact(**{**old.__dict__, "reported_on": TODAY - dt.timedelta(days)}))
        )
    assert severity(after.tier) >= severity(before.tier), (before, after)


@settings(max_examples=600, deadline=None)
@given(e=evidence)
def test_a_young_person_other_agencies_know_is_never_tier_3_as_unknown(e: Evidence) -> None:
    s = suggest(e)
    in_window = usable_agencies(e)
    elsewhere = e.agencies_known() - in_window
    if elsewhere:
        unknown = (Criterion.T3_SINGLE_PARTNER_UNKNOWN, Criterion.T3_THIRD_HAND)
        assert not [r for r in s.reasons if r.criterion in unknown], s
        if s.tier == 3:
            assert s.reasons[0].text.endswith("none of it in the last 14 days"), s
            assert all(a in s.reasons[0].text for a in elsewhere), s
