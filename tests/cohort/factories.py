"""Builders for the records the cohort reads: intelligence, missing episodes, links and cohort
spells, made directly with the ORM. Synthetic data only (Faker en_GB)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from faker import Faker

from riskpath.accounts.models import Agency, User
from riskpath.cohort.models import CohortMembership, ReentryFlag, TierDecision
from riskpath.core import clock
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import Link
from riskpath.people.models import MissingEpisode, YoungPerson

fake = Faker("en_GB")


class IntelligenceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntelligenceItem
        skip_postgeneration_save = True

    area = factory.LazyAttribute(lambda o: o.source_agency.area)
    reported_on = factory.LazyFunction(lambda: clock.today() - dt.timedelta(days=1))
    source_agency: Any = None
    submitted_by = factory.LazyAttribute(lambda o: _any_user(o.source_agency))
    text = factory.LazyFunction(lambda: fake.paragraph())
    source_evaluation = "1"
    assessment = "B"
    handling_code = "P"
    provenance = "first_hand"
    harm_types = factory.LazyFunction(list)
    immediate_risk = False

    @factory.post_generation
    def about(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for person in extracted or []:
            self.young_people.add(person)


def _any_user(agency: Agency) -> User:
    from tests.factories import UserFactory

    return User.objects.filter(agency=agency).first() or UserFactory(agency=agency)


def intelligence(person: YoungPerson, agency: Agency, **kwargs: Any) -> IntelligenceItem:
    grade = kwargs.pop("grade", None)
    if grade:
        kwargs["assessment"], kwargs["source_evaluation"] = grade[0], grade[1]
    days_ago = kwargs.pop("days_ago", None)
    if days_ago is not None:
        kwargs["reported_on"] = clock.today() - dt.timedelta(days=days_ago)
    return IntelligenceItemFactory(source_agency=agency, about=[person], **kwargs)


def missing_episode(person: YoungPerson, agency: Agency, *, days_ago: int = 1) -> MissingEpisode:
    return MissingEpisode.objects.create(
        young_person=person,
        reported_at=clock.now() - dt.timedelta(days=days_ago),
        reporting_agency=agency,
        recorded_by=_any_user(agency),
    )


def link(a: YoungPerson, b: YoungPerson, *, kind: str = "associate") -> Link:
    return Link.objects.create(
        area_id=a.area_id,
        kind=kind,
        source_young_person=a,
        target_young_person=b,
        recorded_by=a.recorded_by,
    )


def on_cohort(
    person: YoungPerson,
    *,
    tier: int = 2,
    by: User,
    exited: bool = False,
    last_discussed_on: dt.date | None = None,
    next_review_on: dt.date | None = None,
) -> CohortMembership:
    """A spell on the cohort as the service would leave it (entry decision included)."""
    now = clock.now()
    membership = CohortMembership.objects.create(
        area_id=person.area_id,
        young_person=person,
        tier=tier,
        entered_at=now - dt.timedelta(days=30),
        entry_reason="Concerns shared at the PIMM",
        last_discussed_on=last_discussed_on,
        next_review_on=next_review_on,
        exited_at=now - dt.timedelta(days=1) if exited else None,
        exit_reason="risk_reduced" if exited else "",
    )
    TierDecision.objects.create(
        membership=membership,
        decided_by=by,
        decided_at=membership.entered_at,
        to_tier=tier,
        reason="Concerns shared at the PIMM",
        criteria=["t2_not_immediate"],
    )
    if exited:
        TierDecision.objects.create(
            membership=membership,
            decided_by=by,
            decided_at=membership.exited_at,
            from_tier=tier,
            reason="Risk reduced",
        )
    return membership


def reentry_flag(person: YoungPerson, item: IntelligenceItem) -> ReentryFlag:
    return ReentryFlag.objects.create(
        young_person=person, intelligence_item=item, raised_at=clock.now()
    )
