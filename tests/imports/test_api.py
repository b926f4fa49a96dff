"""POST /api/v1/imports/<kind>/: the report as JSON; 400 with a row and column per problem."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from riskpath.accounts.enums import Role
from riskpath.audit.models import AuditEvent
from riskpath.intelligence.models import IntelligenceItem
from tests.api.helpers import fields, service_account
from tests.imports.factories import Scene, csv_file, intelligence_row, missing_row

pytestmark = pytest.mark.django_db


def post(client: Any, kind: str, data: bytes | None, name: str = "export.csv") -> Any:
    body = {} if data is None else {"file": SimpleUploadedFile(name, data)}
    return client.post(f"/api/v1/imports/{kind}/", body)


def test_a_good_file_returns_the_counts(scene: Scene, api_for: Any) -> None:
    client = api_for(service_account(scene.police, Role.PARTNER_REPRESENTATIVE))
    data = csv_file([intelligence_row(), intelligence_row(Text="Another")])
    response = post(client, "intelligence", data)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "kind": "intelligence",
        "rows": 2,
        "created": 2,
        "already_imported": 0,
    }
    again = post(client, "intelligence", data).json()
    assert (again["created"], again["already_imported"]) == (0, 2)
    assert IntelligenceItem.objects.count() == 2
    assert AuditEvent.objects.filter(verb="IMPORT_COMPLETED", channel="api").count() == 2


def test_problems_are_400_with_row_and_column(scene: Scene, client_for: Any) -> None:
    rows = [missing_row(), missing_row(Reported="yesterday")]
    response = post(client_for(scene.officer), "missing", csv_file(rows))
    assert response.status_code == 400
    body = response.json()
    assert body["created"] == 0
    assert body["errors"] == [
        {
            "field": "Reported",
            "row": 3,
            "message": "Enter when they were reported missing as a real date and 24-hour time, "
            "like 27/3/2025 21:30 or 2025-03-27 21:30",
        }
    ]
    assert list(AuditEvent.objects.exclude(verb="SIGNED_IN").values_list("verb", flat=True)) == [
        "IMPORT_REJECTED"
    ]


def test_a_missing_file_is_400_naming_the_field(scene: Scene, client_for: Any) -> None:
    response = post(client_for(scene.officer), "intelligence", None)
    assert response.status_code == 400
    assert fields(response) == {"file"}


def test_an_unknown_kind_is_404(scene: Scene, client_for: Any) -> None:
    response = post(client_for(scene.officer), "people", csv_file([intelligence_row()]))
    assert response.status_code == 404


def test_a_role_without_the_rule_is_403(scene: Scene, api_for: Any) -> None:
    client = api_for(service_account(scene.police, Role.STRATEGIC_PANEL_MEMBER))
    response = post(client, "intelligence", csv_file([intelligence_row()]))
    assert response.status_code == 403
    assert not IntelligenceItem.objects.exists()


def test_the_endpoint_is_in_the_openapi_document(scene: Scene, client_for: Any) -> None:
    schema = client_for(scene.officer).get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/imports/{kind}/"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"200", "400", "403"} <= set(operation["responses"])
