"""What the Risk Management Pathway's API reads and writes: an episode, its flags, MARMMs, plan
and history; the timeliness figures; and one request serializer per named action of the state
machine, generated from one table (``ACTION_FIELDS``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from riskpath.access import policy
from riskpath.accounts.models import Agency, User
from riskpath.core import clock
from riskpath.meetings.models import Meeting
from riskpath.pathway import machine, selectors, services
from riskpath.pathway.models import (
    Episode,
    EpisodeKind,
    EpisodeStatus,
    EscalationState,
    Flag,
    FlagPurpose,
    FlagSystem,
    GroundsDecision,
    MarmmKind,
    PlanSection,
    Route,
)

TEXT_MAX = services.TEXT_MAX


class FlagState(models.TextChoices):
    PENDING = "pending", "Not yet confirmed"
    OVERDUE = "overdue", "Not confirmed by its due date"
    CONFIRMED = "confirmed", "Confirmed"


def flag_state(flag: Flag, today: dt.date) -> str:
    if flag.confirmed_on is not None:
        return FlagState.CONFIRMED
    return FlagState.OVERDUE if flag.due_on < today else FlagState.PENDING


# ---------------------------------------------------------------------------------------------
# Serializers: what an episode looks like
# ---------------------------------------------------------------------------------------------


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A read-only choice whose "not set" value ("" in the model) is sent as null."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return None if value in ("", None) else super().to_representation(value)


def _set_choices(choices: Any) -> list[tuple[str, str]]:
    return [(value, label) for value, label in choices if value]


class FlagSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    system = serializers.ChoiceField(choices=FlagSystem.choices)
    purpose = serializers.ChoiceField(
        choices=FlagPurpose.choices, help_text="set: add the flag; remove: take it off"
    )
    text = serializers.CharField(help_text="The text to put in (or take out of) the system")
    state = serializers.SerializerMethodField()
    raised_on = serializers.DateField()
    due_on = serializers.DateField()
    confirmed_on = serializers.DateField(allow_null=True)
    confirmed_by = serializers.UUIDField(source="confirmed_by_id", allow_null=True)
    version = serializers.IntegerField()

    @extend_schema_field(
        serializers.ChoiceField(
            choices=FlagState.choices,
            help_text="pending; overdue: unconfirmed past its due date; confirmed",
        )
    )
    def get_state(self, flag: Flag) -> str:
        return flag_state(flag, self.context.get("today") or clock.today())


class MarmmSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=MarmmKind.choices)
    held_on = serializers.DateField()
    meeting = serializers.UUIDField(source="meeting_id", allow_null=True)
    chair = serializers.UUIDField(source="chair_id", allow_null=True)
    family_attended = serializers.BooleanField()
    minutes_due = serializers.DateField()
    minutes_circulated_on = serializers.DateField(allow_null=True)


class PlanActionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    section = serializers.ChoiceField(choices=PlanSection.choices)
    description = serializers.CharField()
    owner_agency = serializers.UUIDField(source="owner_agency_id", allow_null=True)
    due_on = serializers.DateField(allow_null=True)


class NextStepSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    due = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class HistorySerializer(serializers.Serializer):
    action = serializers.CharField(help_text='An action name, "open" or "confirm_flag"')
    actor = serializers.UUIDField(source="actor_id")
    actor_name = serializers.CharField(source="actor.full_name")
    at = serializers.DateTimeField()
    status_before = serializers.CharField(help_text="Blank for the opening step")
    status_after = serializers.CharField()
    summary = serializers.CharField()


class EpisodeSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    young_person = serializers.UUIDField(source="young_person_id")
    kind = serializers.ChoiceField(choices=EpisodeKind.choices)
    status = serializers.ChoiceField(choices=EpisodeStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    social_worker = serializers.UUIDField(source="social_worker_id", allow_null=True)
    team_manager = serializers.UUIDField(source="team_manager_id", allow_null=True)
    team = serializers.CharField()
    strategy_discussion_date = serializers.DateField(allow_null=True)
    care_leavers_meeting_date = serializers.DateField(allow_null=True)
    threshold_met = serializers.BooleanField(allow_null=True)
    route = BlankAsNullChoiceField(choices=_set_choices(Route.choices))
    route_agreed_on = serializers.DateField(allow_null=True)
    follow_pathway = serializers.BooleanField(allow_null=True)
    adult_safeguarding_referral = serializers.BooleanField(allow_null=True)
    marmm_due = serializers.DateField(allow_null=True)
    minutes_due = serializers.SerializerMethodField()
    last_marmm_on = serializers.DateField(allow_null=True)
    next_review_due = serializers.DateField(allow_null=True)
    plan_agreed_on = serializers.DateField(allow_null=True)
    trigger_plan_needed = serializers.BooleanField(allow_null=True)
    nrm_needed = serializers.BooleanField(allow_null=True)
    nrm_referrer_agency = serializers.UUIDField(source="nrm_referrer_agency_id", allow_null=True)
    nrm_referral_date = serializers.DateField(allow_null=True)
    nrm_reasonable_grounds = BlankAsNullChoiceField(choices=GroundsDecision.choices)
    nrm_reasonable_grounds_date = serializers.DateField(allow_null=True)
    nrm_conclusive_grounds = BlankAsNullChoiceField(choices=GroundsDecision.choices)
    nrm_conclusive_grounds_date = serializers.DateField(allow_null=True)
    escalation = BlankAsNullChoiceField(
        choices=_set_choices(EscalationState.choices), help_text="null: not escalated"
    )
    escalated_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    flags = FlagSerializer(many=True, source="flags.all")
    marmms = MarmmSerializer(many=True, source="marmms.all")
    plan_actions = PlanActionSerializer(many=True, source="plan_actions.all")
    next_steps = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    history = HistorySerializer(many=True, source="events.all")
    version = serializers.IntegerField()

    @extend_schema_field(
        serializers.DateField(
            allow_null=True,
            help_text="When the minutes and plan of the earliest MARMM not yet circulated are due",
        )
    )
    def get_minutes_due(self, episode: Episode) -> dt.date | None:
        return services.minutes_due(episode)

    @extend_schema_field(NextStepSerializer(many=True))
    def get_next_steps(self, episode: Episode) -> list[dict[str, Any]]:
        today = self.context.get("today") or clock.today()
        owners = self.context.get("owners")
        return [
            {"key": s.key, "label": s.label, "due": s.due, "overdue": s.overdue(today)}
            for s in selectors.next_steps(episode, owners)
        ]

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=list(machine.ACTION_NAMES)),
            help_text="The actions you may take on the episode now",
        )
    )
    def get_available_actions(self, episode: Episode) -> list[str]:
        user = self.context["user"]
        steppable = self.context.get("steppable", ())  # a list's page, asked at once
        if episode.pk not in steppable and not policy.check(
            "can_record_episode_step", user, episode
        ):
            return []
        return [t.name for t in machine.available(episode, user)]


class EpisodeCreateSerializer(serializers.Serializer):
    young_person = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=EpisodeKind.choices)
    strategy_discussion_date = serializers.DateField(
        required=False, allow_null=True, help_text="Under 18: the strategy discussion's date"
    )
    care_leavers_meeting_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Care leaver: the care leavers safeguarding meeting's date",
    )
    social_worker = serializers.UUIDField(required=False, allow_null=True)
    team_manager = serializers.UUIDField(required=False, allow_null=True)
    team = serializers.CharField(required=False, allow_blank=True, max_length=120)
    strategy_participants = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_MAX
    )
    agencies_invited = serializers.ListField(
        child=serializers.UUIDField(), required=False, help_text="Agency ids"
    )


class FlagConfirmSerializer(serializers.Serializer):
    confirmed_on = serializers.DateField(help_text="When the flag was added (or removed)")
    version = serializers.IntegerField(min_value=1, help_text="The flag's version; 409 if stale")


class MeasureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    target = serializers.CharField()
    on_time = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Deadlines that fell due in the quarter")
    percent = serializers.IntegerField(allow_null=True, help_text="null when total is 0")


class TimelinessSerializer(serializers.Serializer):
    quarter = serializers.CharField(help_text="As YYYY-Qn")
    start = serializers.DateField()
    end = serializers.DateField()
    measures = MeasureSerializer(many=True)


# ---------------------------------------------------------------------------------------------
# The actions' request bodies, from one table
# ---------------------------------------------------------------------------------------------


def _date(help_text: str = "", *, required: bool = True) -> serializers.DateField:
    if required:
        return serializers.DateField(help_text=help_text)
    return serializers.DateField(required=False, allow_null=True, help_text=help_text)


def _yes_no(help_text: str = "") -> serializers.BooleanField:
    return serializers.BooleanField(allow_null=True, help_text=help_text)


def _text(help_text: str = "", *, required: bool = True) -> serializers.CharField:
    return serializers.CharField(
        required=required, allow_blank=not required, max_length=TEXT_MAX, help_text=help_text
    )


def _ref(help_text: str) -> serializers.UUIDField:
    return serializers.UUIDField(required=False, allow_null=True, help_text=help_text)


def _reason(help_text: str) -> dict[str, serializers.Field]:
    return {"reason": _text(help_text)}


ACTION_FIELDS: dict[str, dict[str, serializers.Field]] = {
    "record_s47_outcome": {
        "threshold_met": _yes_no("Whether the threshold is assessed as met"),
        "recorded_on": _date("The section 47 outcome's date"),
    },
    "record_route": {
        "route": serializers.ChoiceField(choices=Route.choices),
        "recorded_on": _date("The route decision's date"),
    },
    "agree_route": {"agreed_on": _date("The service manager's agreement's date")},
    "decline_route": _reason("Why the route is sent back"),
    "record_care_leavers_decisions": {
        "immediate_actions": _text(),
        "disruption_opportunities": _text(),
        "follow_pathway": _yes_no("Whether to follow the Risk Management Pathway"),
        "adult_safeguarding_referral": _yes_no("Whether a referral to adult safeguarding is made"),
        "adult_safeguarding_reason": _text(
            "Why no referral is made (required when there is none)", required=False
        ),
    },
    "schedule_marmm": {
        "starts_at": serializers.DateTimeField(
            help_text="When the MARMM starts (ISO 8601 with a time zone offset)"
        ),
        "place": _text("Where it is held", required=False),
        "chair": _ref("The independent chair (a user id)"),
    },
    "record_marmm": {
        "held_on": _date("The MARMM's date"),
        "chair": _ref("The independent chair (a user id)"),
        "meeting": _ref("The MARMM meeting in riskpath's calendar, if there is one"),
        "family_attended": serializers.BooleanField(required=False, default=False),
    },
    "add_plan_action": {
        "section": serializers.ChoiceField(choices=PlanSection.choices),
        "description": _text(),
        "owner_agency": _ref("The agency that owns the action (an agency id)"),
        "due_on": _date(required=False),
    },
    "answer_plan_questions": {
        "trigger_plan_needed": _yes_no("Whether a missing-person trigger plan is needed"),
        "trigger_plan_details": _text(
            "The trigger plan's locating details (required when it is needed)", required=False
        ),
        "nrm_needed": _yes_no("Whether an NRM referral is needed"),
        "nrm_referrer_agency": _ref(
            "The first-responder agency making the referral (required when it is needed)"
        ),
        "nrm_reason": _text("Why no NRM referral is needed (required then)", required=False),
    },
    "agree_plan": {"agreed_on": _date("The date the plan was agreed")},
    "record_minutes_circulated": {
        "circulated_on": _date("The date the minutes and plan were circulated"),
        "filed": serializers.BooleanField(
            help_text="Confirms they are filed on the young person's record (must be true)"
        ),
    },
    "record_nrm_decision": {
        "referral_date": _date("The NRM referral's date"),
        "reasonable_grounds": serializers.ChoiceField(
            choices=GroundsDecision.choices, required=False, allow_blank=True
        ),
        "reasonable_grounds_date": _date(required=False),
        "conclusive_grounds": serializers.ChoiceField(
            choices=GroundsDecision.choices, required=False, allow_blank=True
        ),
        "conclusive_grounds_date": _date(required=False),
    },
    "call_early_review": {
        "reason": _text("Why an earlier review is needed"),
        "review_by": _date("The date to review by (before the review already due)"),
    },
    "request_escalation": _reason("Why the risk stays very high or is escalating"),
    "agree_escalation": {"agreed_on": _date("The service manager's agreement's date")},
    "propose_ending": {
        "reason": _text("Why the risks no longer warrant a plan"),
        "marmm_date": _date("The date of the MARMM that decided to end the plan"),
    },
    "agree_ending": {"agreed_on": _date("The service manager's agreement's date")},
    "decline_ending": _reason("Why the plan stays in place"),
}
assert set(ACTION_FIELDS) == set(machine.ACTION_NAMES)

# Fields that name a record: looked up in the episode's area (unknown: 400 naming the field).
REFERENCES: dict[str, tuple[type[models.Model], str]] = {
    "chair": (User, "user"),
    "meeting": (Meeting, "meeting"),
    "owner_agency": (Agency, "agency"),
    "nrm_referrer_agency": (Agency, "agency"),
}


class EpisodeActionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The episode's version; 409 if it is stale"
    )


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _action_serializer(name: str) -> type[EpisodeActionSerializer]:
    fields = dict(ACTION_FIELDS[name])
    return type(
        f"Episode{_camel(name)}Serializer",
        (EpisodeActionSerializer,),
        {**fields, "__module__": __name__, "__doc__": machine.BY_NAME[name].label},
    )


ACTION_SERIALIZERS: dict[str, type[EpisodeActionSerializer]] = {
    name: _action_serializer(name) for name in machine.ACTION_NAMES
}


class _FilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=EpisodeStatus.choices, required=False)
    team = serializers.CharField(required=False, max_length=120)
    overdue = serializers.BooleanField(required=False)
