from __future__ import annotations

from typing import Any

from django import forms

from riskpath.accounts.models import Agency, User
from riskpath.core.forms import DATE_FORMATS, GovukForm, VersionField, date_field
from riskpath.people.enums import CareStatus, DisruptionKind, EpisodeKind, Ethnicity, Gender


class LeadProfessionalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.agency})"


DATETIME_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d %m %Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H:%M",
]


def datetime_field(label: str, *, required: bool = False) -> forms.DateTimeField:
    noun = label.removesuffix(" (optional)")
    noun = noun[:1].lower() + noun[1:]
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text="Date and 24-hour time, for example, 27 3 2025 21:30",
        input_formats=DATETIME_FORMATS,
        error_messages={
            "invalid": f"Enter the {noun} as a real date and time, like 27 3 2025 21:30",
            "required": f"Enter the {noun}",
        },
    )


class AliasesField(forms.CharField):
    """Names, one a line, as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class YoungPersonForm(GovukForm):
    given_names = forms.CharField(label="Given names", max_length=120)
    family_name = forms.CharField(label="Family name", max_length=120)
    aliases = AliasesField(
        label="Known aliases (optional)",
        required=False,
        help_text="Other names the young person is known by, one on each line",
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        help_text="For example, 27 3 2010 or 2010-03-27. Leave blank if not known.",
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter the date of birth as a real date, like 27 3 2010"},
    )
    date_of_birth_estimated = forms.BooleanField(
        label="It is an estimate: the exact birthday is not known", required=False
    )
    gender = forms.ChoiceField(label="Gender", choices=Gender.choices, required=False)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=Ethnicity.choices, required=False)
    school = forms.CharField(label="School or college (optional)", max_length=160, required=False)
    locality = forms.CharField(
        label="Locality (optional)",
        max_length=120,
        required=False,
        help_text="The town, village or neighbourhood where the young person lives",
    )
    postcode = forms.CharField(label="Postcode (optional)", max_length=10, required=False)
    care_status = forms.ChoiceField(label="Care status", choices=CareStatus.choices, required=False)
    mosaic_id = forms.CharField(
        label="Mosaic ID (optional)", max_length=20, required=False, help_text="4 to 10 digits"
    )
    liquidlogic_id = forms.CharField(
        label="LiquidLogic ID (optional)",
        max_length=20,
        required=False,
        help_text="4 to 10 digits",
    )
    niche_id = forms.CharField(
        label="Niche ID (optional)",
        max_length=30,
        required=False,
        help_text="Letters and numbers, up to 30",
    )
    flare_id = forms.CharField(
        label="Flare ID (optional)",
        max_length=30,
        required=False,
        help_text="Letters, numbers and hyphens, up to 30",
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        max_length=20,
        required=False,
        help_text="10 digits, for example, 485 777 3456",
    )
    lead_professional = LeadProfessionalChoiceField(
        label="Lead professional",
        queryset=User.objects.none(),
        required=False,
        empty_label="No lead professional yet",
    )

    def __init__(self, *args: Any, area_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lead_professional"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(
            agency__area_id=area_id, is_active=True, is_service_account=False
        ).select_related("agency")


class YoungPersonEditForm(YoungPersonForm):
    version = VersionField()


class EmergencyAccessForm(GovukForm):
    reason = forms.CharField(
        label="Why do you need emergency access to this record?",
        help_text=(
            "In at least 4 words. Your reason is recorded and shown to the professionals involved."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter why you need emergency access"},
    )


class DeleteForm(GovukForm):
    reason = forms.CharField(
        label="Why is this record being deleted?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why this record is being deleted"},
    )
    version = VersionField()


class RestoreForm(GovukForm):
    version = VersionField()


class PersonOfInterestForm(GovukForm):
    given_names = forms.CharField(label="Given names (optional)", max_length=120, required=False)
    family_name = forms.CharField(label="Family name (optional)", max_length=120, required=False)
    aliases = AliasesField(
        label="Known aliases and street names (optional)",
        required=False,
        help_text="One on each line",
    )
    date_of_birth = date_field(
        "Date of birth (optional)", required=False, help_text="For example, 27 3 1999"
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="Appearance, vehicles, places they are seen: whatever helps partners know them",
    )
    postcode = forms.CharField(label="Postcode (optional)", max_length=10, required=False)


class PersonOfInterestEditForm(PersonOfInterestForm):
    version = VersionField()


class PersonOfInterestFromYoungPersonForm(GovukForm):
    """For a young person who is also a person of interest: their identity stays on the young
    person's record, so only what is particular to the role is asked."""

    description = PersonOfInterestForm.base_fields["description"]
    postcode = PersonOfInterestForm.base_fields["postcode"]


