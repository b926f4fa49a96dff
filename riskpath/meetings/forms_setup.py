"""Forms for configuring meeting types and scheduling meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from riskpath.accounts.models import Agency, User
from riskpath.core.forms import GovukForm, VersionField, date_field
from riskpath.meetings.models import MeetingType, MemberCapacity
from riskpath.meetings.schedule import MAX_SERIES
from riskpath.meetings.services import meeting_date_error
from riskpath.meetings.setup import RRULE_HELP

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


def time_field(label: str, *, required: bool = True) -> forms.TimeField:
    noun = label[:1].lower() + label[1:]
    return forms.TimeField(
        label=label,
        required=required,
        help_text="24-hour clock, for example, 10:00 or 13:30",
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "invalid": f"Enter the {noun} as a 24-hour time, like 13:30",
            "required": f"Enter the {noun}",
        },
    )


def whole_number(
    label: str, *, required: bool = False, hint: str = "", lo: int = 0, hi: int = 1000
) -> forms.IntegerField:
    noun = label.removesuffix(" (optional)")
    noun = noun[:1].lower() + noun[1:]
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=hint,
        min_value=lo,
        max_value=hi,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "invalid": f"Enter the {noun} as a whole number",
            "min_value": f"Enter the {noun} as {lo} or more",
            "max_value": f"Enter the {noun} as {hi} or fewer",
            "required": f"Enter the {noun}",
        },
    )


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.email} ({obj.agency})"


class MeetingTypeForm(GovukForm):
    name = forms.CharField(label="Name", max_length=120)
    recurrence = forms.CharField(
        label="Recurrence (optional)",
        max_length=200,
        required=False,
        help_text=f"{RRULE_HELP}. Leave blank if it is convened on request.",
    )
    start_time = time_field("Usual start time", required=False)
    duration_minutes = whole_number("Length in minutes", required=True, lo=15, hi=720)
    intelligence_window_days = whole_number(
        "Intelligence window in days (optional)",
        hint="New intelligence from this many days before the meeting goes on the agenda",
        lo=1,
        hi=366,
    )
    research_days_after = whole_number(
        "Names circulated for research until this many days after the meeting (optional)",
        hint=(
            "Participants see the name, date of birth, address and school of everyone on a "
            "published agenda, to check what their agency knows. Leave blank to show only "
            "what each participant is involved with."
        ),
        lo=0,
        hi=90,
    )
    papers_working_days = whole_number("Papers due, working days before (optional)", lo=0, hi=60)
    minutes_working_days = whole_number("Minutes due, working days after (optional)", lo=0, hi=60)
    requires_declaration = forms.BooleanField(
        label="Every participant signs a confidentiality declaration", required=False
    )
    declaration_text = forms.CharField(
        label="Declaration text (optional)",
        required=False,
        max_length=4000,
        help_text="Needed if participants sign a declaration. It is read out at the start.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    family_may_attend = forms.BooleanField(
        label="The young person and their family may attend", required=False
    )
    has_confidential_slot = forms.BooleanField(
        label="Meetings have a confidential slot", required=False
    )
    tier_2_every = whole_number(
        "Tier 2 young people come up every this many meetings", required=True, lo=1, hi=26
    )
    tier_3_every = whole_number(
        "Tier 3 young people come up every this many meetings", required=True, lo=1, hi=26
    )
    slot_minutes = whole_number(
        "Referral slot length in minutes (optional)",
        hint="For panels that book referrals into time slots",
        lo=5,
        hi=240,
    )
    core_agencies = forms.ModelMultipleChoiceField(
        label="Core agencies (optional)",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    terms_of_reference = forms.CharField(
        label="Terms of reference (optional)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    terms_review_on = date_field("Terms of reference review date", required=False)
    is_active = forms.BooleanField(label="In use", required=False)
    version = VersionField()

    def __init__(self, *args: Any, area_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["core_agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Agency.objects.filter(area_id=area_id, is_active=True).order_by("name")

    @staticmethod
    def initial_for(meeting_type: MeetingType) -> dict[str, Any]:
        names = [name for name in MeetingTypeForm.base_fields if name != "core_agencies"]
        initial = {name: getattr(meeting_type, name) for name in names}
        initial["core_agencies"] = list(meeting_type.core_agencies.values_list("pk", flat=True))
        return initial


class CoreMemberForm(GovukForm):
    user = UserChoiceField(
        label="Member",
        queryset=User.objects.none(),
        empty_label="Select a person",
        error_messages={"invalid_choice": "Select a person in your area who is not a member"},
    )
    capacity = forms.ChoiceField(
        label="Capacity",
        choices=MemberCapacity.choices,
        initial=MemberCapacity.MEMBER,
        widget=forms.RadioSelect,
    )
    deputy = UserChoiceField(
        label="Deputy (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="No deputy",
        help_text="Attends in the member's place when they cannot",
        error_messages={"invalid_choice": "Select a person in your area as deputy"},
    )

    def __init__(self, *args: Any, meeting_type: MeetingType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(
            agency__area_id=meeting_type.area_id, is_active=True, is_service_account=False
        ).select_related("agency")
        members = meeting_type.members.values("user_id")
        user_field = self.fields["user"]
        deputy_field = self.fields["deputy"]
        assert isinstance(user_field, forms.ModelChoiceField)
        assert isinstance(deputy_field, forms.ModelChoiceField)
        user_field.queryset = people.exclude(pk__in=members).order_by("full_name", "email")
        deputy_field.queryset = people.order_by("full_name", "email")


class ScheduleForm(GovukForm):
    meeting_type = forms.ModelChoiceField(
        label="Meeting type",
        queryset=MeetingType.objects.none(),
        empty_label="Select a meeting type",
        error_messages={"invalid_choice": "Select a meeting type in use in your area"},
    )
    starts_on = date_field("Date of the first meeting")
    start_time = time_field("Start time", required=False)
    count = whole_number(
        "How many meetings",
        required=True,
        lo=1,
        hi=MAX_SERIES,
        hint=(
            f"1 for a single meeting. More than 1 schedules a series from the type's "
            f"recurrence, up to {MAX_SERIES} at a time."
        ),
    )
    rrule = forms.CharField(
        label="Recurrence for this series (optional)",
        max_length=200,
        required=False,
        help_text=f"Leave blank to use the meeting type's recurrence. {RRULE_HELP}.",
    )
    title = forms.CharField(
        label="Title (optional)",
        max_length=200,
        required=False,
        help_text="For a single meeting. Leave blank for the type's name and the date.",
    )
    place = forms.CharField(label="Where (optional)", max_length=200, required=False)

    def __init__(self, *args: Any, area_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["meeting_type"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = MeetingType.objects.filter(area_id=area_id, is_active=True)
        self.fields["count"].initial = 1

    def clean_starts_on(self) -> dt.date:
        return _plausible(self.cleaned_data["starts_on"], "the date of the first meeting")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        meeting_type = data.get("meeting_type")
        if meeting_type is not None and not data.get("start_time"):
            if meeting_type.start_time is None:
                self.add_error("start_time", "Enter the start time")
            else:
                data["start_time"] = meeting_type.start_time
        return data


class MoveForm(GovukForm):
    starts_on = date_field("New date")
    start_time = time_field("New start time")
    place = forms.CharField(label="Where (optional)", max_length=200, required=False)
    version = VersionField()

    def clean_starts_on(self) -> dt.date:
        return _plausible(self.cleaned_data["starts_on"], "the new date")


def _plausible(day: dt.date, noun: str) -> dt.date:
    """A meeting's date within the years the service accepts, said on the date field."""
    error = meeting_date_error(day, noun)
    if error:
        raise forms.ValidationError(error)
    return day


class CancelForm(GovukForm):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the meeting is cancelled"},
    )
    version = VersionField()
