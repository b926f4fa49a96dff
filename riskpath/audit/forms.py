from __future__ import annotations

from typing import Any

from django import forms

from riskpath.audit.verbs import Verb
from riskpath.core.forms import GovukForm


class AuditFilterForm(GovukForm):
    actor = forms.CharField(label="User", required=False, max_length=200)
    subject = forms.CharField(label="Young person", required=False, max_length=200)
    target = forms.CharField(label="Record", required=False, max_length=200)
    verb = forms.ChoiceField(
        label="Event", required=False, choices=[("", "Any event"), *Verb.choices]
    )
    date_from = forms.DateField(
        label="From date",
        required=False,
        help_text="For example, 2026-11-01",
        error_messages={"invalid": "Enter the from date as a real date, like 2026-11-01"},
    )
    date_to = forms.DateField(
        label="To date",
        required=False,
        help_text="For example, 2026-11-30",
        error_messages={"invalid": "Enter the to date as a real date, like 2026-11-30"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return data
