from __future__ import annotations

from typing import Any

from django import forms

from riskpath.accounts.models import User
from riskpath.core.forms import GovukForm, VersionField


class LeadProfessionalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.agency})"


class YoungPersonForm(GovukForm):
    given_names = forms.CharField(label="Given names", max_length=120)
    family_name = forms.CharField(label="Family name", max_length=120)
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        help_text="For example, 27 3 2010 or 2010-03-27. Leave blank if not known.",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y", "%d-%m-%Y"],
        error_messages={"invalid": "Enter the date of birth as a real date, like 27 3 2010"},
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
        help_text="Your reason is recorded and shown to the professionals involved.",
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
