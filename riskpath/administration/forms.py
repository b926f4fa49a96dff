from __future__ import annotations

from typing import Any

from django import forms

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency
from riskpath.core.forms import DATE_FORMATS, GovukForm, VersionField
from riskpath.core.workdays import CALENDAR_CHOICES


class AreaSettingsForm(GovukForm):
    name = forms.CharField(label="Area name", max_length=120)
    calendar = forms.ChoiceField(
        label="Bank holiday calendar",
        choices=CALENDAR_CHOICES,
        widget=forms.RadioSelect,
        help_text="Working-day timescales skip the bank holidays of this calendar.",
    )
    require_mfa = forms.BooleanField(
        label="Require two-factor sign-in for every user in the area", required=False
    )
    version = VersionField()


class ClosureDayForm(GovukForm):
    """A closure day to add. The reason's length and the date's range are the service's to
    refuse, so that the page and the API say the same thing."""

    date = forms.DateField(
        label="Date",
        help_text="For example, 29 12 2026",
        input_formats=DATE_FORMATS,
        error_messages={
            "invalid": "Enter the date of the closure day as a real date, like 29 12 2026",
            "required": "Enter the date of the closure day",
        },
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        help_text="For example, offices closed between Christmas and New Year",
    )


class AgencyForm(GovukForm):
    name = forms.CharField(label="Agency name", max_length=160)
    kind = forms.ChoiceField(label="Kind of agency", choices=AgencyKind.choices)
    is_first_responder = forms.BooleanField(
        label="First responder under the National Referral Mechanism",
        help_text="Only first-responder agencies may make an NRM referral.",
        required=False,
    )


class AgencyEditForm(AgencyForm):
    is_active = forms.BooleanField(label="Active", required=False)
    version = VersionField()


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class UserForm(GovukForm):
    full_name = forms.CharField(label="Full name", max_length=160)
    email = forms.EmailField(label="E-mail address")
    job_title = forms.CharField(label="Job title", max_length=160, required=False)
    agency = AgencyChoiceField(label="Agency", queryset=Agency.objects.none())
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every role this person holds in the partnership.",
        error_messages={"required": "Select at least one role"},
    )

    def __init__(self, *args: Any, area_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(area_id=area_id, is_active=True)


class UserEditForm(UserForm):
    is_active = forms.BooleanField(
        label="Active", required=False, help_text="An inactive user cannot sign in."
    )
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["email"]
