from __future__ import annotations

from django import forms

from riskpath.core.forms import GovukForm, VersionField
from riskpath.locations.models import LocationKind


class LocationForm(GovukForm):
    name = forms.CharField(
        label="Name",
        max_length=160,
        help_text="What partners call it, for example “Station Road skate park”.",
        error_messages={"required": "Enter the name of the location"},
    )
    kind = forms.ChoiceField(
        label="Type of location",
        choices=LocationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of location"},
    )
    address = forms.CharField(
        label="Address or web address",
        max_length=240,
        required=False,
        help_text="For an online platform, its name or web address.",
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    latitude = forms.CharField(
        label="Latitude",
        max_length=20,
        required=False,
        help_text="Optional. For example, 51.501009. Give both latitude and longitude, or neither.",
    )
    longitude = forms.CharField(
        label="Longitude",
        max_length=20,
        required=False,
        help_text="Optional. For example, -2.547210.",
    )


class LocationEditForm(LocationForm):
    version = VersionField()


class LocationDeleteForm(GovukForm):
    reason = forms.CharField(
        label="Why is this location being deleted?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why this location is being deleted"},
    )
    version = VersionField()


class RestoreForm(GovukForm):
    version = VersionField()
