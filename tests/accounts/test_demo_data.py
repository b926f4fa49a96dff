from __future__ import annotations

import hashlib
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.accounts.presets import PRESETS
from riskpath.meetings.models import Action, AgendaItem, Meeting
from riskpath.people.models import YoungPerson


@pytest.mark.django_db
def test_demo_data_is_idempotent_and_covers_every_role() -> None:
    out = StringIO()
    call_command("demo-data", stdout=out)
    counts = (
        Area.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        YoungPerson.objects.count(),
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Action.objects.count(),
    )
    call_command("demo-data", "--quiet", stdout=StringIO())
    assert counts == (
        Area.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        YoungPerson.objects.count(),
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Action.objects.count(),
    )
    assert counts[4] == 3 and counts[5] > 0 and counts[6] == 3
    assert counts[0] == len(PRESETS)
    assert {
        u.role
        for u in __import__(
            "riskpath.accounts.models", fromlist=["UserRole"]
        ).UserRole.objects.all()
    } == set(Role.values)
    for role in Role:
        assert role.value.replace("_", ".") in out.getvalue()


def test_no_name_from_the_source_documents_appears_in_the_project() -> None:
    """The seed documents name real staff; riskpath must never carry those names. The names
    are held here only as hashes (the first 16 hex digits of the SHA-256 of the lower-case
    "given family" name), and every pair of adjacent words in the project is checked."""
    root = Path(__file__).resolve().parents[2]
    word_pairs = re.compile(r"(?=\b([A-Za-z]+) +([A-Za-z]+)\b)")
    found = []
    for path in (
        list((root / "riskpath").rglob("*"))
        + list((root / "docs").rglob("*"))
        + list((root / "tests").rglob("*"))
        + list((root / "benchmarks").rglob("*"))
        + [root / "README.md"]
    ):
        if path.is_file() and path.suffix in {".py", ".html", ".txt", ".md", ".mjs", ".js"}:
            text = path.read_text(errors="ignore")
            for given, family in word_pairs.findall(text):
                pair = f"{given} {family}".lower().encode()
                if hashlib.sha256(pair).hexdigest()[:16] in SEED_NAME_HASHES:
                    found.append(f"{path}: {given} {family}")
    assert found == []


def test_the_name_check_can_find_a_name() -> None:
    """The check above recognises a listed name (one of the hashes is of this made-up
    sample, so the test cannot pass by finding nothing)."""
    pair = " ".join(["Testy", "Sample"]).lower().encode()
    assert hashlib.sha256(pair).hexdigest()[:16] in SEED_NAME_HASHES


SEED_NAME_HASHES = frozenset(
    {
        "02aa26a7552d1713",
        "036238b9bb04d78f",
        "0368c2df3509aee7",
        "244f99af2aaf1531",
        "2a483613c531168d",
        "2f86385cc5efc5ad",
        "32c6effc61dd1f14",
        "3fb937941a03143e",
        "64cacb2c72de1a54",
        "65cd3a27cbc6e5bb",
        "76b2a5e9815cb332",
        "8d6061ba04fb06a4",
        "8fc9fdf493072ee2",
        "a21ad42074d4628f",
        "a89a0be08e7f1f81",
        "a9c4b3ea4bf786c0",
        "ac18ffa3b312d460",
        "ae533895cbd2ac49",
        "aef7ca4666a0a25b",
        "d2f37858a800a7cb",
    }
)
