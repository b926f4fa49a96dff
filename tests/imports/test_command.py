"""``riskpath import-records``: the same report on the command line; exit 1 on problems."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from riskpath.audit.models import AuditEvent
from riskpath.intelligence.models import IntelligenceItem
from tests.imports.factories import Scene, csv_file, intelligence_row

pytestmark = pytest.mark.django_db


def run(scene: Scene, path: Path) -> str:
    out = io.StringIO()
    call_command(
        "import-records",
        "--kind",
        "intelligence",
        "--user",
        scene.officer.email,
        str(path),
        stdout=out,
    )
    return out.getvalue()


def test_a_good_file_is_imported_and_reported(scene: Scene, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(csv_file([intelligence_row(), intelligence_row(Text="Another")]))
    assert run(scene, path).strip() == (
        "Imported intelligence: 2 rows read, 2 created, 0 already imported."
    )
    assert "1 already" not in run(scene, path)
    assert IntelligenceItem.objects.count() == 2
    events = AuditEvent.objects.filter(verb="IMPORT_COMPLETED")
    assert {e.channel for e in events} == {"command"}
    assert {e.actor for e in events} == {scene.officer}


def test_problems_are_printed_and_exit_1(scene: Scene, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(csv_file([intelligence_row(), intelligence_row(Assessment="Q")]))
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import-records",
            "--kind",
            "intelligence",
            "--user",
            scene.officer.email,
            str(path),
            stdout=out,
        )
    assert caught.value.returncode == 1
    assert out.getvalue().splitlines() == [
        "Nothing was imported. The file has 1 problem:",
        "  Row 3, Assessment: Enter A, B, C, D or E",
    ]
    assert not IntelligenceItem.objects.exists()


def test_a_user_without_the_rule_is_refused(scene: Scene, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(csv_file([intelligence_row()]))
    with pytest.raises(CommandError, match="permission"):
        call_command(
            "import-records", "--kind", "intelligence", "--user", scene.qa.email, str(path)
        )
    with pytest.raises(CommandError, match="No active user"):
        call_command("import-records", "--kind", "missing", "--user", "nobody@x.test", str(path))
    assert not IntelligenceItem.objects.exists()
