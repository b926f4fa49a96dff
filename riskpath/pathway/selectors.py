"""Reading the pathway: which episodes a user may see, one episode (its read audited), each
episode's next steps with their due dates and owners, the timescale dashboard, and the
quarterly timeliness figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import DateField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from riskpath.access import policy
from riskpath.access.involvement import access_basis, accessible_subset, involved_queryset
from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.pathway.models import (
    Episode,
    EpisodeStatus,
    EscalationState,
    Flag,
    FlagPurpose,
    FlagSystem,
    Marmm,
    MarmmKind,
)
from riskpath.pathway.services.common import FLAG_AGENCY_KINDS, REVIEW_WEEKS

S = EpisodeStatus
CLOSED = [S.ENDED, S.CLOSED]

# ---------------------------------------------------------------------------------------------
# Which episodes
# ---------------------------------------------------------------------------------------------


def episode_queryset_for_user(user: Any) -> QuerySet[Episode]:
    """The episodes ``user`` may see, through any basis (``pathway/involvement.py``): those of
    young people they are involved with (consultant social workers: every young person of
    their area; service managers, independent chairs and business support: every one with an
    open episode; the episode's social worker and team manager…), and those with a flag their
    agency must confirm."""
    if not policy.check("can_view_episode", user):
        return Episode.objects.none()
    return involved_queryset(Episode, user)


def steppable(user: User, episodes: Iterable[Episode]) -> set[Any]:
    """Of ``episodes`` (a list's page, in the user's area), the ids of those
    ``can_record_episode_step`` lets ``user`` act on, asked at once: the rule without an
    object, then an access basis to each (involvement, or a live grant on it) in two queries.
    An episode not found here may still be opened by a grant on its young person: ask the
    policy about that one."""
    if not policy.check("can_record_episode_step", user):
        return set()
    return accessible_subset(
        "pathway.episode", user, [e.pk for e in episodes if e.area_id == user.area_id]
    )


def with_detail(qs: QuerySet[Episode]) -> QuerySet[Episode]:
    return qs.select_related(
        "area",
        "young_person",
        "social_worker",
        "team_manager",
        "nrm_referrer_agency",
        "ending_marmm",
    ).prefetch_related(
        Prefetch("marmms", queryset=Marmm.objects.select_related("chair", "meeting")),
        Prefetch("flags", queryset=Flag.objects.select_related("confirmed_by")),
    )


@dataclass
class SeenEpisode:
    episode: Episode
    basis: str


def access_episode(user: Any, pk: Any) -> SeenEpisode:
    """The episode ``pk`` if ``user`` may see it (404 otherwise: someone with no business
    knowing of it learns nothing). Does not audit."""
    episode = with_detail(Episode.objects.filter(pk=pk, area_id=user.area_id)).first()
    if episode is None or not policy.check("can_view_episode", user, episode):
        raise Http404("No such episode")
    return SeenEpisode(episode, access_basis(user, episode) or "")


def episode_get_for_user(user: Any, pk: Any) -> SeenEpisode:
    """Look up and record the read in one step."""
    with transaction.atomic():
        seen = access_episode(user, pk)
        audit_record(
            actor=user,
            verb=Verb.EPISODE_VIEWED,
            target=seen.episode,
            subject=seen.episode.young_person,
            basis=seen.basis,
        )
    return seen


def record_episode_listing(user: Any, *, count: int, filters: dict[str, Any]) -> None:
    audit_record(
        actor=user,
        verb=Verb.EPISODES_LISTED,
        changes={"count": count, "filters": filters},
    )


def escalated_episodes(area_id: Any, until: dt.date) -> QuerySet[Episode]:
    """Episodes whose escalation to the strategic panel was agreed on or before ``until``,
    while their plan is in place (or its ending awaits agreement)."""
    return (
        Episode.objects.filter(
            area_id=area_id,
            escalation=EscalationState.AGREED,
            escalated_on__lte=until,
            status__in=[S.PLAN_IN_PLACE, S.ENDING_PROPOSED],
        )
        .select_related("young_person")
        .order_by("escalated_on")
    )


@dataclass
class PathwaySummary:
    """The young person's page shows their pathway: the latest episode the user may see, and
    whether the user may start one (when none is open)."""

    episode: Episode | None
    can_open: bool


def pathway_summary_for(user: Any, person: Any) -> PathwaySummary:
    episode = (
        Episode.objects.filter(young_person_id=person.pk, area_id=person.area_id)
        .order_by("-created_at")
        .first()
    )
    if episode is not None and not policy.check("can_view_episode", user, episode):
        episode = None
    can_open = (episode is None or not episode.is_open) and policy.check("can_start_episode", user)
    return PathwaySummary(episode, can_open)


# ---------------------------------------------------------------------------------------------
# What is due next
# ---------------------------------------------------------------------------------------------


@dataclass
class DueStep:
    key: str  # stable: a reminder is sent once per key per day
    label: str
    due: dt.date | None
    owners: list[User] = field(default_factory=list)

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today

    def due_within(self, today: dt.date, days: int) -> bool:
        return self.due is not None and self.due <= today + dt.timedelta(days=days)


def _users(area_id: Any, roles: Iterable[str], *, agency_kinds: Iterable[str] = ()) -> list[User]:
    qs = User.objects.filter(agency__area_id=area_id, is_active=True, roles__role__in=list(roles))
    kinds = list(agency_kinds)
    if kinds:
        qs = qs.filter(agency__kind__in=kinds)
    return list(qs.distinct().order_by("full_name"))


class Owners:
    """Looks up the area's users by role once per area (the dashboard asks for many
    episodes)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, ...], list[User]] = {}

    def of(self, area_id: Any, *roles: str, kinds: tuple[str, ...] = ()) -> list[User]:
        key = (area_id, roles, kinds)
        if key not in self._cache:
            self._cache[key] = _users(area_id, roles, agency_kinds=kinds)
        return self._cache[key]


