from __future__ import annotations

from django import forms

from riskpath.core.forms import GovukForm, VersionField, date_field
from riskpath.referrals.models import ReferralStatus, ReferralTo


class ReferralForm(GovukForm):
    to = forms.ChoiceField(
        label="Referred or signposted to",
        choices=[("", "Select a service"), *ReferralTo.choices],
        error_messages={"required": "Select who the referral is to"},
    )
    to_detail = forms.CharField(
        label="Service or team (optional)",
        max_length=160,
        required=False,
        help_text="Needed when the referral is to another service",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ReferralStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status of the referral"},
    )
    made_on = date_field(
        "Date made (optional)", required=False, help_text="Leave blank while it is only planned"
    )
    outcome = forms.CharField(
        label="Outcome (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class ReferralEditForm(ReferralForm):
    version = VersionField()
