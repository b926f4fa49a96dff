"""The tier the evidence suggests, and why: pure functions over plain data, no database.

Every rule rests on one of the PIMM tier criteria (South Gloucestershire's pathway, tiers one to
three) and says so in its reason. The chair decides the tier; the suggestion is shown beside
the decision and recorded with it, and is never applied by itself.

The rules are built so that two things hold, whatever the evidence (tests/cohort prove both
with hypothesis):

* reports from more partner agencies never make the suggestion less severe;
* an item graded E (suspected to be false) never makes it more severe than tier 3, the
  monitoring tier: E-graded items (and items from a source evaluated 3, not reliable) count
  only towards "cannot be progressed".

The window decides what is *new*: the tier 1 and 2 rules read only the reports within it. Two of
the tier 3 criteria are not about what is new but about the young person: "not known to any
other agency/partner" and "cannot be in any way corroborated". They read every agency that has
ever reported usable intelligence about the young person (``Evidence.known_agencies`` and the
items given, up to ``as_of``): a young person six agencies know is never "not known to any other
agency" because only one of them wrote in the last fortnight. Where the suggestion is tier 3
although other agencies have reported before the window, its first reason says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

DEFAULT_WINDOW_DAYS = 14
RAPID_WINDOW_DAYS = 7  # "rapid": this many days or fewer between the first and last report
RAPID_ITEMS = 3  # serious reports within RAPID_WINDOW_DAYS that amount to rapid escalation
RAPID_MISSING = 3  # missing episodes within the window that amount to rapid escalation
MULTIPLE_PARTNERS = 3  # agencies reporting within the window: risk across multiple partners
CORROBORATING_AGENCIES = 2  # agencies reporting within the window: corroborated

SERIOUS_HARM = frozenset({"serious_violence", "cce", "county_lines", "cse", "trafficking"})
EXPLOITATION = frozenset({"cse", "cce", "county_lines", "trafficking"})
HARM_LABELS = {
    "cse": "child sexual exploitation",
    "cce": "child criminal exploitation",
    "county_lines": "county lines",
    "serious_violence": "serious violence",
    "trafficking": "trafficking",
}


class Criterion(models.TextChoices):
    """The seed's criteria for each tier, word for word."""

    T1_IMMEDIATE_RISK = (
        "t1_immediate_risk",
        "Information or intelligence that points to an immediate risk of harm.",
    )
    T1_CORROBORATED = (
        "t1_corroborated",
        "That the information/intelligence can be supported or corroborated.",
    )
    T1_RAPID_ESCALATION = (
        "t1_rapid_escalation",
        "Rapid escalation of, or entry into, crime or exploitation.",
    )
    T1_MULTIPLE_PARTNERS = "t1_multiple_partners", "Risk identified across multiple partners."
    T2_NOT_IMMEDIATE = (
        "t2_not_immediate",
        "Information or intelligence that points to a risk of harm that is not immediate.",
    )
    T2_FURTHER_INVESTIGATION = (
        "t2_further_investigation",
        "The information or intelligence requires further investigation.",
    )
    T2_EXPLOITATION_SUSPECTED = (
        "t2_exploitation_suspected",
        "Exploitation is suspected but as yet no associated crime or disorder.",
    )
    T2_SINGLE_PARTNER_CROSS = (
        "t2_single_partner_cross",
        "Single partner referral and therefore requires cross partnership investigation.",
    )
    T3_THIRD_HAND = (
        "t3_third_hand",
        "Information or intelligence which is third hand and cannot be in any way corroborated.",
    )
    T3_SINGLE_PARTNER_UNKNOWN = (
        "t3_single_partner_unknown",
        "Single partner referral and not known to any other agency/partner.",
    )
    T3_NOT_PROGRESSABLE = (
        "t3_not_progressable",
        "Information or intelligence is not capable of being progressed for further "
        "investigation to identify risk.",
    )
    T3_INDICATORS = (
        "t3_indicators",
        "No obvious signs of exploitation or crime but indicators that something may be amiss "
        "such as out of character first missing episode/associated with another who may be "
        "known to PIMM.",
    )


def criterion_tier(criterion: str) -> int:
    """The tier a criterion belongs to (its code is ``t<tier>_...``)."""
    return int(str(Criterion(criterion).value)[1])


def criterion_label(code: str) -> str:
    """How a criterion is shown: "Tier 1: Risk identified across multiple partners." A criterion
    recorded as free text (older records) is shown as it was written, without a tier."""
    from riskpath.cohort.models import tier_label

    if code not in Criterion.values:
        return str(code)
    criterion = Criterion(code)
    return f"{tier_label(criterion_tier(criterion), colour=False)}: {criterion.label}"


