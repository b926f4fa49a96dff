"""The lead professional can see who viewed their young person's record."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.models import AuditEvent
from tests.factories import AgencyFactory, UserFactory, YoungPersonFactory


@pytest.fixture
def setting(agency: Any) -> dict[str, Any]:
    lead = UserFactory(agency=agency, roles=[Role.LEAD_PROFESSIONAL], full_name="Lee Lead")
    person = YoungPersonFactory(recording_agency=agency, lead_professional=lead)
    colleague = UserFactory(
        agency=agency, roles=[Role.PARTNER_REPRESENTATIVE], full_name="Cal Colleague"
    )
    return {"lead": lead, "person": person, "colleague": colleague}


@pytest.mark.django_db
def test_the_lead_professional_sees_each_view_with_its_basis(client_for: Any, setting: Any) -> None:
    person = setting["person"]
    client_for(setting["colleague"]).get(reverse("people:detail", args=[person.pk]))
    lead = client_for(setting["lead"])
    page = lead.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("people:record_views", args=[person.pk]) in page
    response = lead.get(reverse("people:record_views", args=[person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cal Colleague" in html and "recording agency" in html
    assert (
        AuditEvent.objects.filter(
            verb="AUDIT_VIEWED", actor=setting["lead"], subject_id=str(person.pk)
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_others_involved_cannot_see_who_viewed(client_for: Any, setting: Any) -> None:
    person = setting["person"]
    colleague = client_for(setting["colleague"])
    page = colleague.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("people:record_views", args=[person.pk]) not in page
    assert colleague.get(reverse("people:record_views", args=[person.pk])).status_code == 403


@pytest.mark.django_db
def test_someone_with_no_involvement_gets_404(client_for: Any, setting: Any) -> None:
    stranger = UserFactory(
        agency=AgencyFactory(area=setting["person"].area), roles=[Role.QA_MEMBER]
    )
    response = client_for(stranger).get(reverse("people:record_views", args=[setting["person"].pk]))
    assert response.status_code == 404
