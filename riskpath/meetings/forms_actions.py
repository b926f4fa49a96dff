"""Forms of the action register, partner-system tasks and the HSB/AIM panel's slots."""

from __future__ import annotations

from typing import Any

from django import forms

from riskpath.core.forms import GovukForm, VersionField, date_field
from riskpath.groups.models import Group
from riskpath.locations.models import Location
from riskpath.meetings import actions, slots
from riskpath.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingType,
    PartnerSystem,
)
from riskpath.people.models import PersonOfInterest

# ---------------------------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------------------------


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if hasattr(obj, "full_name"):
            agency = f" ({obj.agency})" if getattr(obj, "agency_id", None) else ""
            return f"{obj.full_name or obj.email}{agency}"
        if hasattr(obj, "date_of_birth") and hasattr(obj, "lead_professional_id"):
            born = f", born {obj.date_of_birth:%d %b %Y}" if obj.date_of_birth else ""
            return f"{obj}{born}"
        return str(obj)


class _OwnerFields(GovukForm):
    owner_user = NamedChoiceField(
        label="Owner (a person)",
        queryset=None,
        required=False,
        empty_label="No one person",
    )
    owner_agency = NamedChoiceField(
        label="Owning agency",
        queryset=None,
        required=False,
        empty_label="No agency",
        help_text="Choose a person, an agency, or both.",
    )

    def __init__(self, *args: Any, area_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set("owner_user", actions.owners_for(area_id))
        self._set("owner_agency", actions.agencies_for(area_id))

    def _set(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset


class ActionForm(_OwnerFields):
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=actions.DESCRIPTION_MAX,
        error_messages={"required": "Enter what the action is"},
    )
    due_on = date_field("Due date")
    item = NamedChoiceField(
        label="Agenda item", queryset=None, required=False, empty_label="Not against one item"
    )
    young_person = NamedChoiceField(
        label="About a young person", queryset=None, required=False, empty_label="No one"
    )
    person_of_interest = NamedChoiceField(
        label="About a person of interest", queryset=None, required=False, empty_label="No one"
    )
    location = NamedChoiceField(
        label="About a location", queryset=None, required=False, empty_label="None"
    )
    group = NamedChoiceField(
        label="About a group", queryset=None, required=False, empty_label="None"
    )
    field_order = [
        "description",
        "owner_user",
        "owner_agency",
        "due_on",
        "item",
        "young_person",
        "person_of_interest",
        "location",
        "group",
    ]

    def __init__(self, *args: Any, actor: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, area_id=meeting.area_id, **kwargs)
        self._set("item", AgendaItem.objects.filter(meeting=meeting, removed_at__isnull=True))
        self._set("young_person", actions.young_people_for_meeting(actor, meeting))
        self._set(
            "person_of_interest",
            PersonOfInterest.objects.filter(area_id=meeting.area_id).select_related("young_person"),
        )
        self._set("location", Location.objects.filter(area_id=meeting.area_id).order_by("name"))
        self._set("group", Group.objects.filter(area_id=meeting.area_id).order_by("name"))


class ActionEditForm(_OwnerFields):
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=actions.DESCRIPTION_MAX,
        error_messages={"required": "Enter what the action is"},
    )
    due_on = date_field("Due date")
    version = VersionField()
    field_order = ["description", "owner_user", "owner_agency", "due_on"]


class ActionUpdateForm(GovukForm):
    text = forms.CharField(
        label="Update",
        help_text="What has happened. Updates are dated and kept.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=actions.TEXT_MAX,
        error_messages={"required": "Enter the update"},
    )


class ActionCloseForm(GovukForm):
    outcome = forms.CharField(
        label="Outcome",
        help_text="An action is closed only with its outcome.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=actions.TEXT_MAX,
        error_messages={"required": "Enter the outcome of the action"},
    )
    version = VersionField()


class ActionFilterForm(GovukForm):
    status = forms.ChoiceField(
        label="Status",
        choices=[("open", "Open"), ("closed", "Closed"), ("all", "All")],
        required=False,
    )
    owner_agency = NamedChoiceField(
        label="Owning agency", queryset=None, required=False, empty_label="Any agency"
    )
    meeting_type = NamedChoiceField(
        label="Meeting type", queryset=None, required=False, empty_label="Any meeting type"
    )
    due_before = date_field("Due before", required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)

    def __init__(self, *args: Any, area_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["owner_agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = actions.agencies_for(area_id)
        kind = self.fields["meeting_type"]
        assert isinstance(kind, forms.ModelChoiceField)
        kind.queryset = MeetingType.objects.filter(area_id=area_id).order_by("name")

    def criteria(self) -> actions.ActionFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        agency = data.get("owner_agency")
        kind = data.get("meeting_type")
        return actions.ActionFilter(
            status=data.get("status") or "open",
            owner_agency=agency.pk if agency else None,
            overdue=bool(data.get("overdue")),
            meeting_type=kind.pk if kind else None,
            due_before=data.get("due_before"),
        )


class SlotBookForm(GovukForm):
    slot = forms.ChoiceField(label="Slot", choices=(), error_messages={"required": "Choose a slot"})
    young_person = NamedChoiceField(
        label="Young person referred",
        queryset=None,
        empty_label="Select a young person",
        error_messages={"required": "Select the young person referred"},
    )
    title = forms.CharField(
        label="Short title",
        max_length=slots.TITLE_MAX,
        help_text="For example, AIM assessment review.",
        error_messages={"required": "Enter a short title for the referral"},
    )

    def __init__(self, *args: Any, actor: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        slot = self.fields["slot"]
        assert isinstance(slot, forms.ChoiceField)
        slot.choices = [("", "Choose a slot")] + [
            (s.label, s.label if s.is_free else f"{s.label} (booked)")
            for s in slots.slots_for(meeting)
        ]
        person = self.fields["young_person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = actions.young_people_for_meeting(actor, meeting).order_by(
            "family_name", "given_names"
        )


class PartnerTaskForm(GovukForm):
    system = forms.ChoiceField(
        label="Which partner system must it be carried into?",
        choices=PartnerSystem.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose Mosaic, LiquidLogic, Niche or Flare"},
    )
    assignee = NamedChoiceField(
        label="Who carries it in",
        queryset=None,
        required=False,
        empty_label="The young person's lead professional",
    )

    def __init__(self, *args: Any, area_id: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = actions.owners_for(area_id)


class TaskDoneForm(GovukForm):
    version = VersionField()
