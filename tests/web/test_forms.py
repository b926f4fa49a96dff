from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from riskpath.administration.forms import AgencyForm, UserForm


def test_required_messages_name_the_field_in_govuk_style() -> None:
    form = AgencyForm(data={})
    assert not form.is_valid()
    assert form.errors["name"] == ["Enter agency name"]
    assert form.errors["kind"] == ["Select kind of agency"]


@pytest.mark.django_db
def test_a_field_can_say_it_in_its_own_words(area: Any) -> None:
    form = UserForm(data={}, area_id=area.pk)
    assert not form.is_valid()
    assert form.errors["roles"] == ["Select at least one role"]
    assert form.errors["email"] == ["Enter e-mail address"]


@pytest.mark.django_db
def test_error_summary_links_each_message_to_its_field(client_for: Any, area_admin: Any) -> None:
    response = client_for(area_admin).post(reverse("administration:agency_create"), {"name": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_name">Enter agency name</a>' in html
    assert '<a href="#id_kind">Select kind of agency</a>' in html
    assert html.count("govuk-error-summary__list") == 1
    assert "<title>Error: Add an agency" in html
