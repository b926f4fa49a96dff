"""The import service: all or nothing, a report by row and column, no duplicates on
re-import, and the domain's own rules and audit events for every record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from riskpath.audit.models import AuditEvent
from riskpath.core.errors import NotPermitted
from riskpath.imports.services import Problem, records_import
from riskpath.intelligence.models import IntelligenceItem
from riskpath.people.models import MissingEpisode, YoungPerson
from tests.imports.factories import (
    INTELLIGENCE_HEADINGS,
    Scene,
    csv_file,
    days_ago,
    intelligence_row,
    missing_row,
    xlsx_file,
)

pytestmark = pytest.mark.django_db


def run(scene: Scene, data: bytes, kind: str = "intelligence", name: str = "export.csv"):
    return records_import(actor=scene.officer, kind=kind, file_name=name, data=data)


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))


def test_a_good_file_creates_every_record_through_the_domain_service(scene: Scene) -> None:
    data = csv_file(
        [
            intelligence_row(),
            intelligence_row(
                **{
                    "Young people": str(scene.theirs.pk),
                    "Text": "Second report",
                    "Date": "1/2/2025",
                }
            ),
        ]
    )
    report = run(scene, data)

    assert report.ok, report.problems
    assert (report.rows, report.created, report.already_imported) == (2, 2, 0)
    items = IntelligenceItem.objects.order_by("reported_on")
    assert [i.text for i in items] == [
        "Second report",
        "Seen with older males near the station after school.",
    ]
    first = items[0]
    assert first.reported_on == dt.date(2025, 2, 1)
    assert list(first.young_people.all()) == [scene.theirs]
    assert items[1].harm_types == ["cce", "county_lines"]
    assert items[1].provenance == "second_hand"
    assert {i.source_agency for i in items} == {scene.police}
    assert all(i.import_key for i in items)
    # One event per record from the service, then one for the import with its counts.
    assert verbs() == ["INTELLIGENCE_SUBMITTED", "INTELLIGENCE_SUBMITTED", "IMPORT_COMPLETED"]
    done = AuditEvent.objects.get(verb="IMPORT_COMPLETED")
    assert done.actor == scene.officer
    assert done.changes == {
        "kind": "intelligence",
        "rows": 2,
        "created": 2,
        "already_imported": 0,
    }


def test_one_bad_row_among_good_ones_writes_nothing_and_names_row_column_problem(
    scene: Scene,
) -> None:
    rows = [
        intelligence_row(),
        intelligence_row(**{"Date": "31/2/2025", "Text": "Bad date"}),
        intelligence_row(**{"Text": "Good again"}),
    ]
    report = run(scene, csv_file(rows))

    assert not report.ok
    assert report.problems == [
        Problem(
            3,
            "Date",
            "Enter the date of the intelligence as a real date, like 27/3/2025 or 2025-03-27",
        )
    ]
    assert report.created == 0
    assert not IntelligenceItem.objects.exists()
    # Nothing of the good rows' events survives: only the rejection, with counts only.
    assert verbs() == ["IMPORT_REJECTED"]
    rejected = AuditEvent.objects.get()
    assert rejected.changes == {"kind": "intelligence", "rows": 3, "problems": 1}
    assert "Good again" not in str(rejected.__dict__)


def test_every_row_is_checked_and_every_problem_reported_in_row_order(scene: Scene) -> None:
    future = days_ago(-30).isoformat()
    rows = [
        intelligence_row(**{"Source evaluation": "7", "Assessment": "Z"}),  # row 2
        intelligence_row(),  # row 3: fine
        intelligence_row(**{"Date": future}),  # row 4: the service's own rule
        intelligence_row(**{"Handling code": "C"}),  # row 5: C needs conditions (service)
        intelligence_row(**{"Harm types": "Shoplifting", "Text": " "}),  # row 6
    ]
    report = run(scene, csv_file(rows))

    assert [(p.row, p.column) for p in report.problems] == [
        (2, "Source evaluation"),
        (2, "Assessment"),
        (4, "Date"),
        (5, "Handling conditions"),
        (6, "Harm types"),
        (6, "Text"),
    ]
    messages = {(p.row, p.column): p.message for p in report.problems}
    assert messages[(4, "Date")] == "The date of the intelligence must be today or in the past"
    assert messages[(5, "Handling conditions")] == (
        "Enter the handling conditions for a C-coded item"
    )
    assert messages[(2, "Source evaluation")] == "Enter 1, 2 or 3"
    assert not IntelligenceItem.objects.exists()
    assert verbs() == ["IMPORT_REJECTED"]


def test_re_importing_the_same_file_creates_no_duplicates(scene: Scene) -> None:
    data = csv_file([intelligence_row(), intelligence_row(**{"Text": "Another"})])
    assert run(scene, data).created == 2

    again = run(scene, data)

    assert again.ok
    assert (again.created, again.already_imported) == (0, 2)
    assert IntelligenceItem.objects.count() == 2
    assert (
        AuditEvent.objects.filter(verb="IMPORT_COMPLETED").last().changes["already_imported"] == 2
    )


def test_a_file_with_old_and_new_rows_adds_only_the_new(scene: Scene) -> None:
    run(scene, csv_file([intelligence_row()]))
    report = run(scene, csv_file([intelligence_row(), intelligence_row(**{"Text": "New one"})]))
    assert (report.created, report.already_imported) == (1, 1)
    assert IntelligenceItem.objects.count() == 2


def test_the_same_rows_as_xlsx_with_real_dates_are_already_imported(scene: Scene) -> None:
    row = intelligence_row(**{"Date": "2025-03-04", "Young people": str(scene.ours.pk)})
    assert run(scene, csv_file([row])).created == 1
    cells = [row[h] for h in INTELLIGENCE_HEADINGS]
    cells[0] = dt.datetime(2025, 3, 4)  # Excel's own date cell
    cells[4] = 2  # a number cell
    report = run(scene, xlsx_file([cells], INTELLIGENCE_HEADINGS), name="export.xlsx")
    assert report.ok, report.problems
    assert (report.created, report.already_imported) == (0, 1)


def test_a_partner_reference_is_the_identity_when_the_file_has_one(scene: Scene) -> None:
    headings = [*INTELLIGENCE_HEADINGS, "Reference"]
    first = csv_file([intelligence_row(Reference="NV-101")], headings)
    assert run(scene, first).created == 1
    # The partner corrected a typo in the text: still the same row.
    corrected = csv_file([intelligence_row(Reference="NV-101", Text="Corrected text")], headings)
    report = run(scene, corrected)
    assert (report.created, report.already_imported) == (0, 1)
    assert IntelligenceItem.objects.get().text != "Corrected text"


def test_a_row_repeated_in_the_file_is_a_problem(scene: Scene) -> None:
    report = run(scene, csv_file([intelligence_row(), intelligence_row()]))
    assert report.problems == [Problem(3, "", "This row repeats row 2: remove one of them")]
    assert not IntelligenceItem.objects.exists()


def test_xlsx_is_read_from_its_first_sheet(scene: Scene) -> None:
    cells = [intelligence_row()[h] for h in INTELLIGENCE_HEADINGS]
    cells[0] = dt.date(2025, 1, 9)
    report = run(scene, xlsx_file([cells], INTELLIGENCE_HEADINGS), name="Export.XLSX")
    assert report.ok, report.problems
    assert IntelligenceItem.objects.get().reported_on == dt.date(2025, 1, 9)


def test_formula_cells_are_kept_as_text_in_csv_and_xlsx(scene: Scene) -> None:
    csv_rows = [
        intelligence_row(Text='=HYPERLINK("http://example.invalid","click")'),
        intelligence_row(Text="+44 7700 900123 called repeatedly"),
        intelligence_row(Text="-1 attended; @handle on a social platform"),
    ]
    assert run(scene, csv_file(csv_rows)).created == 3
    cells = [intelligence_row()[h] for h in INTELLIGENCE_HEADINGS]
    cells[3] = "=SUM(1,2)"
    report = run(scene, xlsx_file([cells], INTELLIGENCE_HEADINGS), name="x.xlsx")
    assert report.ok, report.problems
    texts = set(IntelligenceItem.objects.values_list("text", flat=True))
    assert texts == {
        '=HYPERLINK("http://example.invalid","click")',
        "+44 7700 900123 called repeatedly",
        "-1 attended; @handle on a social platform",
        "=SUM(1,2)",
    }


def test_an_unmatched_young_person_is_a_row_problem_never_a_new_record(scene: Scene) -> None:
    before = YoungPerson.all_objects.count()
    rows = [
        intelligence_row(**{"Young people": "Rowan Testcase (28/3/2010)"}),  # wrong birthday
        intelligence_row(**{"Young people": "Far Away (27/3/2010)"}),  # another area
        intelligence_row(**{"Young people": str(scene.other_area_person.pk)}),
        intelligence_row(**{"Young people": "Rowan Testcase"}),  # no date of birth
    ]
    report = run(scene, csv_file(rows))
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "Young people"),
        (3, "Young people"),
        (4, "Young people"),
        (5, "Young people"),
    ]
    assert report.problems[0].message.startswith(
        "No young person recorded in your area has this full name and date of birth"
    )
    assert YoungPerson.all_objects.count() == before
    assert not IntelligenceItem.objects.exists()


def test_young_people_match_by_name_whatever_the_case_and_spacing(scene: Scene) -> None:
    row = intelligence_row(**{"Young people": f"rowan  TESTCASE (2010-03-27); {scene.theirs.pk}"})
    assert run(scene, csv_file([row])).ok
    assert set(IntelligenceItem.objects.get().young_people.all()) == {scene.ours, scene.theirs}


def test_two_young_people_with_one_name_and_birthday_need_an_id(scene: Scene) -> None:
    from tests.factories import YoungPersonFactory

    YoungPersonFactory(
        recording_agency=scene.care,
        given_names="Rowan",
        family_name="Testcase",
        date_of_birth=scene.ours.date_of_birth,
    )
    report = run(scene, csv_file([intelligence_row()]))
    assert report.problems[0].column == "Young people"
    assert "give the riskpath id" in report.problems[0].message


def test_headings_match_whatever_their_case_and_spacing_and_order(scene: Scene) -> None:
    row = intelligence_row()
    headings = ["  young PEOPLE", "date", "TEXT", "Harm_types", *INTELLIGENCE_HEADINGS[4:]]
    values = [row["Young people"], row["Date"], row["Text"], row["Harm types"]]
    values += [row[h] for h in INTELLIGENCE_HEADINGS[4:]]
    data = csv_file([dict(zip(headings, values, strict=True))], headings, bom=True)
    report = run(scene, data)
    assert report.ok, report.problems


def test_unknown_and_missing_columns_are_reported_against_the_heading_row(scene: Scene) -> None:
    headings = [h for h in INTELLIGENCE_HEADINGS if h != "Provenance"] + ["Colour"]
    report = run(scene, csv_file([{**intelligence_row(), "Colour": "red"}], headings))
    assert [(p.row, p.column) for p in report.problems] == [(1, "Provenance"), (1, "Colour")]
    assert report.problems[0].message == "The file has no “Provenance” column: add it"
    assert report.problems[1].message.startswith("riskpath does not know this column")


def test_an_unreadable_file_is_one_problem_and_one_rejection(scene: Scene) -> None:
    report = run(scene, "Date,Text\n".encode("utf-16"), name="export.csv")
    assert report.problems == [
        Problem(None, "", "The selected file is not UTF-8 text: in Excel, save it as “CSV UTF-8”")
    ]
    assert verbs() == ["IMPORT_REJECTED"]


def test_a_role_without_the_rule_is_refused_and_nothing_happens(scene: Scene) -> None:
    with pytest.raises(NotPermitted):
        records_import(
            actor=scene.qa,
            kind="intelligence",
            file_name="x.csv",
            data=csv_file([intelligence_row()]),
        )
    assert not IntelligenceItem.objects.exists()
    assert not AuditEvent.objects.exists()


# --- missing episodes ------------------------------------------------------------------------


def test_missing_episodes_are_recorded_with_uk_and_iso_times(scene: Scene) -> None:
    report = run(scene, csv_file([missing_row()]), kind="missing")
    assert report.ok, report.problems
    episode = MissingEpisode.objects.get()
    assert episode.young_person == scene.ours
    reported = days_ago(20)
    london = timezone.get_default_timezone()
    assert episode.reported_at == timezone.make_aware(
        dt.datetime.combine(reported, dt.time(21, 30)), london
    )
    assert episode.returned_at == timezone.make_aware(
        dt.datetime.combine(reported + dt.timedelta(days=1), dt.time(8, 15)), london
    )
    assert episode.interview_offered is True
    assert episode.interview_by == "Missing persons co-ordinator"
    assert episode.reporting_agency == scene.police
    assert episode.import_key
    assert verbs() == ["MISSING_RECORDED", "IMPORT_COMPLETED"]
    again = run(scene, csv_file([missing_row()]), kind="missing")
    assert (again.created, again.already_imported) == (0, 1)
    assert MissingEpisode.objects.count() == 1


def test_missing_episode_rows_use_the_services_rules_and_access(scene: Scene) -> None:
    reported = days_ago(5)
    rows = [
        missing_row(),  # row 2: fine
        missing_row(Returned=f"{reported - dt.timedelta(days=30)} 10:00"),  # before reported
        missing_row(**{"Young person": "Sasha Example", "Date of birth": "5/11/2009"}),
        missing_row(**{"Date of birth": ""}),
        missing_row(Kind="Sleeping over", **{"Interview offered": "maybe"}),
    ]
    rows[1]["Reported"] = f"{reported} 09:00"
    rows[1]["Interview done"] = ""
    report = run(scene, csv_file(rows), kind="missing")
    assert [(p.row, p.column) for p in report.problems] == [
        (3, "Returned"),
        (4, "Young person"),
        (5, "Date of birth"),
        (6, "Kind"),
        (6, "Interview offered"),
    ]
    assert report.problems[0].message == "The time of return must be after the time reported"
    assert "not involved" in report.problems[1].message
    assert not MissingEpisode.objects.exists()
    assert verbs() == ["IMPORT_REJECTED"]
