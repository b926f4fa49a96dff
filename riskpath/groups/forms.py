from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from riskpath.core.forms import DATE_FORMATS, GovukForm, VersionField
from riskpath.groups.models import GroupKind


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
    member = forms.ChoiceField(
        label="Member",
        help_text="A young person you are involved with, or a person of interest.",
        error_messages={
            "required": "Select the young person or person of interest to add",
            "invalid_choice": "Select a person in the list",
        },
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

    def __init__(
        self,
        *args: Any,
        young_people: Iterable[Any] = (),
        persons_of_interest: Iterable[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "Choose a person"),
            ("Young people", [(f"young_person:{p.pk}", str(p)) for p in young_people]),
            (
                "Persons of interest",
                [(f"person_of_interest:{p.pk}", str(p)) for p in persons_of_interest],
            ),
        ]


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
