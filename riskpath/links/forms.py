from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from riskpath.core.forms import DATE_FORMATS, GovukForm, VersionField
from riskpath.groups.ends import END_CHOICES, END_LABELS
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import LinkKind, LinkStrength
from riskpath.people.picker import RecordPickerField, YoungPersonPickerField, bind_picker


def _date(label: str, noun: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text="For example, 27 3 2026. Leave blank if not known.",
        input_formats=DATE_FORMATS,
        error_messages={"invalid": f"Enter the date {noun} as a real date, like 27 3 2026"},
    )


def evidence_label(item: IntelligenceItem) -> str:
    return f"{item.grading} from {item.source_agency} on {item.reported_on:%-d %B %Y}"


class LinkEndTypeForm(GovukForm):
    to_type = forms.ChoiceField(
        label="What is at the other end of the link?",
        choices=END_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what is at the other end of the link"},
    )


class LinkDetailsForm(GovukForm):
    """Kind, strength, dates and evidence: what can change on a link."""

    kind = forms.ChoiceField(
        label="Kind of link",
        choices=LinkKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of link"},
    )
    strength = forms.ChoiceField(
        label="Strength",
        choices=LinkStrength.choices,
        widget=forms.RadioSelect,
        initial=LinkStrength.UNCONFIRMED,
        error_messages={"required": "Select how strong the link is"},
    )
    first_seen = _date("First seen", "first seen")
    last_seen = _date("Last seen", "last seen")
    evidence = forms.MultipleChoiceField(
        label="Evidence",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The intelligence items that support this link.",
    )

    def __init__(self, *args: Any, evidence: Iterable[IntelligenceItem] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.evidence_items = {str(item.pk): item for item in evidence}
        field = self.fields["evidence"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(pk, evidence_label(item)) for pk, item in self.evidence_items.items()]
        if not self.evidence_items:
            field.help_text = "There is no intelligence you can cite yet."

    def chosen_evidence(self) -> list[IntelligenceItem]:
        return [self.evidence_items[pk] for pk in self.cleaned_data.get("evidence") or []]


class LinkCreateForm(LinkDetailsForm):
    """The other end is chosen by a search (the header's), never from a list of the area: young
    people among those the user may open; persons of interest, locations and groups among the
    area's."""

    other = forms.Field(label="Other end")  # replaced by the end type's picker
    field_order = ["other", "kind", "strength", "first_seen", "last_seen", "evidence"]

    def __init__(self, *args: Any, to_type: str, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if to_type == "young_person":
            self.fields["other"] = YoungPersonPickerField(
                label="Young person",
                multiple=False,
                pool_name="involved",
                help_text="Search by name among the young people whose records you can open.",
                error_messages={
                    "required": "Search for and choose the young person at the other end",
                },
            )
        else:
            noun = END_LABELS[to_type].lower()
            field = RecordPickerField(kind=to_type, multiple=False, label=END_LABELS[to_type])
            field.error_messages["required"] = f"Search for and choose the {noun} at the other end"
            self.fields["other"] = field
        bind_picker(self, "other", user, data=self.data if self.is_bound else None)


class LinkEditForm(LinkDetailsForm):
    version = VersionField()


class LinkDeleteForm(GovukForm):
    reason = forms.CharField(
        label="Why is this link being deleted?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why this link is being deleted"},
    )
    version = VersionField()
