from __future__ import annotations

from typing import Any

from django import forms

from riskpath.accounts.models import Agency, User
from riskpath.cohort.models import ExitReason, Tier
from riskpath.cohort.pickers import ENTRY_POOL
from riskpath.cohort.suggestion import Criterion, criterion_label
from riskpath.core.forms import DATE_FORMATS, GovukForm, VersionField
from riskpath.intelligence.enums import HarmType
from riskpath.people.picker import YoungPersonPickerField, bind_picker

CRITERIA_CHOICES = [
    (str(c), criterion_label(c)) for c in Criterion
]  # grouped by tier, in the seed's order


class ChooseYoungPersonForm(GovukForm):
    young_person = YoungPersonPickerField(
        label="Young person",
        multiple=False,
        pool_name=ENTRY_POOL,
        help_text="Search by name among the young people who may join the cohort: those not "
        "on it now whom you can see, who were on it before, or whom partners have shared "
        "intelligence about recently.",
        error_messages={
            "required": "Search for and choose the young person to add",
            "invalid": "Choose a young person who is not on the cohort",
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bind_picker(self, "young_person", user, data=self.data if self.is_bound else None)


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class _DecisionForm(GovukForm):
    tier = forms.TypedChoiceField(
        label="Tier", choices=Tier.choices, coerce=int, widget=forms.RadioSelect
    )
    criteria = forms.MultipleChoiceField(
        label="Criteria met",
        help_text="Select every criterion the PIMM agreed the young person meets.",
        choices=CRITERIA_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the criteria the young person meets"},
    )
    reason = forms.CharField(
        label="Why did the PIMM make this decision?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Enter why the PIMM made this decision"},
    )
    meeting_ref = forms.CharField(
        label="Meeting",
        help_text="For example, PIMM 3 March 2026. Leave blank if decided outside a meeting.",
        max_length=64,
        required=False,
    )
    next_review_on = forms.DateField(
        label="Next review",
        required=False,
        help_text="For example, 27 3 2026. Leave blank if not set.",
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter the next review as a real date, like 27 3 2026"},
    )
    accept_warning = forms.BooleanField(
        label="The chair accepts that no lead professional is in place yet",
        help_text="Needed only at tier 2 for a young person with no lead professional.",
        required=False,
    )


class CohortAddForm(_DecisionForm):
    young_person: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, widget=forms.HiddenInput
    )
    field_order = ["young_person", "tier", "criteria", "reason"]

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["young_person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset
        field.error_messages["invalid_choice"] = "Select a young person who is not on the cohort"
        field.error_messages["required"] = "Select a young person"


class CohortTierForm(_DecisionForm):
    version = VersionField()


class CohortExitForm(GovukForm):
    exit_reason = forms.ChoiceField(
        label="Why is the young person leaving the cohort?",
        choices=ExitReason.choices,
        widget=forms.RadioSelect,
    )
    receiving_area = forms.CharField(
        label="Receiving area",
        help_text="Needed if the young person has moved out of the area.",
        max_length=120,
        required=False,
    )
    note = forms.CharField(
        label="Why did the PIMM make this decision?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Enter why the PIMM made this decision"},
    )
    meeting_ref = forms.CharField(
        label="Meeting",
        help_text="For example, PIMM 3 March 2026. Leave blank if decided outside a meeting.",
        max_length=64,
        required=False,
    )
    version = VersionField()


class ReentryNoActionForm(GovukForm):
    reason = forms.CharField(
        label="Why is no action needed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Enter why no action is needed"},
    )
    meeting_ref = forms.CharField(
        label="Meeting",
        help_text="Leave blank if decided outside a meeting.",
        max_length=64,
        required=False,
    )


SORT_CHOICES = [
    ("tier", "Tier"),
    ("name", "Name"),
    ("last_discussed", "Last discussed (longest ago first)"),
    ("next_review", "Next review (soonest first)"),
    ("entered", "Date added"),
]


class CohortFilterForm(GovukForm):
    tier = forms.TypedChoiceField(
        label="Tier", choices=[("", "Any tier"), *Tier.choices], coerce=int, required=False
    )
    lead_professional: forms.ModelChoiceField[Any] = LeadChoiceField(
        label="Lead professional", queryset=None, required=False, empty_label="Anyone"
    )
    harm_type = forms.ChoiceField(
        label="Harm type", choices=[("", "Any harm type"), *HarmType.choices], required=False
    )
    agency: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Agency reporting", queryset=None, required=False, empty_label="Any agency"
    )
    locality = forms.CharField(label="Locality", max_length=120, required=False)
    discussed_before = forms.DateField(
        label="Not discussed since",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter not discussed since as a real date, like 27 3 2026"},
    )
    review_due_by = forms.DateField(
        label="Review due by",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter review due by as a real date, like 27 3 2026"},
    )
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, area_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead = self.fields["lead_professional"]
        agency = self.fields["agency"]
        assert isinstance(lead, forms.ModelChoiceField)
        assert isinstance(agency, forms.ModelChoiceField)
        lead.queryset = User.objects.filter(
            agency__area_id=area_id, is_active=True, is_service_account=False
        ).order_by("full_name")
        agency.queryset = Agency.objects.filter(area_id=area_id).order_by("name")
