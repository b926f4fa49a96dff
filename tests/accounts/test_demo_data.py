from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.accounts.presets import PRESETS
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
    )
    call_command("demo-data", "--quiet", stdout=StringIO())
    assert counts == (
        Area.objects.count(),
        Agency.objects.count(),
        User.objects.count(),
        YoungPerson.objects.count(),
    )
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
    """The seed documents name real staff; riskpath must never carry those names."""
    root = Path(__file__).resolve().parents[2]
    seeds = root.parent / "shared" / "seeds"
    if not seeds.exists():
        pytest.skip("the source documents are not beside this checkout")
    names = {
        "Nicola Ford",
        "Maddie Irwin",
        "Lynda Cordukes",
        "Angharad Morgan",
        "Antony Treadwell",
        "Liz Ball",
        "Thomas Hodge",
        "Tristan Reid",
        "Milla Churchill",
        "Toni Jones",
        "Sinitta Watkins",
        "Katherine Miller",
        "Abigail Thomas",
        "Helen Moore",
        "Arran Bees",
        "Ginny Bryant",
        "Mark Taylor",
        "Daniella Riccardi",
        "Eve Weston",
    }
    found = []
    for path in (
        list((root / "riskpath").rglob("*"))
        + list((root / "docs").rglob("*"))
        + [root / "README.md"]
    ):
        if path.is_file() and path.suffix in {".py", ".html", ".txt", ".md"}:
            text = path.read_text(errors="ignore")
            found += [f"{path}: {n}" for n in names if n in text]
    assert found == []
