"""The area administrator's audit page: filters, CSV export, area boundary, itself audited."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.models import AuditEvent
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from tests.factories import UserFactory, YoungPersonFactory


@pytest.fixture
def history(make_user: Any, agency: Any) -> dict[str, Any]:
    lead = make_user(Role.LEAD_PROFESSIONAL, full_name="Lead Person")
    person = YoungPersonFactory(recording_agency=agency, given_names="Jay", family_name="Example")
    audit_record(
        actor=lead,
        verb=Verb.PERSON_VIEWED,
        target=person,
        subject=person,
        basis="lead professional",
    )
    audit_record(
        actor=lead,
        verb=Verb.PERSON_UPDATED,
        target=person,
        subject=person,
        changes={"family_name": {"before": "Exampel", "after": "Example"}},
    )
    outsider = UserFactory(roles=[Role.LEAD_PROFESSIONAL], full_name="Other Area")
    audit_record(actor=outsider, verb=Verb.PERSON_VIEWED)
    return {"lead": lead, "person": person, "outsider": outsider}


@pytest.mark.django_db
def test_the_page_lists_only_the_area_events_and_records_its_own_use(
    client_for: Any, area_admin: Any, history: Any
) -> None:
    response = client_for(area_admin).get(reverse("audit:log"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lead Person viewed a young person" in html
    assert (
        "changed a young person&#x27;s record" in html or "changed a young person's record" in html
    )
    assert "Other Area" not in html
    assert AuditEvent.objects.filter(verb=Verb.AUDIT_VIEWED, actor=area_admin).count() == 1


@pytest.mark.django_db
def test_the_log_shows_no_more_of_a_record_than_its_reader_could_open(
    client_for: Any, area_admin: Any, history: Any
) -> None:
    """The administrator may not open young people's records: the log gives the kind of
    record and its id, the names of the fields that changed, and neither the name nor the
    values."""
    person = history["person"]
    client = client_for(area_admin)
    html = client.get(reverse("audit:log")).content.decode()
    assert "Jay" not in html and "Example" not in html and "Exampel" not in html
    assert f"Young person {str(person.pk)[:8]}" in html
    assert "family_name: (withheld)" in html
    assert "Details withheld: you may not open this record." in html
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(client.get(reverse("audit:export")).streaming_content).decode())
        )
    )
    assert rows and all("Jay" not in str(r) and "Exampel" not in str(r) for r in rows)
    api = client.get(reverse("api:audit_event_list")).json()
    assert "Jay" not in str(api) and "Exampel" not in str(api)
    updated = next(e for e in api["results"] if e["verb"] == "PERSON_UPDATED")
    assert updated["withheld"] is True and updated["changes"] == {"family_name": "(withheld)"}
    assert updated["subject_label"] == f"Young person {str(person.pk)[:8]}"


@pytest.mark.django_db
def test_filters_by_user_record_id_event_and_date(
    client_for: Any, area_admin: Any, history: Any
) -> None:
    client = client_for(area_admin)
    html = client.get(reverse("audit:log"), {"verb": "PERSON_UPDATED"}).content.decode()
    by_verb = html[html.index("<tbody") : html.index("</tbody>")]
    assert "changed a young person" in by_verb and "viewed a young person" not in by_verb
    person_id = str(history["person"].pk)
    by_subject = client.get(reverse("audit:log"), {"subject": person_id[:8]}).content.decode()
    assert "2 events" in by_subject
    assert "2 events" in client.get(reverse("audit:log"), {"subject": person_id}).content.decode()
    by_lead = client.get(reverse("audit:log"), {"actor": "Lead Person"}).content.decode()
    assert "2 events" in by_lead
    future = client.get(reverse("audit:log"), {"date_from": "2999-01-01"}).content.decode()
    assert "0 events" in future


@pytest.mark.django_db
def test_names_cannot_be_searched_for_in_the_log(
    client_for: Any, area_admin: Any, history: Any
) -> None:
    """A search by name would tell the reader which names the log holds: records are found
    by id, and a name is refused with a message naming the field."""
    client = client_for(area_admin)
    response = client.get(reverse("audit:log"), {"subject": "Jay"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the young person&#x27;s id as the log shows it" in html or (
        "Enter the young person's id as the log shows it" in html
    )
    api = client.get(reverse("api:audit_event_list"), {"target": "Example"})
    assert api.status_code == 400
    assert api.json()["errors"][0]["field"] == "target"


@pytest.mark.django_db
def test_a_bad_date_filter_names_the_field(client_for: Any, area_admin: Any) -> None:
    response = client_for(area_admin).get(
        reverse("audit:log"), {"date_from": "2026-11-30", "date_to": "2026-11-01"}
    )
    assert response.status_code == 400
    assert "The to date must be the same as or after the from date" in response.content.decode()
    assert 'href="#id_date_to"' in response.content.decode()


@pytest.mark.django_db
def test_csv_export_of_the_filtered_events(client_for: Any, area_admin: Any, history: Any) -> None:
    person_id = str(history["person"].pk)
    response = client_for(area_admin).get(reverse("audit:export"), {"subject": person_id})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["verb"] for r in rows} == {"PERSON_VIEWED", "PERSON_UPDATED"}
    assert all(r["subject_label"] == f"Young person {person_id[:8]}" for r in rows)
    assert AuditEvent.objects.filter(verb=Verb.AUDIT_EXPORTED, actor=area_admin).count() == 1


@pytest.mark.django_db
def test_csv_cells_cannot_carry_formulas(client_for: Any, area_admin: Any, make_user: Any) -> None:
    lead = make_user(Role.LEAD_PROFESSIONAL)
    audit_record(actor=lead, verb=Verb.PERSON_VIEWED, reason='=HYPERLINK("http://x")')
    body = b"".join(client_for(area_admin).get(reverse("audit:export")).streaming_content).decode()
    assert "'=HYPERLINK" in body
