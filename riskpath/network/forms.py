"""The chart's filter form, read by the page and the API alike (the API turns its errors into
``FieldErrors``): depth, link type, strength, dates, and the evidence's harm type, grading and
source agency."""

from __future__ import annotations

from typing import Any

from django import forms

from riskpath.core.forms import GovukForm, date_field
from riskpath.intelligence.enums import Assessment, HarmType, SourceEvaluation
from riskpath.links.models import LinkKind, LinkStrength
from riskpath.network.selectors import DEPTHS, MEMBERSHIP, MEMBERSHIP_LABEL, Filters

ANY = [("", "Any")]


class NetworkFilterForm(GovukForm):
    depth = forms.TypedChoiceField(
        label="How far from the record",
        choices=[(str(d), f"{d} {'step' if d == 1 else 'steps'}") for d in DEPTHS],
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "Select a depth of 1, 2 or 3 steps"},
    )
    kind = forms.MultipleChoiceField(
        label="Types of link (optional)",
        choices=[*LinkKind.choices, (MEMBERSHIP, MEMBERSHIP_LABEL)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select types of link from the list"},
    )
    strength = forms.ChoiceField(
        label="Strength at least",
        choices=ANY
        + [(s, LinkStrength(s).label) for s in (LinkStrength.CONFIRMED, LinkStrength.TENTATIVE)],
        required=False,
        error_messages={"invalid_choice": "Select a strength from the list"},
    )
    seen_from = date_field("Seen on or after (optional)", required=False)
    seen_to = date_field("Seen on or before (optional)", required=False)
    harm_type = forms.ChoiceField(
        label="Harm type of the evidence",
        choices=ANY + list(HarmType.choices),
        required=False,
        error_messages={"invalid_choice": "Select a harm type from the list"},
    )
    source_evaluation = forms.ChoiceField(
        label="Evidence's source at least",
        choices=ANY + list(SourceEvaluation.choices)[:2],
        required=False,
        error_messages={"invalid_choice": "Select a source evaluation from the list"},
    )
    assessment = forms.ChoiceField(
        label="Evidence's assessment at least",
        choices=ANY + list(Assessment.choices)[:4],
        required=False,
        error_messages={"invalid_choice": "Select an assessment from the list"},
    )
    agency = forms.ChoiceField(
        label="Evidence from agency",
        choices=ANY,
        required=False,
        error_messages={"invalid_choice": "Select an agency of your area"},
    )

    def __init__(
        self,
        *args: Any,
        agencies: list[tuple[str, str]],
        default_depth: int = 1,
        show_depth: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ChoiceField)
        agency_field.choices = ANY + agencies
        self.default_depth = default_depth
        self.fields["depth"].initial = str(default_depth)
        if not show_depth:
            del self.fields["depth"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("seen_from"), data.get("seen_to")
        if start and end and end < start:
            self.add_error(
                "seen_to",
                "Enter a seen on or before date the same as or after the seen on or after date",
            )
        return data

    def depth_value(self) -> int:
        return self.cleaned_data.get("depth") or self.default_depth

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            link_kinds=tuple(data.get("kind") or ()),
            min_strength=data.get("strength") or "",
            seen_from=data.get("seen_from"),
            seen_to=data.get("seen_to"),
            harm_type=data.get("harm_type") or "",
            source_evaluation=data.get("source_evaluation") or "",
            assessment=data.get("assessment") or "",
            agency=data.get("agency") or "",
        )