class PersonOfInterestFromYoungPersonEditForm(PersonOfInterestFromYoungPersonForm):
    version = VersionField()


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class DisruptionForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of disruption",
        choices=[("", "Select a kind"), *DisruptionKind.choices],
        error_messages={"required": "Select the kind of disruption"},
    )
    date = date_field("Date")
    agency = AgencyChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        error_messages={"required": "Select the agency that did it"},
    )
    outcome = forms.CharField(
        label="Outcome (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args: Any, area_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(area_id=area_id, is_active=True).order_by("name")


class MissingEpisodeForm(GovukForm):
    kind = forms.ChoiceField(
        label="Was the young person missing or absent?",
        choices=EpisodeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select missing or absent without authorisation"},
    )
    reported_at = datetime_field("Time reported", required=True)
    returned_at = datetime_field("Time of return (optional)")
    where_found = forms.CharField(label="Where found (optional)", max_length=200, required=False)
    interview_offered = forms.BooleanField(
        label="A return (safe and well) interview was offered", required=False
    )
    interview_done_at = datetime_field("Time of the return interview (optional)")
    interview_by = forms.CharField(
        label="Return interview done by (optional)",
        max_length=160,
        required=False,
        help_text="Name and agency",
    )


class MissingEpisodeEditForm(MissingEpisodeForm):
    version = VersionField()


class YoungPersonCreateForm(YoungPersonForm):
    # Set when the user has seen the likely existing records and chosen to record a new one:
    # the digest of the details checked, so changing them brings the check back.
    confirm_new = forms.CharField(required=False, widget=forms.HiddenInput)


class PersonOfInterestCreateForm(PersonOfInterestForm):
    confirm_new = forms.CharField(required=False, widget=forms.HiddenInput)


class MergeChooseForm(GovukForm):
    other = forms.ChoiceField(
        label="Which record is the same young person?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the record to merge with",
            "invalid_choice": "Select the record to merge with",
        },
    )

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[str, str]],
        noun: str = "young person",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["other"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        field.label = f"Which record is the same {noun}?"


class MergeConfirmForm(GovukForm):
    keep = forms.ChoiceField(
        label="Which record should be kept?",
        widget=forms.RadioSelect,
        help_text="Everything about the other record moves to the one kept. Its names become "
        "aliases, and the other record is deleted. The merge can be undone.",
        error_messages={
            "required": "Select which record to keep",
            "invalid_choice": "Select which record to keep",
        },
    )
    reason = forms.CharField(
        label="Why are these the same young person?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why these two records are the same young person"},
    )

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[str, str]],
        noun: str = "young person",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        reason = self.fields["reason"]
        reason.label = f"Why are these the same {noun}?"
        reason.error_messages["required"] = f"Enter why these two records are the same {noun}"


class MergeUndoForm(GovukForm):
    pass


class NotSamePersonForm(GovukForm):
    kind = forms.CharField(widget=forms.HiddenInput)
    first = forms.UUIDField(widget=forms.HiddenInput)
    second = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why are they different people? (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