@dataclass(frozen=True)
class ItemFact:
    """One intelligence item about the young person, as the rules need it."""

    agency: str
    reported_on: dt.date
    assessment: str  # A-E
    source_evaluation: str  # 1-3
    provenance: str = "first_hand"  # first_hand, second_hand, third_hand
    immediate_risk: bool = False
    harm_types: tuple[str, ...] = ()

    @property
    def progressable(self) -> bool:
        """Neither suspected false (E) nor from a source evaluated not reliable (3)."""
        return self.assessment != "E" and self.source_evaluation != "3"

    @property
    def third_hand(self) -> bool:
        return self.provenance == "third_hand"

    @property
    def grading(self) -> str:
        return f"{self.assessment}{self.source_evaluation}"


@dataclass(frozen=True)
class Evidence:
    """What is known about one young person on ``as_of``."""

    as_of: dt.date
    window_days: int = DEFAULT_WINDOW_DAYS
    items: tuple[ItemFact, ...] = ()
    missing_in_window: int = 0  # missing episodes reported within the window
    missing_total: int = 0  # missing episodes ever recorded
    linked_cohort_tiers: tuple[int, ...] = ()  # tiers of linked young people on the cohort
    # Agencies that have reported usable intelligence (not graded E, not from a source
    # evaluated 3) about the young person at any time up to ``as_of``, inside the window or
    # before it. The usable items given in ``items`` up to ``as_of`` count as well.
    known_agencies: tuple[str, ...] = ()

    def in_window(self, day: dt.date) -> bool:
        return self.as_of - dt.timedelta(days=self.window_days) < day <= self.as_of

    def agencies_known(self) -> set[str]:
        """Every agency known to have reported usable intelligence up to ``as_of``."""
        given = {i.agency for i in self.items if i.progressable and i.reported_on <= self.as_of}
        return given | set(self.known_agencies)


@dataclass(frozen=True)
class Reason:
    criterion: Criterion
    text: str

    @property
    def tier(self) -> int:
        return criterion_tier(self.criterion)

    def as_dict(self) -> dict[str, Any]:
        return {
            "criterion": str(self.criterion),
            "criterion_text": self.criterion.label,
            "tier": self.tier,
            "text": self.text,
        }


@dataclass(frozen=True)
class Suggestion:
    tier: int | None
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    def reasons_as_dicts(self) -> list[dict[str, Any]]:
        return [r.as_dict() for r in self.reasons]


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _harms(items: Iterable[ItemFact], wanted: frozenset[str]) -> str:
    found = sorted({h for i in items for h in i.harm_types if h in wanted})
    return ", ".join(HARM_LABELS.get(h, h) for h in found)


def _rapid_run(items: list[ItemFact]) -> int:
    """The most items reported within any RAPID_WINDOW_DAYS-day span."""
    days = sorted(i.reported_on for i in items)
    best = 0
    start = 0
    for end, day in enumerate(days):
        while (day - days[start]).days >= RAPID_WINDOW_DAYS:
            start += 1
        best = max(best, end - start + 1)
    return best


