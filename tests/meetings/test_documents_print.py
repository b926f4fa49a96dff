"""Printing the meeting's pages: the print stylesheet is served, linked (for print only) from the
meeting's page and the minutes' approval page, and hides the navigation, footer and buttons
while keeping table rows whole."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from tests.meetings.scenario import Scene
from tests.meetings.test_documents import minuted_meeting

pytestmark = pytest.mark.django_db

PRINT_LINK = f'<link rel="stylesheet" href="{static("riskpath/print.css")}" media="print">'


def _print_rules() -> str:
    path = finders.find("riskpath/print.css")
    assert path, "riskpath/print.css is not among the static files"
    css = open(path, encoding="utf-8").read()
    match = re.search(r"@media print\s*\{(.*)\}\s*$", css, re.DOTALL)
    assert match, "the rules are for print only"
    return match.group(1)


def test_the_print_stylesheet_hides_navigation_footer_and_buttons() -> None:
    rules = _print_rules()
    hidden = rules[: rules.index("display: none")]
    for selector in (
        ".govuk-header",
        ".govuk-service-navigation",
        ".govuk-footer",
        ".govuk-button",
    ):
        assert selector in hidden, selector
    kept_whole = rules[: rules.index("break-inside: avoid")]
    assert ".govuk-table__row" in kept_whole and ".govuk-summary-list__row" in kept_whole


def test_the_meeting_pages_link_it_for_print(client_for: Any, scene: Scene) -> None:
    meeting = minuted_meeting(scene).meeting
    chair = client_for(scene.chair)
    for url in (
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:documents_minutes_approve", args=[meeting.pk]),
    ):
        response = chair.get(url)
        assert response.status_code == 200, url
        assert PRINT_LINK in response.content.decode(), url
    served = chair.get(static("riskpath/print.css"))
    assert served.status_code == 200
    assert b"@media print" in b"".join(served.streaming_content)  # type: ignore[attr-defined]
