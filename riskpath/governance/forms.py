"""Forms of the information-governance pages. They never save: the services do."""

from __future__ import annotations

from typing import Any

from django import forms

from riskpath.core.forms import GovukForm, date_field
from riskpath.governance.enums import (
    Exemption,
    HoldScope,
    PartyKind,
    PauseReason,
    RedactionDecision,
    RequesterKind,
)
from riskpath.people.picker import YoungPersonPickerField, bind_picker


def _radios(label: str, choices: Any, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class RequestForm(GovukForm):
    young_person = YoungPersonPickerField(
        label="Who is the request about?",
        multiple=False,
        pool_name="governance",
        help_text="Search by name for the young person whose records are asked for.",
        error_messages={"required": "Search for and choose the young person the request is about"},
    )
    requester_name = forms.CharField(
        label="Name of the person making the request",
        max_length=160,
        error_messages={"required": "Enter the name of the person making the request"},
    )
    requester_kind = _radios(
        "Who is making the request?", RequesterKind.choices, "Select who is making the request"
    )
    received_on = date_field("Date the request was received")
    identity_checked_on = date_field(
        "Date identity was checked (optional)",
        required=False,
        help_text="Leave blank until the requester's identity has been checked",
    )
    identity_note = forms.CharField(
        label="How identity was checked (optional)",
        max_length=300,
        required=False,
        help_text="For example, passport and a utility bill seen in person",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_picker(self, "young_person", user, data=self.data if self.is_bound else None)
        field = self.fields["young_person"]
        field.widget.source_route = "governance:pick"
        field.widget.source_params = "pool=governance"


class IdentityForm(GovukForm):
    checked_on = date_field("Date identity was checked")
    note = forms.CharField(
        label="How identity was checked",
        max_length=300,
        error_messages={"required": "Say how the requester's identity was checked"},
    )


class PauseForm(GovukForm):
    reason = _radios(
        "What are you waiting for?", PauseReason.choices, "Select what you are waiting for"
    )
    started_on = date_field("Date you asked the requester")


class ResumeForm(GovukForm):
    ended_on = date_field("Date the requester answered")


class ExtendForm(GovukForm):
    reason = forms.CharField(
        label="Why is the request complex?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say why the request is complex"},
    )


class RedactionForm(GovukForm):
    decision = _radios(
        "Redact or disclose this name?",
        [(RedactionDecision.REDACT, "Redact it"), (RedactionDecision.KEEP, "Disclose it")],
        "Select whether to redact or disclose the name",
    )
    exemption = forms.ChoiceField(
        label="Exemption relied on (when redacting)",
        choices=[("", "Select an exemption"), *Exemption.choices],
        required=False,
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class RedactionAddForm(GovukForm):
    term = forms.CharField(
        label="Words to redact",
        max_length=200,
        help_text="A name or other words that identify someone else, exactly as written",
        error_messages={"required": "Enter the words to redact"},
    )
    party_kind = _radios(
        "Whose information is it?", PartyKind.choices, "Select whose information it is"
    )
    exemption = forms.ChoiceField(
        label="Exemption relied on",
        choices=[("", "Select an exemption"), *Exemption.choices],
        error_messages={"required": "Select the exemption the redaction relies on"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why"},
    )


class HoldForm(GovukForm):
    scope = _radios("What does the hold cover?", HoldScope.choices, "Select what the hold covers")
    target_id = forms.CharField(
        label="Record (for a young person, group or meeting)",
        max_length=40,
        required=False,
        help_text="The record's reference, from the address of its page",
    )
    reason = forms.CharField(
        label="Why is it held?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,  # the service says what is missing, with the record's reference
    )
