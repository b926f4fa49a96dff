"""The pathway's forms: opening an episode, one form per named action of the state machine
(``ACTION_FORMS``), confirming a flag, and the dashboard's and timeliness report's filters.

The action forms only parse what was typed (dates into ``date``s, choices into users and
agencies, yes/no into ``True``/``False``); the services decide what is missing or wrong, so
the same messages reach the pages and the API. A yes/no question left unanswered is ``None``
and the service names it."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import Q, QuerySet

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, User
from riskpath.core.forms import GovukForm, VersionField
from riskpath.core.forms import date_field as core_date_field
from riskpath.meetings.forms_setup import aware, time_field
from riskpath.meetings.models import Meeting, MeetingKind
from riskpath.pathway.models import (
    Episode,
    EpisodeKind,
    FlagPurpose,
    GroundsDecision,
    PlanSection,
    Route,
)
from riskpath.pathway.selectors import DashboardFilter, Quarter
from riskpath.people.picker import YoungPersonPickerField, bind_picker

DATE_HINT = "For example, 27 3 2026"
TEXT_MAX = 4000
YES_NO = [("yes", "Yes"), ("no", "No")]


# ---------------------------------------------------------------------------------------------
# Fields
# ---------------------------------------------------------------------------------------------


class NamedChoiceField(forms.ModelChoiceField):
    """Users as "Name (Agency)", agencies by name (first responders said so where
    ``mark_first_responders``)."""

    mark_first_responders: ClassVar[bool] = False

    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, User):
            agency = f" ({obj.agency})" if obj.agency_id else ""
            return f"{obj.full_name or obj.email}{agency}"
        if isinstance(obj, Agency) and self.mark_first_responders:
            return f"{obj.name} (first responder)" if obj.is_first_responder else obj.name
        if hasattr(obj, "date_of_birth"):
            born = f", born {obj.date_of_birth:%-d %B %Y}" if obj.date_of_birth else ""
            return f"{obj}{born}"
        return str(obj)


class FirstResponderChoiceField(NamedChoiceField):
    """Agencies, with the first responders under the National Referral Mechanism said so."""

    mark_first_responders = True


def date_field(label: str, *, help_text: str = DATE_HINT) -> Any:
    """Not required by the form: the service says which dates are needed, in the same words
    everywhere."""
    return core_date_field(label, required=False, help_text=help_text)


def yes_no_field(label: str, help_text: str = "") -> Any:
    """Yes/no radios: ``True``, ``False``, or ``None`` when not answered."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        required=False,
        empty_value=None,
    )


def text_field(label: str, *, help_text: str = "", rows: int = 3) -> Any:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _typed(day: Any) -> str:
    return f"{day.day} {day.month} {day.year}" if day else ""


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def radios(label: str, choices: Any, help_text: str = "") -> Any:
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        widget=forms.RadioSelect,
        required=False,
    )


def users_with_role(area_id: Any, *roles: str) -> QuerySet[User]:
    return (
        User.objects.filter(agency__area_id=area_id, is_active=True, roles__role__in=roles)
        .select_related("agency")
        .distinct()
        .order_by("full_name")
    )


def agencies_of(area_id: Any) -> QuerySet[Agency]:
    return Agency.objects.filter(area_id=area_id).order_by("name")


def _set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


# ---------------------------------------------------------------------------------------------
# Opening an episode
# ---------------------------------------------------------------------------------------------