def suggest(evidence: Evidence) -> Suggestion:
    """The most severe tier any rule reaches, with every rule's reason (most severe first)."""
    window = _plural(evidence.window_days, "day")
    in_window = [i for i in evidence.items if evidence.in_window(i.reported_on)]
    usable = [i for i in in_window if i.progressable]
    direct = [i for i in usable if not i.third_hand]  # first- or second-hand
    agencies = sorted({i.agency for i in usable})
    n_agencies = len(agencies)
    b_or_better = [i for i in usable if i.assessment in ("A", "B")]
    immediate = [i for i in usable if i.immediate_risk]
    corroborated = n_agencies >= CORROBORATING_AGENCIES or bool(b_or_better)
    # agencies that have reported usable intelligence, but none of it in the window
    known_elsewhere = sorted(evidence.agencies_known() - set(agencies))
    reasons: list[Reason] = []
    add = reasons.append
    C = Criterion

    # Tier 1 ----------------------------------------------------------------------------------
    if immediate and corroborated:
        best = min(immediate, key=lambda i: (i.assessment, i.source_evaluation))
        add(Reason(C.T1_IMMEDIATE_RISK, f"{best.grading} intelligence of immediate risk"))
        if n_agencies >= CORROBORATING_AGENCIES:
            add(Reason(C.T1_CORROBORATED, f"corroborated: reported by {n_agencies} agencies"))
        else:
            add(Reason(C.T1_CORROBORATED, "corroborated: intelligence graded B or better"))
    serious = [i for i in direct if SERIOUS_HARM & set(i.harm_types)]
    run = _rapid_run(serious)
    if run >= RAPID_ITEMS:
        add(
            Reason(
                C.T1_RAPID_ESCALATION,
                f"rapid escalation: {run} reports of {_harms(serious, SERIOUS_HARM)} within "
                f"{RAPID_WINDOW_DAYS} days",
            )
        )
    if evidence.missing_in_window >= RAPID_MISSING:
        add(
            Reason(
                C.T1_RAPID_ESCALATION,
                f"repeated missing: {evidence.missing_in_window} episodes in {window}",
            )
        )
    if n_agencies >= MULTIPLE_PARTNERS:
        add(Reason(C.T1_MULTIPLE_PARTNERS, f"reported by {n_agencies} agencies in {window}"))

    # Tier 2 ----------------------------------------------------------------------------------
    harmful = [i for i in direct if i.harm_types]
    not_immediate = [i for i in harmful if not i.immediate_risk]
    if not_immediate:
        add(
            Reason(
                C.T2_NOT_IMMEDIATE,
                f"{_plural(len(not_immediate), 'report')} of harm not marked immediate",
            )
        )
    untested = [i for i in direct if i.assessment in ("C", "D") or i.source_evaluation == "2"]
    if untested:
        grades = ", ".join(sorted({i.grading for i in untested}))
        add(
            Reason(
                C.T2_FURTHER_INVESTIGATION,
                f"needs further investigation: {_plural(len(untested), 'item')} graded {grades}",
            )
        )
    if immediate and not corroborated:
        add(
            Reason(
                C.T2_FURTHER_INVESTIGATION,
                "immediate risk reported but not yet corroborated: needs further investigation",
            )
        )
    if n_agencies == CORROBORATING_AGENCIES:
        add(
            Reason(
                C.T2_FURTHER_INVESTIGATION,
                f"reported by {n_agencies} agencies in {window}: needs joint investigation",
            )
        )
    exploited = [i for i in direct if EXPLOITATION & set(i.harm_types)]
    if exploited:
        add(
            Reason(
                C.T2_EXPLOITATION_SUSPECTED,
                f"exploitation suspected ({_harms(exploited, EXPLOITATION)})",
            )
        )
    if n_agencies == 1 and harmful:
        add(
            Reason(
                C.T2_SINGLE_PARTNER_CROSS,
                f"single agency ({agencies[0]}) reporting harm: needs cross-partnership "
                "investigation",
            )
        )
    elif n_agencies == 1 and known_elsewhere:
        add(
            Reason(
                C.T2_SINGLE_PARTNER_CROSS,
                f"single agency ({agencies[0]}) in {window}, but known to "
                f"{_plural(len(known_elsewhere), 'other agency', 'other agencies')} before: "
                "needs cross-partnership investigation",
            )
        )
    if evidence.missing_total >= 2 and 0 < evidence.missing_in_window < RAPID_MISSING:
        add(
            Reason(
                C.T2_FURTHER_INVESTIGATION,
                f"missing again: {_plural(evidence.missing_total, 'episode')} recorded, "
                f"{evidence.missing_in_window} in {window}",
            )
        )

    # Tier 3 ----------------------------------------------------------------------------------
    # "not known to any other agency" and "cannot be corroborated": no other agency has ever
    # reported usable intelligence about the young person, in the window or before it.
    if n_agencies == 1 and not known_elsewhere:
        if all(i.third_hand for i in usable) and not b_or_better:
            add(Reason(C.T3_THIRD_HAND, "single agency, third-hand"))
        add(
            Reason(
                C.T3_SINGLE_PARTNER_UNKNOWN,
                f"single agency ({agencies[0]}): not known to any other partner",
            )
        )
    if in_window and not usable:
        add(
            Reason(
                C.T3_NOT_PROGRESSABLE,
                f"cannot be progressed: only {_plural(len(in_window), 'item')} graded E or "
                "from a source not reliable",
            )
        )
    if evidence.missing_total == 1 and evidence.missing_in_window == 1:
        add(Reason(C.T3_INDICATORS, "first missing episode"))
    if evidence.linked_cohort_tiers:
        tier = min(evidence.linked_cohort_tiers)
        add(Reason(C.T3_INDICATORS, f"associated with a tier-{tier} young person"))

    if not reasons:
        return Suggestion(tier=None, reasons=())
    ordered = tuple(sorted(reasons, key=lambda r: r.tier))  # stable: rule order within a tier
    if ordered[0].tier == 3 and known_elsewhere:
        # Tier 3 (so nothing usable in the window: one agency's usable report would bring the
        # cross-partnership rule) for a young person agencies know: say that their reports are
        # older than the window, so that the chair does not read it as "unknown".
        first = ordered[0]
        note = (
            f"{_plural(len(known_elsewhere), 'agency', 'agencies')} "
            f"({', '.join(known_elsewhere)}) reported usable intelligence before, none of it "
            f"in the last {window}"
        )
        ordered = (Reason(first.criterion, f"{first.text}; {note}"), *ordered[1:])
    return Suggestion(tier=ordered[0].tier, reasons=ordered)
