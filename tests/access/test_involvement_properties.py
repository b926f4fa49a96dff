"""Each involvement basis is stated once and answers both questions alike: over generated
worlds (agencies of every kind, users with random roles, young people with random leads,
pathway episodes in random states with flags, intelligence about random children), the rows
in every user's lists are exactly the rows the one-record check lets them see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskpath.access.involvement import bases_for, involved_queryset, involvement_basis
from riskpath.accounts.enums import AgencyKind, Role
from riskpath.core import clock
from riskpath.intelligence.models import IntelligenceItem
from riskpath.pathway.models import Episode, EpisodeKind, EpisodeStatus, Flag, FlagPurpose
from riskpath.people.models import YoungPerson
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

KINDS = [AgencyKind.POLICE, AgencyKind.SOCIAL_CARE, AgencyKind.HEALTH, AgencyKind.EDUCATION]
ROLES = [r for r in Role.values if r != Role.AREA_ADMINISTRATOR]
STATUSES = list(EpisodeStatus.values)
SYSTEMS = ["social_care", "police", "health"]


@dataclass(frozen=True)
class Spec:
    users: list[tuple[int, list[str]]]  # (agency index, roles)
    people: list[tuple[int, int | None, bool]]  # (recording agency, lead user, deleted)
    episodes: list[tuple[int, int | None, int | None, str]]  # (person, worker, manager, status)
    flags: list[tuple[int, str, bool]]  # (episode, system, confirmed)
    items: list[tuple[int, list[int]]]  # (source agency, people it is about)


def specs() -> st.SearchStrategy[Spec]:
    agency = st.integers(0, len(KINDS) - 1)

    @st.composite
    def build(draw: Any) -> Spec:
        users = draw(
            st.lists(
                st.tuples(agency, st.lists(st.sampled_from(ROLES), max_size=2, unique=True)),
                min_size=1,
                max_size=6,
            )
        )
        user = st.none() | st.integers(0, len(users) - 1)
        people = draw(st.lists(st.tuples(agency, user, st.booleans()), min_size=1, max_size=6))
        person = st.integers(0, len(people) - 1)
        episodes = draw(
            st.lists(st.tuples(person, user, user, st.sampled_from(STATUSES)), max_size=4)
        )
        flags = (
            draw(
                st.lists(
                    st.tuples(
                        st.integers(0, len(episodes) - 1),
                        st.sampled_from(SYSTEMS),
                        st.booleans(),
                    ),
                    max_size=4,
                )
            )
            if episodes
            else []
        )
        items = draw(
            st.lists(st.tuples(agency, st.lists(person, max_size=2, unique=True)), max_size=6)
        )
        return Spec(users=users, people=people, episodes=episodes, flags=flags, items=items)

    return build()


def _build(spec: Spec) -> dict[str, Any]:
    area = AreaFactory()
    agencies = [AgencyFactory(area=area, kind=kind) for kind in KINDS]
    stranger_area = AgencyFactory(area=AreaFactory(), kind=AgencyKind.SOCIAL_CARE)
    users = [UserFactory(agency=agencies[a], roles=roles, password=None) for a, roles in spec.users]
    # Someone of another area with every role: involved with nothing here.
    users.append(UserFactory(agency=stranger_area, roles=ROLES, password=None))
    recorder = users[0]
    people = []
    for a, lead, deleted in spec.people:
        person = YoungPersonFactory(
            recording_agency=agencies[a],
            recorded_by=recorder,
            lead_professional=users[lead] if lead is not None else None,
        )
        if deleted:
            YoungPerson.all_objects.filter(pk=person.pk).update(deleted_at=clock.now())
        people.append(person)
    episodes = []
    for p, worker, manager, status in spec.episodes:
        episodes.append(
            Episode.objects.create(
                area=area,
                young_person=people[p],
                kind=EpisodeKind.UNDER_18,
                status=status,
                social_worker=users[worker] if worker is not None else None,
                team_manager=users[manager] if manager is not None else None,
                opened_by=recorder,
            )
        )
    # One flag per episode and system (as the pathway raises them).
    for (e, system), confirmed in {(e, s): c for e, s, c in spec.flags}.items():
        Flag.objects.create(
            episode=episodes[e],
            system=system,
            purpose=FlagPurpose.SET,
            text="A flag",
            raised_on=clock.today(),
            due_on=clock.today(),
            confirmed_on=clock.today() if confirmed else None,
        )
    for a, about in spec.items:
        item = IntelligenceItem.objects.create(
            area=area,
            reported_on=clock.today(),
            source_agency=agencies[a],
            submitted_by=recorder,
            text="An item",
            source_evaluation="2",
            assessment="B",
            handling_code="P",
            provenance="first_hand",
        )
        item.young_people.set([people[i] for i in about])
    return {"users": users}


MODELS = [YoungPerson, IntelligenceItem, Episode, Flag]


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=specs())
def test_every_users_lists_hold_exactly_what_the_record_check_allows(spec: Spec) -> None:
    savepoint = transaction.savepoint()
    try:
        world = _build(spec)
        for user in world["users"]:
            for model in MODELS:
                live = list(model._default_manager.all())
                by_check = {obj.pk for obj in live if involvement_basis(user, obj) is not None}
                listed = set(involved_queryset(model, user).values_list("pk", flat=True))
                assert listed == by_check, (model.__name__, user.role_set(), spec)
    finally:
        transaction.savepoint_rollback(savepoint)


def test_every_model_with_records_about_people_has_bases() -> None:
    for model in MODELS:
        assert bases_for(model._meta.label_lower), model
