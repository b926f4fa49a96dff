"""The import page over HTTP: upload, the problem table with nothing imported, the success
summary, the templates, and refusal of roles without the rule."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.intelligence.models import IntelligenceItem
from riskpath.people.models import MissingEpisode
from tests.imports.factories import (
    INTELLIGENCE_HEADINGS,
    MISSING_HEADINGS,
    Scene,
    csv_file,
    intelligence_row,
    missing_row,
    xlsx_file,
)

pytestmark = pytest.mark.django_db
URL = "/imports/"


def upload(client: Any, kind: str, data: bytes, name: str = "export.csv") -> Any:
    return client.post(URL, {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_the_page_shows_the_form_columns_and_templates(
    scene: Scene, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(scene.officer)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'class="govuk-file-upload"' in html
    assert reverse("imports:template", args=["intelligence"]) in html
    assert reverse("imports:template", args=["missing"]) in html
    assert ">Imports<" in html  # the navigation entry
    assert "Interview offered" in html


def test_a_file_with_a_problem_shows_the_table_and_imports_nothing(
    scene: Scene, client_for: Any
) -> None:
    client = client_for(scene.officer)
    rows = [intelligence_row(), intelligence_row(**{"Young people": "Nobody Known (1/1/2010)"})]
    response = upload(client, "intelligence", csv_file(rows))

    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "The file has 1 problem, listed below. Nothing was imported." in html
    assert "Nothing was imported</h2>" in html
    table = html[html.index("problem in the file") :]
    assert '<td class="govuk-table__cell">3</td>' in table
    assert '<td class="govuk-table__cell">Young people</td>' in table
    assert "No young person recorded in your area has this full name" in table
    assert not IntelligenceItem.objects.exists()
    events = AuditEvent.objects.exclude(verb="SIGNED_IN")
    assert list(events.values_list("verb", flat=True)) == ["IMPORT_REJECTED"]
    assert events.get().channel == "web"


def test_a_good_file_is_imported_and_summarised(scene: Scene, client_for: Any) -> None:
    client = client_for(scene.officer)
    data = csv_file([missing_row()])
    response = upload(client, "missing", data)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Import complete: 1 record created, 0 already imported." in page.content.decode()
    assert MissingEpisode.objects.count() == 1

    response = upload(client, "missing", data)
    page = client.get(response["Location"])
    assert "Import complete: 0 records created, 1 already imported." in page.content.decode()
    assert MissingEpisode.objects.count() == 1


def test_an_xlsx_upload_works_too(scene: Scene, client_for: Any) -> None:
    cells = [intelligence_row()[h] for h in INTELLIGENCE_HEADINGS]
    data = xlsx_file([cells], INTELLIGENCE_HEADINGS)
    response = upload(client_for(scene.officer), "intelligence", data, name="export.xlsx")
    assert response.status_code == 302
    assert IntelligenceItem.objects.count() == 1


@pytest.mark.parametrize(
    "post,message",
    [
        ({"kind": "intelligence"}, "Select a file to import"),
        ({"file": "x"}, "Select what the file holds"),
        ({"kind": "people"}, "Select a valid choice"),
    ],
)
def test_a_form_without_a_file_or_kind_is_400(
    scene: Scene, client_for: Any, post: dict[str, Any], message: str
) -> None:
    if "file" in post:
        post["file"] = SimpleUploadedFile("a.csv", csv_file([intelligence_row()]))
    response = client_for(scene.officer).post(URL, post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(verb__startswith="IMPORT").exists()


def test_a_wrong_kind_of_file_is_one_clear_problem(scene: Scene, client_for: Any) -> None:
    response = upload(client_for(scene.officer), "intelligence", b"%PDF-1.4", name="notes.pdf")
    assert response.status_code == 400
    assert "The selected file must be a CSV or an Excel (.xlsx) file" in response.content.decode()


def test_the_templates_are_csv_files_of_the_headings(scene: Scene, client_for: Any) -> None:
    client = client_for(scene.officer)
    for kind, headings in (("intelligence", INTELLIGENCE_HEADINGS), ("missing", MISSING_HEADINGS)):
        response = client.get(reverse("imports:template", args=[kind]))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        text = response.content.decode("utf-8-sig")
        assert next(csv.reader(io.StringIO(text))) == [*headings, "Reference"]
    assert client.get(reverse("imports:template", args=["people"])).status_code == 404


def test_a_role_without_the_rule_is_refused(scene: Scene, client_for: Any) -> None:
    client = client_for(scene.qa)
    assert client.get(URL).status_code == 403
    response = upload(client, "intelligence", csv_file([intelligence_row()]))
    assert response.status_code == 403
    assert client.get(reverse("imports:template", args=["missing"])).status_code == 403
    assert ">Imports<" not in client.get("/").content.decode()
    assert not IntelligenceItem.objects.exists()
    # The home page lists (and records listing) the user's own work.
    assert set(AuditEvent.objects.exclude(verb="SIGNED_IN").values_list("verb", flat=True)) == {
        "ACCESS_DENIED",
        "WORK_LISTED",
    }
