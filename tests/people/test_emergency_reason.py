"""A reason for emergency access ("break glass") must be words someone can read: invisible
characters, spaces of any kind, one character repeated and emoji do not make a reason. Each
is refused on the page, naming the reason field, and opens nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from riskpath.access.models import EmergencyAccessGrant
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from tests.people.scenario import Scene

pytestmark = pytest.mark.django_db

ZWSP, ZWJ, NBSP, WORD_JOINER, BOM = "\u200b", "\u200d", "\u00a0", "\u2060", "\ufeff"


def ask(client_for: Any, scene: Scene, reason: str) -> Any:
    return client_for(scene.outsider).post(
        reverse("people:emergency_access", args=[scene.person.pk]), {"reason": reason}
    )


@pytest.mark.parametrize(
    "reason",
    [
        pytest.param(ZWSP * 25, id="zero-width spaces"),
        pytest.param((ZWSP + ZWJ + WORD_JOINER + BOM) * 10, id="mixed zero-width characters"),
        pytest.param(NBSP * 25, id="non-breaking spaces"),
        pytest.param("\u3000\u2007\u202f" * 10, id="other unicode spaces"),
        pytest.param("x" * 25, id="one character repeated"),
        pytest.param("a a a a a a a a a a a a a a", id="single letters"),
        pytest.param("zzzz zzzz zzzz zzzz zzzz", id="one letter repeated in words"),
        pytest.param("help help help help help help", id="one word repeated"),
        pytest.param("\U0001f6a8" * 25, id="emoji only"),
        pytest.param("!!!!!!!!!!!!!!!!!!!!!!!!!", id="punctuation only"),
        pytest.param("1234567890 1234567890 12345", id="digits only"),
        pytest.param("Urgent" + ZWSP * 30, id="one word padded with zero-width spaces"),
        pytest.param("Child at risk" + NBSP * 20, id="three words padded with spaces"),
    ],
)
def test_a_reason_that_is_not_words_is_refused_naming_the_field(
    client_for: Any, scene: Scene, reason: str
) -> None:
    response = ask(client_for, scene, reason)
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[page.index('class="govuk-error-summary"') :]
    assert 'href="#id_reason"' in summary
    # Blank once stripped (the form's "Enter why…"), or not enough words (the service's).
    assert "Enter why you need emergency access" in summary
    if reason.strip():
        assert "at least 4 words and at least 20 characters" in summary
    assert "Testperson" not in page
    assert not EmergencyAccessGrant.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.EMERGENCY_ACCESS_GRANTED).exists()


def test_a_genuine_reason_is_accepted_and_stored_as_it_is_seen(
    client_for: Any, scene: Scene
) -> None:
    typed = f"  Police{NBSP}report{ZWSP} she is missing   tonight;{BOM} need\taddresses now. "
    response = ask(client_for, scene, typed)
    assert response.status_code == 302
    grant = EmergencyAccessGrant.objects.get()
    seen = "Police report she is missing tonight; need addresses now."
    assert grant.reason == seen
    event = AuditEvent.objects.get(verb=Verb.EMERGENCY_ACCESS_GRANTED)
    assert event.reason == seen


@pytest.mark.parametrize(
    "reason",
    [
        "Missing overnight; police need the history now.",
        "Heddlu: plentyn ar goll heno, angen hanes",  # Welsh
        "Child seen at station with older male tonight",
    ],
)
def test_short_plain_reasons_in_any_alphabet_are_accepted(
    client_for: Any, scene: Scene, reason: str
) -> None:
    assert ask(client_for, scene, reason).status_code == 302
