"""A lead professional looks at who has viewed their young person's record."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from riskpath.accounts.enums import Role
from tests.browser.conftest import Browser
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_lead_professional_sees_who_viewed_the_record(browser: Browser) -> None:
    agency = AgencyFactory(area=AreaFactory(), name="Northgate Social Care")
    lead = UserFactory(agency=agency, roles=[Role.LEAD_PROFESSIONAL])
    colleague = UserFactory(
        agency=agency, roles=[Role.PARTNER_REPRESENTATIVE], full_name="Robin Colleague"
    )
    person = YoungPersonFactory(recording_agency=agency, lead_professional=lead)
    other = Client()
    other.force_login(colleague)
    assert other.get(reverse("people:detail", args=[person.pk])).status_code == 200

    page = browser.page
    browser.sign_in(lead.email, PASSWORD)
    browser.goto(reverse("people:detail", args=[person.pk]))
    browser.click_link("See who has viewed this record")
    expect(browser.heading()).to_have_text("Who has viewed this record")
    row = page.locator("tbody tr", has_text="Robin Colleague")
    expect(row).to_contain_text("viewed a young person")
    expect(row).to_contain_text("recording agency")