def _named(*users: User | None) -> list[User]:
    return [u for u in users if u is not None]


# The step each of these statuses waits for, whose date is ``status_due``.
STATUS_STEPS: dict[str, tuple[str, str]] = {
    S.AWAITING_MARMM: ("initial_marmm", "Hold the initial MARMM"),
    S.PLAN_TO_AGREE: ("plan", "Agree the risk management plan"),
    S.PLAN_IN_PLACE: ("review", "Review MARMM"),
}


def status_due(
    status: str,
    marmm_due: dt.date | None,
    initial_minutes_due: dt.date | None,
    next_review_due: dt.date | None,
) -> dt.date | None:
    """When the step the episode's status waits for is due: the initial MARMM; the plan, with
    the initial MARMM's minutes; the next review. The one rule for ``next_steps`` and for the
    dashboard's order (``with_urgency``)."""
    if status == S.AWAITING_MARMM:
        return marmm_due
    if status == S.PLAN_TO_AGREE:
        return initial_minutes_due
    if status == S.PLAN_IN_PLACE:
        return next_review_due
    return None


def next_steps(episode: Episode, owners: Owners | None = None) -> list[DueStep]:
    """Every step the episode is waiting for, earliest due first (steps with no statutory
    date last). Uses the episode's prefetched MARMMs and flags."""
    owners = owners or Owners()
    area = episode.area_id
    team = _named(episode.social_worker, episode.team_manager)
    managers = owners.of(area, Role.SERVICE_MANAGER)
    steps: list[DueStep] = []
    status = episode.status
    if status == S.AWAITING_S47_OUTCOME:
        steps.append(
            DueStep("s47", "Record the section 47 outcome", None, _named(episode.social_worker))
        )
    elif status == S.AWAITING_ROUTE:
        steps.append(
            DueStep(
                "route",
                "Team manager to record the route",
                None,
                _named(episode.team_manager) or owners.of(area, Role.TEAM_MANAGER),
            )
        )
    elif status == S.AWAITING_AGREEMENT:
        steps.append(
            DueStep(
                "route_agreement",
                "Service manager to agree the route",
                None,
                [m for m in managers if m.pk != episode.route_recorded_by_id],
            )
        )
    elif status == S.AWAITING_CARE_LEAVERS_DECISION:
        steps.append(
            DueStep(
                "care_leavers_decisions",
                "Record the care leavers safeguarding meeting's decisions",
                None,
                _named(episode.team_manager) or owners.of(area, Role.TEAM_MANAGER),
            )
        )
    elif status in STATUS_STEPS:
        first = next((m for m in episode.marmms.all() if m.kind == MarmmKind.INITIAL), None)
        key, label = STATUS_STEPS[status]
        due = status_due(
            status, episode.marmm_due, first.minutes_due if first else None, episode.next_review_due
        )
        steps.append(DueStep(key, label, due, team))
    elif status == S.ENDING_PROPOSED:
        steps.append(
            DueStep(
                "ending_agreement",
                "Service manager to agree the ending",
                None,
                [m for m in managers if m.pk != episode.ending_proposed_by_id],
            )
        )
    if episode.escalation == EscalationState.REQUESTED and status == S.PLAN_IN_PLACE:
        steps.append(
            DueStep(
                "escalation_agreement",
                "Service manager to agree the escalation",
                None,
                [m for m in managers if m.pk != episode.escalation_requested_by_id],
            )
        )
    business_support = owners.of(area, Role.ADMINISTRATOR)
    for marmm in episode.marmms.all():
        if marmm.minutes_circulated_on is None:
            steps.append(
                DueStep(
                    f"minutes:{marmm.pk}",
                    f"Circulate the minutes and plan of the {marmm}",
                    marmm.minutes_due,
                    _named(episode.team_manager) + business_support,
                )
            )
    for flag in episode.flags.all():
        if flag.confirmed_on is not None:
            continue
        verb = "Add" if flag.purpose == FlagPurpose.SET else "Remove"
        if flag.system == FlagSystem.SOCIAL_CARE:
            who = _named(episode.social_worker) or owners.of(
                area, Role.TEAM_MANAGER, kinds=(AgencyKind.SOCIAL_CARE,)
            )
        else:
            who = owners.of(
                area,
                Role.PARTNER_REPRESENTATIVE,
                kinds=tuple(FLAG_AGENCY_KINDS[flag.system]),
            )
        steps.append(
            DueStep(
                f"flag:{flag.pk}",
                f"{verb} the flag in the {FlagSystem(flag.system).label.lower()} system",
                flag.due_on,
                who,
            )
        )
    far = dt.date.max
    steps.sort(key=lambda s: (s.due or far, s.key))
    return steps


