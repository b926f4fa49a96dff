from __future__ import annotations

import re
from typing import Any

from django import forms

from riskpath.audit.verbs import Verb
from riskpath.core.forms import GovukForm

ID_HINT = (
    "Its id, as the log shows it (at least the first 8 characters). Records are found by id, "
    "not by name: the log shows names only of records you may open."
)


RECORD_ID = re.compile(r"[0-9a-f-]{8,36}")


class RecordIdField(forms.CharField):
    """The id (or its first 8 or more characters) of a record in the log."""

    def __init__(self, label: str) -> None:
        noun = label[:1].lower() + label[1:]
        super().__init__(
            label=f"{label} (id)",
            required=False,
            max_length=36,
            help_text=ID_HINT,
            error_messages={"max_length": f"Enter the {noun}'s id, at most 36 characters"},
        )
        self.noun = noun

    def clean(self, value: Any) -> str:
        text = (super().clean(value) or "").strip().lower()
        if text and (len(text) < 8 or not RECORD_ID.fullmatch(text)):
            raise forms.ValidationError(
                f"Enter the {self.noun}'s id as the log shows it, like 3f2a9c1e"
            )
        return text


class AuditFilterForm(GovukForm):
    actor = forms.CharField(label="User", required=False, max_length=200)
    subject = RecordIdField("Young person")
    target = RecordIdField("Record")
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