class EpisodeOpenForm(GovukForm):
    young_person = YoungPersonPickerField(
        label="Young person",
        multiple=False,
        pool_name="involved",
        help_text="Search by name among the young people whose records you can open.",
        error_messages={"required": "Search for and choose the young person"},
    )
    kind = radios("Which pathway?", EpisodeKind.choices)
    strategy_discussion_date = date_field(
        "Date of the strategy discussion",
        help_text="For a young person under 18. For example, 27 3 2026",
    )
    care_leavers_meeting_date = date_field(
        "Date of the care leavers safeguarding meeting",
        help_text="For a care leaver (18 to 25). For example, 27 3 2026",
    )
    team_manager = NamedChoiceField(
        label="Team manager", queryset=None, required=False, empty_label="Not chosen yet"
    )
    social_worker = NamedChoiceField(
        label="Social worker", queryset=None, required=False, empty_label="Not chosen yet"
    )
    team = forms.CharField(label="Team", required=False, max_length=120)
    strategy_participants = text_field(
        "Who took part in the strategy discussion", help_text="Names, roles and agencies."
    )
    agencies_invited = forms.ModelMultipleChoiceField(
        label="Agencies invited",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_id = actor.area_id
        bind_picker(self, "young_person", actor, data=self.data if self.is_bound else None)
        _set_queryset(self, "team_manager", users_with_role(area_id, Role.TEAM_MANAGER))
        _set_queryset(self, "social_worker", users_with_role(area_id, Role.SOCIAL_WORKER))
        _set_queryset(self, "agencies_invited", agencies_of(area_id))

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["agencies_invited"] = list(data.get("agencies_invited") or [])
        data["team"] = data.get("team") or ""
        data["strategy_participants"] = data.get("strategy_participants") or ""
        return data


# ---------------------------------------------------------------------------------------------
# The named actions
# ---------------------------------------------------------------------------------------------


class ActionForm(GovukForm):
    """One action's form. ``data_for_service`` is the ``data`` dict ``episode_act`` takes."""

    button: ClassVar[str] = "Save"
    # The service's name for a field where the form's differs, so its message lands there.
    service_fields: ClassVar[dict[str, str]] = {}
    version = VersionField()

    def __init__(self, *args: Any, episode: Episode, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.actor = actor

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class S47OutcomeForm(ActionForm):
    button = "Record the section 47 outcome"
    threshold_met = yes_no_field("Is the threshold assessed as met?")
    recorded_on = date_field("Date of the section 47 outcome")


class RouteForm(ActionForm):
    button = "Record the route"
    route = radios("How will the case be managed?", Route.choices)
    recorded_on = date_field("Date of the route decision")


class AgreeRouteForm(ActionForm):
    button = "Agree the route"
    agreed_on = date_field("Date of the service manager's agreement")


class DeclineRouteForm(ActionForm):
    button = "Send the route back"
    reason = text_field("Why is the route sent back?")


class CareLeaversDecisionsForm(ActionForm):
    button = "Record the decisions"
    immediate_actions = text_field("Immediate actions")
    disruption_opportunities = text_field("Disruption opportunities")
    follow_pathway = yes_no_field("Will the young person follow the Risk Management Pathway?")
    adult_safeguarding_referral = yes_no_field("Is a referral to adult safeguarding made?")
    adult_safeguarding_reason = text_field(
        "Why no referral to adult safeguarding is made",
        help_text="Needed only if no referral is made.",
    )


class ScheduleMarmmForm(ActionForm):
    button = "Schedule the MARMM"
    service_fields = {"starts_at": "day"}
    day = date_field("Date of the MARMM")
    start_time = time_field("Start time")
    place = forms.CharField(label="Place", max_length=200, required=False)
    chair = NamedChoiceField(
        label="Independent chair", queryset=None, required=False, empty_label="Not chosen yet"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "chair", users_with_role(self.episode.area_id, Role.INDEPENDENT_CHAIR))

    def data_for_service(self) -> dict[str, Any]:
        data = super().data_for_service()
        day, time = data.pop("day", None), data.pop("start_time", None)
        data["starts_at"] = aware(day, time) if day and time else None
        return data


class MarmmForm(ActionForm):
    button = "Record the MARMM"
    held_on = date_field("Date the MARMM was held")
    chair = NamedChoiceField(
        label="Independent chair", queryset=None, required=False, empty_label="Not recorded"
    )
    meeting = NamedChoiceField(
        label="MARMM meeting in riskpath",
        queryset=None,
        required=False,
        empty_label="Not scheduled in riskpath",
    )
    family_attended = forms.BooleanField(
        label="The young person or family attended", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_id = self.episode.area_id
        _set_queryset(self, "chair", users_with_role(area_id, Role.INDEPENDENT_CHAIR))
        _set_queryset(
            self,
            "meeting",
            Meeting.objects.filter(area_id=area_id, meeting_type__kind=MeetingKind.MARMM)
            .filter(Q(young_person__isnull=True) | Q(young_person_id=self.episode.young_person_id))
            .order_by("-starts_at"),
        )


class PlanActionForm(ActionForm):
    button = "Add the plan action"
    section = radios("Which part of the plan?", PlanSection.choices)
    description = text_field("Action")
    owner_agency = NamedChoiceField(
        label="Owning agency", queryset=None, required=False, empty_label="No agency"
    )
    due_on = date_field("Due date of the action")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "owner_agency", agencies_of(self.episode.area_id))


class PlanQuestionsForm(ActionForm):
    button = "Save the answers"
    trigger_plan_needed = yes_no_field("Is a missing-person trigger plan needed?")
    trigger_plan_details = text_field(
        "Trigger plan locating details",
        help_text="Description, places the young person may go, associates, phone and social "
        "media.",
    )
    nrm_needed = yes_no_field("Is a National Referral Mechanism (NRM) referral needed?")
    nrm_referrer_agency = FirstResponderChoiceField(
        label="First-responder agency making the NRM referral",
        queryset=None,
        required=False,
        empty_label="Not chosen",
    )
    nrm_reason = text_field("Why no NRM referral is needed")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "nrm_referrer_agency", agencies_of(self.episode.area_id))
        if not self.is_bound:  # answered at an earlier MARMM: shown to change
            ep = self.episode
            self.initial.update(
                {
                    "trigger_plan_needed": _yes_no(ep.trigger_plan_needed),
                    "trigger_plan_details": ep.trigger_plan_details,
                    "nrm_needed": _yes_no(ep.nrm_needed),
                    "nrm_referrer_agency": ep.nrm_referrer_agency_id,
                    "nrm_reason": ep.nrm_reason,
                }
            )


class AgreePlanForm(ActionForm):
    button = "Agree the plan"
    agreed_on = date_field("Date the plan was agreed")


class MinutesCirculatedForm(ActionForm):
    button = "Record the minutes circulated"
    circulated_on = date_field("Date the minutes and plan were circulated")
    filed = forms.BooleanField(
        label="Filed on the young person's social care record", required=False
    )


GROUNDS = [("", "Not decided yet"), *GroundsDecision.choices]


class NrmDecisionForm(ActionForm):
    button = "Record the NRM referral and decisions"
    referral_date = date_field("Date of the NRM referral")
    reasonable_grounds = radios("Reasonable grounds decision", GROUNDS)
    reasonable_grounds_date = date_field("Date of the reasonable grounds decision")
    conclusive_grounds = radios("Conclusive grounds decision", GROUNDS)
    conclusive_grounds_date = date_field("Date of the conclusive grounds decision")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # what is already recorded: recording again replaces it all
            ep = self.episode
            self.initial.update(
                {
                    "referral_date": _typed(ep.nrm_referral_date),
                    "reasonable_grounds": ep.nrm_reasonable_grounds,
                    "reasonable_grounds_date": _typed(ep.nrm_reasonable_grounds_date),
                    "conclusive_grounds": ep.nrm_conclusive_grounds,
                    "conclusive_grounds_date": _typed(ep.nrm_conclusive_grounds_date),
                }
            )


class EarlyReviewForm(ActionForm):
    button = "Call an earlier review"
    reason = text_field("Why is an earlier review needed?")
    review_by = date_field("Date to review by")


class RequestEscalationForm(ActionForm):
    button = "Ask to escalate"
    reason = text_field("Why does the risk stay very high or keep escalating?")


class AgreeEscalationForm(ActionForm):
    button = "Agree the escalation"
    agreed_on = date_field("Date of the service manager's agreement to escalate")


class ProposeEndingForm(ActionForm):
    button = "Propose ending the plan"
    reason = text_field("Why do the risks no longer warrant a plan?")
    marmm_date = date_field(
        "Date of the MARMM that decided to end the plan",
        help_text="The latest MARMM recorded. For example, 27 3 2026",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.episode.last_marmm_on and not self.is_bound:
            self.initial.setdefault("marmm_date", _typed(self.episode.last_marmm_on))


class AgreeEndingForm(ActionForm):
    button = "Agree the ending"
    agreed_on = date_field("Date of the service manager's agreement to end the plan")


class DeclineEndingForm(ActionForm):
    button = "Keep the plan in place"
    reason = text_field("Why does the plan stay in place?")


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "record_s47_outcome": S47OutcomeForm,
    "record_route": RouteForm,
    "agree_route": AgreeRouteForm,
    "decline_route": DeclineRouteForm,
    "record_care_leavers_decisions": CareLeaversDecisionsForm,
    "schedule_marmm": ScheduleMarmmForm,
    "record_marmm": MarmmForm,
    "add_plan_action": PlanActionForm,
    "answer_plan_questions": PlanQuestionsForm,
    "agree_plan": AgreePlanForm,
    "record_minutes_circulated": MinutesCirculatedForm,
    "record_nrm_decision": NrmDecisionForm,
    "call_early_review": EarlyReviewForm,
    "request_escalation": RequestEscalationForm,
    "agree_escalation": AgreeEscalationForm,
    "propose_ending": ProposeEndingForm,
    "agree_ending": AgreeEndingForm,
    "decline_ending": DeclineEndingForm,
}


def action_form(action: str, episode: Episode, actor: Any, data: Any = None) -> ActionForm:
    """The form for ``action``, with ids of its own (several share the episode's page)."""
    form_class = ACTION_FORMS[action]
    return form_class(
        data,
        episode=episode,
        actor=actor,
        auto_id=f"{action}-%s",
        initial={"version": episode.version},
    )


# ---------------------------------------------------------------------------------------------
# Flags
# ---------------------------------------------------------------------------------------------


class FlagConfirmForm(GovukForm):
    confirmed_on = date_field("Date the flag was added")
    version = VersionField()

    def __init__(self, *args: Any, flag: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"flag-{flag.pk}-%s")
        super().__init__(*args, **kwargs)
        if flag.purpose == FlagPurpose.REMOVE:
            field = self.fields["confirmed_on"]
            field.label = "Date the flag was removed"
            field.error_messages["invalid"] = (
                "Enter the date the flag was removed as a real date, like 27 3 2026"
            )


def flag_form(flag: Any, data: Any = None) -> FlagConfirmForm:
    return FlagConfirmForm(data, flag=flag, initial={"version": flag.version})


# ---------------------------------------------------------------------------------------------
# The dashboard and the timeliness report
# ---------------------------------------------------------------------------------------------

DUE_CHOICES = [("", "All open"), ("overdue", "Overdue"), ("week", "Due this week")]


class DashboardFilterForm(GovukForm):
    team = forms.ChoiceField(label="Team", required=False)
    worker = forms.ChoiceField(label="Social worker or team manager", required=False)
    locality = forms.ChoiceField(label="Area", required=False)
    due = forms.ChoiceField(label="Due", choices=DUE_CHOICES, required=False)
    include_closed = forms.BooleanField(label="Include ended and closed episodes", required=False)

    def __init__(self, *args: Any, choices: dict[str, list[Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choice("team", "Any team", [(t, t) for t in choices["teams"]])
        self._choice(
            "worker", "Anyone", [(str(u.pk), u.full_name or u.email) for u in choices["workers"]]
        )
        self._choice("locality", "Any area", [(a, a) for a in choices["localities"]])

    def _choice(self, name: str, empty: str, options: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", empty), *options]

    def criteria(self) -> DashboardFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return DashboardFilter(
            team=data.get("team") or "",
            worker=data.get("worker") or None,
            locality=data.get("locality") or "",
            due=data.get("due") or "",
            include_closed=bool(data.get("include_closed")),
        )


class QuarterForm(GovukForm):
    quarter = forms.CharField(
        label="Quarter",
        help_text="A year and quarter, for example 2026-Q3",
        required=False,
        max_length=10,
    )

    def clean_quarter(self) -> Quarter | None:
        text = self.cleaned_data.get("quarter") or ""
        if not text:
            return None
        try:
            return Quarter.parse(text)
        except ValueError:
            raise forms.ValidationError(
                "Enter the quarter as a year and quarter, like 2026-Q3"
            ) from None