# ---------------------------------------------------------------------------------------------
# The timescale dashboard
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFilter:
    team: str = ""
    worker: Any = None  # a user's pk
    locality: str = ""
    due: str = ""  # "", "overdue", "week"
    include_closed: bool = False

    def as_audit(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("team", "locality", "due"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.worker:
            out["worker"] = str(self.worker)
        if self.include_closed:
            out["include_closed"] = True
        return out


@dataclass
class DashboardRow:
    episode: Episode
    due: dt.date | None  # the earliest date any of its steps is due
    overdue: bool
    due_this_week: bool
    steps: list[DueStep] = field(default_factory=list)  # filled for the rows shown

    @property
    def next_step(self) -> DueStep | None:
        return self.steps[0] if self.steps else None


def week_end(today: dt.date) -> dt.date:
    """The Sunday that ends ``today``'s calendar week."""
    return today + dt.timedelta(days=6 - today.weekday())


def with_urgency(qs: QuerySet[Episode]) -> QuerySet[Episode]:
    """Each episode with the dates ``earliest_due`` needs, read in the same query: its initial
    MARMM's minutes date, its earliest uncirculated minutes and its earliest unconfirmed
    flag. Sorting a large caseload then needs no episode's MARMMs or flags loaded."""
    marmms = Marmm.objects.filter(episode=OuterRef("pk"))
    flags = Flag.objects.filter(episode=OuterRef("pk"), confirmed_on__isnull=True)
    return qs.annotate(
        initial_minutes_due=Subquery(
            marmms.filter(kind=MarmmKind.INITIAL).values("minutes_due")[:1],
            output_field=DateField(),
        ),
        pending_minutes_due=Subquery(
            marmms.filter(minutes_circulated_on__isnull=True)
            .order_by("minutes_due")
            .values("minutes_due")[:1],
            output_field=DateField(),
        ),
        pending_flag_due=Subquery(
            flags.order_by("due_on").values("due_on")[:1], output_field=DateField()
        ),
    )


def earliest_due(episode: Any) -> dt.date | None:
    """The earliest due date of the episode's steps (``with_urgency``'s annotations): the
    first of ``next_steps``, without building them."""
    dates = [
        status_due(
            episode.status,
            episode.marmm_due,
            episode.initial_minutes_due,
            episode.next_review_due,
        ),
        episode.pending_minutes_due,
        episode.pending_flag_due,
    ]
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def dashboard_rows(user: Any, criteria: DashboardFilter) -> list[DashboardRow]:
    """Every open episode the user may see, most urgent first: overdue, then by due date,
    then those waiting on a step with no statutory date. The rows carry their dates; their
    steps are worked out only for the rows shown (``with_steps``)."""
    today = clock.today()
    qs = episode_queryset_for_user(user)
    if not criteria.include_closed:
        # An ended plan stays on the dashboard until its last minutes are circulated and
        # its flags confirmed removed.
        flags = Flag.objects.filter(episode=OuterRef("pk"), confirmed_on__isnull=True)
        minutes = Marmm.objects.filter(episode=OuterRef("pk"), minutes_circulated_on__isnull=True)
        qs = qs.exclude(status=S.CLOSED).exclude(
            Q(status=S.ENDED) & ~Exists(flags) & ~Exists(minutes)
        )
    if criteria.team:
        qs = qs.filter(team=criteria.team)
    if criteria.worker:
        qs = qs.filter(Q(social_worker_id=criteria.worker) | Q(team_manager_id=criteria.worker))
    if criteria.locality:
        qs = qs.filter(young_person__locality=criteria.locality)
    end = week_end(today)
    rows = []
    for episode in with_urgency(qs.select_related("young_person", "social_worker")):
        due = earliest_due(episode)
        overdue = due is not None and due < today
        this_week = due is not None and today <= due <= end
        if criteria.due == "overdue" and not overdue:
            continue
        if criteria.due == "week" and not (overdue or this_week):
            continue
        rows.append(DashboardRow(episode, due, overdue, this_week))
    far = dt.date.max
    rows.sort(key=lambda r: (not r.overdue, r.due or far, str(r.episode.young_person)))
    return rows


def with_steps(rows: Iterable[DashboardRow]) -> list[DashboardRow]:
    """Fill in the steps of ``rows`` (a page of the dashboard): their episodes loaded with
    their MARMMs and flags in a few queries."""
    rows = list(rows)
    detailed = {
        e.pk: e for e in with_detail(Episode.objects.filter(pk__in=[r.episode.pk for r in rows]))
    }
    owners = Owners()
    for row in rows:
        row.episode = detailed[row.episode.pk]
        row.steps = next_steps(row.episode, owners)
    return rows


def dashboard_choices(user: Any) -> dict[str, list[Any]]:
    """The teams, workers and localities the filters offer (from the episodes the user
    may see)."""
    qs = episode_queryset_for_user(user)
    teams = sorted({t for t in qs.values_list("team", flat=True) if t})
    localities = sorted({loc for loc in qs.values_list("young_person__locality", flat=True) if loc})
    worker_ids = set(qs.values_list("social_worker_id", flat=True)) | set(
        qs.values_list("team_manager_id", flat=True)
    )
    workers = list(User.objects.filter(pk__in=[w for w in worker_ids if w]).order_by("full_name"))
    return {"teams": teams, "localities": localities, "workers": workers}


# ---------------------------------------------------------------------------------------------
# Timeliness per quarter
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2026-Q3``; raises ValueError otherwise."""
        year, _, q = text.strip().upper().partition("-Q")
        quarter = cls(int(year), int(q))
        if not (1 <= quarter.number <= 4 and 2000 <= quarter.year <= 2100):
            raise ValueError(text)
        return quarter

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.number + 1, 1) - dt.timedelta(days=1)

    @property
    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


@dataclass
class Measure:
    key: str
    label: str
    target: str
    on_time: int = 0
    total: int = 0
    late: list[str] = field(default_factory=list)  # episode ids, for those who may see them

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.total) if self.total else None


def _count(
    measure: Measure,
    due: dt.date,
    done: dt.date | None,
    q: Quarter,
    today: dt.date,
    episode_id: Any,
) -> None:
    """A deadline falling due in the quarter counts once it has passed or been met."""
    if not (q.start <= due <= q.end):
        return
    if done is None and due >= today:
        return  # not yet due and not yet done: not counted
    measure.total += 1
    if done is not None and done <= due:
        measure.on_time += 1
    else:
        measure.late.append(str(episode_id))


def timeliness(area_id: Any, quarter: Quarter) -> list[Measure]:
    """The four figures a strategic panel asks for, over the deadlines that fell due in the
    quarter: initial MARMMs within 15 working days, minutes and plan within 2 working days,
    reviews within 12 weeks, flags confirmed within 5 working days."""
    today = clock.today()
    initial = Measure("initial_marmm", "Initial MARMMs within 15 working days", "15 working days")
    minutes = Measure("minutes", "Minutes and plans within 2 working days", "2 working days")
    reviews = Measure("reviews", "Reviews within 12 weeks", "12 weeks")
    flags = Measure("flags", "Flags confirmed within 5 working days", "5 working days")
    episodes = (
        Episode.objects.filter(area_id=area_id, marmm_due__isnull=False)
        .prefetch_related("marmms", "flags")
        .order_by("pk")
    )
    for episode in episodes:
        marmms = list(episode.marmms.all())
        first = next((m for m in marmms if m.kind == MarmmKind.INITIAL), None)
        assert episode.marmm_due is not None
        _count(
            initial, episode.marmm_due, first.held_on if first else None, quarter, today, episode.pk
        )
        for marmm in marmms:
            _count(
                minutes, marmm.minutes_due, marmm.minutes_circulated_on, quarter, today, episode.pk
            )
        for earlier, later in zip(marmms, [*marmms[1:], None], strict=False):
            if later is None and episode.status not in (S.PLAN_IN_PLACE, S.ENDING_PROPOSED):
                continue
            due = earlier.held_on + dt.timedelta(weeks=REVIEW_WEEKS)
            _count(reviews, due, later.held_on if later else None, quarter, today, episode.pk)
        for flag in episode.flags.all():
            _count(flags, flag.due_on, flag.confirmed_on, quarter, today, episode.pk)
    return [initial, minutes, reviews, flags]


def record_timeliness_read(user: Any, quarter: Quarter) -> None:
    audit_record(actor=user, verb=Verb.TIMELINESS_VIEWED, changes={"quarter": str(quarter)})
