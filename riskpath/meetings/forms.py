"""Forms of the agenda pages."""

from __future__ import annotations

from typing import Any

from django import forms

from riskpath.core.forms import GovukForm, VersionField


class AgendaItemForm(GovukForm):
    title = forms.CharField(
        label="Title",
        max_length=300,
        error_messages={"required": "Enter a title for the agenda item"},
    )
    detail = forms.CharField(
        label="Detail (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
    minutes_allowed = forms.IntegerField(
        label="Time allowed in minutes (optional)",
        min_value=1,
        max_value=240,
        required=False,
        error_messages={
            "invalid": "Enter the time allowed as a whole number of minutes",
            "min_value": "Time allowed must be between 1 and 240 minutes",
            "max_value": "Time allowed must be between 1 and 240 minutes",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    confidential = forms.BooleanField(
        label="Confidential slot (left out of the version for the young person and family)",
        required=False,
    )


class AgendaItemEditForm(AgendaItemForm):
    version = VersionField()


class AgendaItemsRemoveForm(GovukForm):
    """Several items of one section taken off the agenda with one reason (the service checks
    the items and the reason)."""

    items = forms.MultipleChoiceField(
        label="Items to take off the agenda",
        required=False,
        error_messages={"invalid_choice": "Select items of this section of the agenda"},
    )
    reason = forms.CharField(
        label="Why are these items coming off the agenda?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, choices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(pk, pk) for pk in choices]


class AgendaItemRemoveForm(GovukForm):
    reason = forms.CharField(
        label="Why is this item coming off the agenda?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why this item is coming off the agenda"},
    )
    version = VersionField()
