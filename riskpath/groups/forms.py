from __future__ import annotations

from typing import Any

from django import forms

from riskpath.core.forms import DATE_FORMATS, GovukForm, VersionField
from riskpath.groups.models import GroupKind
from riskpath.people.picker import RecordPickerField, YoungPersonPickerField, bind_picker


class GroupForm(GovukForm):
    name = forms.CharField(
        label="Name",
        max_length=160,
        error_messages={"required": "Enter the name of the group"},
    )
    kind = forms.ChoiceField(
        label="Type of group",
        choices=GroupKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of group"},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What brings the group together, where and when it meets.",
    )


class GroupEditForm(GroupForm):
    version = VersionField()


class GroupMemberAddForm(GovukForm):
    """A young person (found by a search among those the user may open) or a person of
    interest (found by a search of the area's): one of the two."""

    young_person = YoungPersonPickerField(
        label="A young person",
        multiple=False,
        pool_name="involved",
        required=False,
        help_text="Search by name among the young people whose records you can open. "
        "Leave empty to add a person of interest instead.",
    )
    person_of_interest = RecordPickerField(
        kind="person_of_interest",
        label="Or a person of interest",
        multiple=False,
        required=False,
        help_text="Search by name or alias among the area's persons of interest.",
    )
    joined_on = forms.DateField(
        label="Date they joined",
        help_text="For example, 27 3 2026. If not known exactly, the date it was first known.",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Enter the date they joined the group",
            "invalid": "Enter the date they joined as a real date, like 27 3 2026",
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("young_person", "person_of_interest"):
            bind_picker(self, name, user, data=self.data if self.is_bound else None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        young_person, poi = data.get("young_person"), data.get("person_of_interest")
        if "young_person" in data and "person_of_interest" in data:
            if young_person and poi:
                self.add_error(
                    "person_of_interest",
                    "Choose a young person or a person of interest, not both",
                )
            elif not young_person and not poi:
                self.add_error(
                    "young_person",
                    "Search for and choose a young person or a person of interest",
                )
        return data


class GroupMemberEndForm(GovukForm):
    left_on = forms.DateField(
        label="Date they left",
        help_text="For example, 27 3 2026.",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Enter the date they left the group",
            "invalid": "Enter the date they left as a real date, like 27 3 2026",
        },
    )
