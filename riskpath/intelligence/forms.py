from __future__ import annotations

from typing import Any

from django import forms

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency
from riskpath.core import clock
from riskpath.core.forms import DATE_FORMATS, GovukForm, VersionField
from riskpath.intelligence.enums import (
    Assessment,
    HandlingCode,
    HarmType,
    Provenance,
    SourceEvaluation,
)
from riskpath.people.picker import RecordPickerField, YoungPersonPickerField, bind_picker

DATE_HINT = "For example, 27 3 2025 or 2025-03-27."

SOURCE_HINTS = {
    "1": "The source has given reliable information before, or is a system of record.",
    "2": "The source is new, or its reliability cannot yet be judged.",
    "3": "The source has given information that proved wrong, or has reason to mislead.",
}
ASSESSMENT_HINTS = {
    "A": "The source saw or heard it themselves.",
    "B": "The source was told it, and what they were told is backed up by another source.",
    "C": "The source was told it, and nothing else backs it up yet.",
    "D": "The source does not know how true it is.",
    "E": "There is reason to believe it is untrue or malicious.",
}
HANDLING_HINTS = {
    "P": "Partners involved with the young person may read it in full.",
    "C": (
        "Partners outside your agency see only the date, grading and type of harm until you "
        "agree to share it. State the conditions below."
    ),
}


class HintedRadioSelect(forms.RadioSelect):
    """Radios with a hint under each option (the GOV.UK radios pattern with item hints)."""

    def __init__(self, *args: Any, hints: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hints = hints

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        hint = self.hints.get(str(option["value"]), "")
        option["hint"] = hint
        if hint and option["attrs"].get("id"):
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}-item-hint"
        return option


def graded(label: str, choices: Any, hints: dict[str, str], help_text: str = "") -> Any:
    field = forms.ChoiceField(
        label=label, choices=choices, widget=HintedRadioSelect(hints=hints), help_text=help_text
    )
    # Rendered with a hint under each option (Field.template_name, which the stubs lack).
    field.template_name = "intelligence/forms/hinted_radios.html"  # type: ignore[attr-defined]
    return field


class IntelligenceForm(GovukForm):
    reported_on = forms.DateField(
        label="Date of the intelligence",
        help_text=f"When your agency learned of it. {DATE_HINT}",
        input_formats=DATE_FORMATS,
        initial=clock.today,
        error_messages={"invalid": "Enter the date of the intelligence as a real date"},
    )
    text = forms.CharField(
        label="What is the intelligence?",
        help_text="Say what is known, who from, and where and when it happened.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        error_messages={"required": "Enter the intelligence"},
    )
    harm_types = forms.MultipleChoiceField(
        label="Types of harm",
        choices=HarmType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one type of harm"},
    )
    immediate_risk = forms.BooleanField(
        label="This points to an immediate risk of harm",
        required=False,
        help_text="Also tell the police or children's social care now, as your agency's "
        "procedures require.",
    )
    young_people = YoungPersonPickerField(
        label="Young people it is about",
        required=False,
        help_text="Search by name; add a date of birth or postcode to narrow the search. "
        "You see full details only of young people whose records you can open.",
    )
    persons_of_interest = RecordPickerField(
        kind="person_of_interest",
        label="Persons of interest it is about",
        required=False,
        help_text="Search by name or alias.",
    )
    locations = RecordPickerField(
        kind="location",
        label="Locations it is about",
        required=False,
        help_text="Search by name, address or postcode.",
    )
    groups = RecordPickerField(
        kind="group",
        label="Groups it is about",
        required=False,
        help_text="Search by name.",
    )
    source_evaluation = graded(
        "Source evaluation", SourceEvaluation.choices, SOURCE_HINTS, "How reliable is the source?"
    )
    assessment = graded(
        "Intelligence assessment",
        Assessment.choices,
        ASSESSMENT_HINTS,
        "How does the source know it?",
    )
    provenance = forms.ChoiceField(
        label="How close is the source to it?",
        choices=Provenance.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the source knows it first-, second- or third-hand"
        },
    )
    handling_code = graded(
        "Handling code", HandlingCode.choices, HANDLING_HINTS, "May it be shared with partners?"
    )
    handling_conditions = forms.CharField(
        label="Handling conditions",
        required=False,
        help_text="Required for a C-coded item: who may see it, and on what conditions.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    handling_roles = forms.MultipleChoiceField(
        label="Roles the conditions allow to read it in full (optional)",
        choices=[(r.value, r.label) for r in Role if r != Role.AREA_ADMINISTRATOR],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    period_start = forms.DateField(
        label="Start of the period it covers (optional)",
        required=False,
        help_text=DATE_HINT,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter the start of the period as a real date"},
    )
    period_end = forms.DateField(
        label="End of the period it covers (optional)",
        required=False,
        help_text=DATE_HINT,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter the end of the period as a real date"},
    )
    sanitised_text = forms.CharField(
        label="Sanitised version for wider sharing (optional)",
        required=False,
        help_text="Leave out anything that could identify the source.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_picker(self, "young_people", user, data=self.data if self.is_bound else None)
        for name in ("persons_of_interest", "locations", "groups"):
            bind_picker(self, name, user, data=self.data if self.is_bound else None)


class IntelligenceEditForm(IntelligenceForm):
    version = VersionField()


class IntelligenceFilterForm(GovukForm):
    harm_type = forms.ChoiceField(
        label="Type of harm", choices=[("", "Any"), *HarmType.choices], required=False
    )
    source_evaluation = forms.ChoiceField(
        label="Source evaluation",
        choices=[("", "Any"), *SourceEvaluation.choices],
        required=False,
    )
    assessment = forms.ChoiceField(
        label="Intelligence assessment", choices=[("", "Any"), *Assessment.choices], required=False
    )
    handling_code = forms.ChoiceField(
        label="Handling code", choices=[("", "Any"), *HandlingCode.choices], required=False
    )
    agency = forms.ModelChoiceField(
        label="Source agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Any",
    )
    reported_from = forms.DateField(
        label="From", required=False, input_formats=DATE_FORMATS, help_text=DATE_HINT
    )
    reported_to = forms.DateField(
        label="To", required=False, input_formats=DATE_FORMATS, help_text=DATE_HINT
    )

    def __init__(self, *args: Any, area_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(area_id=area_id).order_by("name")


class DisclosureRequestForm(GovukForm):
    reason = forms.CharField(
        label="Why do you need to read this intelligence in full?",
        help_text="The submitting agency sees your reason. It is recorded.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter why you need to see this intelligence in full"},
    )


class DisclosureDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("grant", "Share it in full"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to share the intelligence"},
    )
    note = forms.CharField(
        label="Note to the requester",
        required=False,
        help_text="Required when you refuse: say why.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class DeleteForm(GovukForm):
    reason = forms.CharField(
        label="Why is this intelligence item being deleted?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why this intelligence item is being deleted"},
    )
    version = VersionField()


class RestoreForm(GovukForm):
    version = VersionField()
