"""The one name of a tier and of a criterion, wherever either is shown."""

from __future__ import annotations

import pytest

from riskpath.cohort.models import Tier, tier_label
from riskpath.cohort.suggestion import Criterion, criterion_label, criterion_tier


def test_a_tier_is_named_by_its_number_and_colour() -> None:
    assert [tier_label(t) for t in (1, 2, 3)] == [
        "Tier 1 (red)",
        "Tier 2 (amber)",
        "Tier 3 (green)",
    ]
    assert tier_label(Tier.AMBER, colour=False) == "Tier 2"
    assert tier_label("3") == "Tier 3 (green)"
    assert tier_label(None) == ""


def test_anything_but_a_tier_is_an_error_never_a_tier() -> None:
    for wrong in (0, 4, "i"):
        with pytest.raises(ValueError):
            tier_label(wrong)


def test_a_criterion_is_named_by_its_tier_and_the_seeds_words() -> None:
    assert criterion_label("t1_multiple_partners") == (
        "Tier 1: Risk identified across multiple partners."
    )
    for criterion in Criterion:
        assert criterion_label(criterion).startswith(f"Tier {criterion_tier(criterion)}: ")


def test_a_criterion_recorded_as_words_is_shown_as_written() -> None:
    """The demo data once recorded "Single partner referral": it was shown as "Tier i: ..."."""
    assert criterion_label("Single partner referral") == "Single partner referral"
    assert criterion_label("Risk identified across multiple partners") == (
        "Risk identified across multiple partners"
    )
