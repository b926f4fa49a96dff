"""Forms of the meeting itself: attendance, guests, minutes, decisions, confidential slots."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse

from riskpath.accounts.models import Agency, User
from riskpath.core.forms import GovukForm, VersionField
from riskpath.meetings import conduct
from riskpath.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CoreMember,
    DecisionKind,
    Meeting,
)
from riskpath.people.models import YoungPerson

STATUS_CHOICES = [
    (AttendanceStatus.PRESENT.value, "Present"),
    (AttendanceStatus.DEPUTY.value, "Sent a deputy"),
    (AttendanceStatus.APOLOGIES.value, "Apologies"),
    (AttendanceStatus.ABSENT.value, "Absent"),
]
GUEST_STATUS_CHOICES = [c for c in STATUS_CHOICES if c[0] != AttendanceStatus.DEPUTY]
DEPUTY_ROW_CHOICES = [
    (AttendanceStatus.DEPUTY.value, "Present as deputy"),
    (AttendanceStatus.ABSENT.value, "Absent"),
]


# ---------------------------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------------------------


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        agency = f" ({obj.agency})" if obj.agency_id else ""
        return f"{obj.full_name or obj.email}{agency}"


class AttendanceForm(GovukForm):
    """One status (and, for a member who sent one, a deputy) per attendance row."""

    def __init__(self, *args: Any, rows: list[Attendance], meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        # Read once for every row: each row's deputy list is the candidates but the member.
        candidates = list(conduct.deputy_candidates(meeting).select_related("agency"))
        deputies: dict[Any, Any] = {}
        for user_id, deputy_id in CoreMember.objects.filter(
            meeting_type_id=meeting.meeting_type_id
        ).values_list("user_id", "deputy_id"):
            deputies.setdefault(user_id, deputy_id)
        for row in rows:
            name = conduct.attendee_name(row)
            key = str(row.pk)
            if row.deputy_for_id is not None:
                label = f"{name} (deputy for {row.deputy_for})"
                choices = DEPUTY_ROW_CHOICES
            else:
                label = name
                choices = STATUS_CHOICES if row.user_id else GUEST_STATUS_CHOICES
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                widget=forms.RadioSelect,
                initial=None if row.status == AttendanceStatus.INVITED else row.status,
                required=False,
            )
            if row.user_id and row.deputy_for_id is None:
                field = UserChoiceField(
                    label=f"Deputy for {name}",
                    help_text="Only if they sent a deputy",
                    queryset=conduct.deputy_candidates(meeting).exclude(pk=row.user_id),
                    required=False,
                    empty_label="Select the deputy",
                    initial=deputies.get(row.user_id),
                )
                # The options from the list read once (the queryset still checks the choice).
                field.choices = [("", field.empty_label or "")] + [
                    (user.pk, field.label_from_instance(user))
                    for user in candidates
                    if user.pk != row.user_id
                ]
                self.fields[f"deputy_{key}"] = field
            self.fields[f"version_{key}"] = VersionField(initial=row.version, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in self.rows:
            key = str(row.pk)
            if data.get(f"status_{key}") and not data.get(f"version_{key}"):
                self.add_error(
                    f"status_{key}",
                    f"This page is out of date for {conduct.attendee_name(row)}: reload it",
                )
        return data

    def changes(self) -> list[tuple[Attendance, int, str, User | None]]:
        out = []
        for row in self.rows:
            key = str(row.pk)
            status = self.cleaned_data.get(f"status_{key}")
            if not status or status == row.status:
                continue
            version = self.cleaned_data[f"version_{key}"]
            out.append((row, version, status, self.cleaned_data.get(f"deputy_{key}")))
        return out


class AttendeeAddForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200)
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), required=False, empty_label="None"
    )
    is_family = forms.BooleanField(label="A family member or the young person", required=False)
    status = forms.ChoiceField(
        label="Attendance", choices=GUEST_STATUS_CHOICES, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(area_id=meeting.area_id).order_by("name")
        if not meeting.meeting_type.family_may_attend:
            del self.fields["is_family"]


class VersionForm(GovukForm):
    version = VersionField()


class ConfidentialForm(GovukForm):
    version = VersionField()
    confidential = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")])


class MinutesForm(GovukForm):
    """One textarea per agenda item, with the version of the minutes it was based on."""

    def __init__(
        self, *args: Any, items: list[AgendaItem], meeting: Meeting, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for number, item in enumerate(items, 1):
            current = conduct.minutes_of(item)
            key = str(item.pk)
            self.fields[f"minutes_{key}"] = forms.CharField(
                label=f"{number}. {item.title}",
                required=False,
                strip=False,
                max_length=conduct.MAX_MINUTES_CHARS,
                initial=current.discussion if current else "",
                widget=forms.Textarea(
                    attrs={
                        "rows": 6,
                        "data-minutes-item": key,
                        "aria-describedby": f"minutes-status-{key}",
                        "data-minutes-url": reverse(
                            "api:conduct_item_minutes", args=[meeting.pk, item.pk]
                        ),
                    }
                ),
            )
            self.fields[f"version_{key}"] = forms.IntegerField(
                min_value=0,
                widget=forms.HiddenInput(attrs={"data-minutes-version": key}),
                initial=current.version if current else 0,
            )

    def edits(self) -> list[conduct.MinutesEdit]:
        out = []
        for item in self.items:
            key = str(item.pk)
            version = self.cleaned_data.get(f"version_{key}")
            out.append(
                conduct.MinutesEdit(
                    item=item,
                    discussion=self.cleaned_data.get(f"minutes_{key}") or "",
                    expected_version=version if version is not None else 0,
                )
            )
        return out


class DecisionForm(GovukForm):
    item = forms.ModelChoiceField(
        label="Agenda item", queryset=AgendaItem.objects.none(), empty_label="Select the item"
    )
    kind = forms.ChoiceField(
        label="Decision", choices=DecisionKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label="What did the meeting decide?", widget=forms.Textarea(attrs={"rows": 4})
    )
    young_person = forms.ModelChoiceField(
        label="Young person it concerns",
        queryset=YoungPerson.objects.none(),
        required=False,
        empty_label="None",
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = conduct.items_for_minutes(meeting)
        item_field = self.fields["item"]
        assert isinstance(item_field, forms.ModelChoiceField)
        item_field.queryset = items
        item_field.label_from_instance = lambda obj: f"{obj.position}. {obj.title}"  # type: ignore[method-assign]
        people = YoungPerson.objects.filter(area_id=meeting.area_id).filter(
            pk__in=[
                pk
                for pk in [
                    meeting.young_person_id,
                    *items.values_list("young_person_id", flat=True),
                ]
                if pk
            ]
        )
        person_field = self.fields["young_person"]
        assert isinstance(person_field, forms.ModelChoiceField)
        person_field.queryset = people.order_by("family_name", "given_names")


class NameCheckForm(GovukForm):
    """One agency's answer to the name check of one subject of the agenda."""

    known = forms.TypedChoiceField(
        label="Is this known to your agency?",
        choices=[("yes", "Yes, known to my agency"), ("no", "No, not known to my agency")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether your agency knows them"},
    )
    note = forms.CharField(
        label="Note for the meeting (optional)",
        required=False,
        max_length=500,
        help_text="What your agency knows, in a line or two. The meeting hears the detail.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = VersionField(required=False)

    def __init__(self, *args: Any, agency: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agency:
            self.fields["known"].label = f"Is this known to {agency}?"
