"""The information-governance officer answers a subject access request in the browser:
records it (choosing the young person with the picker), records the identity check, compiles
everything riskpath holds, decides a third party's redaction, approves, and is offered the
disclosure. Every page is checked with axe and for CSP violations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from riskpath.accounts.enums import Role
from riskpath.core import clock
from riskpath.governance.deadline import deadline
from riskpath.governance.models import SubjectAccessRequest
from riskpath.intelligence.models import IntelligenceItem
from riskpath.people.models import PersonOfInterest
from tests.browser.conftest import Browser
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.browser


def test_the_officer_answers_a_subject_access_request(browser: Browser) -> None:
    area = AreaFactory()
    police = AgencyFactory(area=area, name="Northgate Police")
    officer = UserFactory(
        agency=AgencyFactory(area=area, name="Northgate Council"),
        roles=[Role.INFORMATION_GOVERNANCE_OFFICER],
        full_name="Ira Governance",
    )
    recorder = UserFactory(agency=police, roles=[Role.PARTNER_REPRESENTATIVE])
    person = YoungPersonFactory(
        recording_agency=police, given_names="Tamsin", family_name="Fairweatherby"
    )
    poi = PersonOfInterest.objects.create(
        area=area,
        given_names="Corvin",
        family_name="Blackthorne",
        recording_agency=police,
        recorded_by=recorder,
    )
    item = IntelligenceItem.objects.create(
        area=area,
        reported_on=clock.today() - dt.timedelta(days=5),
        source_agency=police,
        submitted_by=recorder,
        harm_types=["cce"],
        source_evaluation="2",
        assessment="B",
        handling_code="P",
        provenance="second_hand",
        text="Seen getting into a car driven by Corvin Blackthorne",
    )
    item.young_people.set([person])
    item.persons_of_interest.set([poi])

    page = browser.page
    browser.sign_in(officer.email, PASSWORD)
    browser.click_link("Subject access requests")
    expect(browser.heading()).to_have_text("Subject access requests")
    browser.click_link("Record a request")

    # Nothing filled in: the error summary names each field.
    browser.click_button("Record the request", status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Search for and choose the young person the request is about"
    )

    browser.pick("Fairweath", "FAIRWEATHERBY")  # not openable: name and year only
    page.get_by_label("Name of the person making the request").fill("Tamsin Fairweatherby")
    page.get_by_label("The young person themselves").check()
    received = clock.today() - dt.timedelta(days=2)
    page.get_by_label("Date the request was received").fill(f"{received:%d %m %Y}")
    browser.click_button("Record the request")
    expect(browser.heading()).to_have_text("About Tamsin Fairweatherby")
    due = deadline(received, calendar=area.calendar).due
    assert due is not None
    expect(page.get_by_test_id("deadline")).to_contain_text(f"{due.day} {due:%B %Y}")

    browser.click_link("Record the identity check")
    page.get_by_label("Date identity was checked").fill(f"{received:%d %m %Y}")
    page.get_by_label("How identity was checked").fill("Passport seen in person")
    browser.click_button("Save")

    browser.click_button("Compile the disclosure")
    expect(page.locator("body")).to_contain_text("Seen getting into a car driven by")
    row = page.locator("tbody tr", has_text="Corvin Blackthorne")
    expect(row).to_contain_text("To decide")
    browser.follow(lambda: row.get_by_role("link").click())
    page.get_by_label("Redact it").check()
    page.get_by_label("Exemption relied on (when redacting)").select_option("third_party")
    page.get_by_label("Reason").fill("A third party who has not agreed to disclosure")
    browser.click_button("Save the decision")
    # The preview shows the name burnt out.
    expect(page.locator("ol")).to_contain_text("[REDACTED R")
    expect(page.locator("ol")).not_to_contain_text("Blackthorne")

    browser.click_button("Approve and produce the disclosure")
    expect(page.get_by_role("link", name="Download the disclosure (PDF)")).to_be_visible()
    sar = SubjectAccessRequest.objects.get()
    assert sar.status == "produced"
    assert reverse("governance:disclosure", args=[sar.pk]) in (
        page.get_by_role("link", name="Download the disclosure (PDF)").get_attribute("href") or ""
    )
