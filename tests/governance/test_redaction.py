"""Burning redactions into text: whole words, any case, longest names first, the subject's own
names never taken as a third party's."""

from __future__ import annotations

from riskpath.governance.redaction import Burn, burn_in, still_present, variants_of


def test_whole_words_any_case_and_spacing() -> None:
    burns = [Burn(1, ("Dacrevell Marrowick", "Marrowick", "Snaketooth"))]
    text = "Seen with dacrevell  MARROWICK (Snaketooth); not Marrowickson."
    out = burn_in(text, burns)
    assert out == "Seen with [REDACTED R1] ([REDACTED R1]); not Marrowickson."
    assert still_present(out, burns) == []
    assert still_present(text, burns)


def test_longest_term_first_and_each_its_own_number() -> None:
    burns = [Burn(1, ("Jo",)), Burn(2, ("Jo Smith",))]
    assert burn_in("Jo Smith met Jo.", burns) == "[REDACTED R2] met [REDACTED R1]."


def test_variants_leave_out_the_subjects_own_names() -> None:
    found = variants_of("Kai Quillastone", ["Kaz"], keep=["Wrenfield", "Quillastone"])
    assert found == ["Kai Quillastone", "Kai", "Kaz"]


def test_no_burns_no_change() -> None:
    assert burn_in("nothing to do", []) == "nothing to do"
