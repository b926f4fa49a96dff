"""Merging two records of one young person moves every related record, is audited, and can be
undone exactly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from riskpath.access.models import EmergencyAccessGrant
from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.audit.verbs import Verb
from riskpath.cohort.models import CohortMembership, ReentryFlag
from riskpath.core import clock
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.groups.models import GroupMembership
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import Link
from riskpath.people import services
from riskpath.people.merge import relations, young_person_merge, young_person_merge_undo
from riskpath.people.models import AliasKey, MissingEpisode, PersonOfInterest, YoungPerson
from riskpath.referrals.models import Referral
from tests.factories import AgencyFactory, UserFactory, YoungPersonFactory
from tests.links.factories import (
    GroupFactory,
    IntelligenceItemFactory,
    LinkFactory,
    LocationFactory,
)
from tests.people.factories import MissingEpisodeFactory, PersonOfInterestFactory
from tests.people.scenario import AuditWatch
from tests.referrals.factories import ReferralFactory

REASON = "Same date of birth and school; the police record has a typo in the surname."


@dataclass
class World:
    area: Area
    agency: Agency
    manager: User
    keep: YoungPerson
    away: YoungPerson
    items: dict[str, IntelligenceItem]
    episode: MissingEpisode
    referral: Referral
    spell: CohortMembership
    flag: ReentryFlag
    link_out: Link
    link_in: Link
    link_between: Link
    membership: GroupMembership
    grant: EmergencyAccessGrant
    poi: PersonOfInterest


def spell(person: YoungPerson, *, open_: bool) -> CohortMembership:
    now = clock.now()
    return CohortMembership.objects.create(
        area=person.area,
        young_person=person,
        tier=2,
        entered_at=now - dt.timedelta(days=90),
        entry_reason="Agreed at PIMM",
        exited_at=None if open_ else now - dt.timedelta(days=10),
    )


@pytest.fixture
def world(area: Area, agency: Agency) -> World:
    manager = UserFactory(agency=agency, roles=[Role.TEAM_MANAGER])
    keep = YoungPersonFactory(
        recording_agency=agency, given_names="Jordan", family_name="Mitchell", aliases=["JJ"]
    )
    away = YoungPersonFactory(
        recording_agency=agency,
        given_names="Jordon",
        family_name="Michell",
        aliases=["Jay Mitch", "JJ Mitchell"],
    )
    items = {
        "away": IntelligenceItemFactory(source_agency=agency),
        "both": IntelligenceItemFactory(source_agency=agency),
        "keep": IntelligenceItemFactory(source_agency=agency),
    }
    items["away"].young_people.add(away)
    items["both"].young_people.add(away, keep)
    items["keep"].young_people.add(keep)
    location = LocationFactory(recording_agency=agency)
    group = GroupFactory(recording_agency=agency)
    other = YoungPersonFactory(recording_agency=agency)
    return World(
        area=area,
        agency=agency,
        manager=manager,
        keep=keep,
        away=away,
        items=items,
        episode=MissingEpisodeFactory(young_person=away),
        referral=ReferralFactory(young_person=away),
        spell=spell(away, open_=False),
        flag=ReentryFlag.objects.create(
            young_person=away, intelligence_item=items["away"], raised_at=clock.now()
        ),
        link_out=LinkFactory(area=area, source_young_person=away, target_location=location),
        link_in=LinkFactory(area=area, source_young_person=other, target_young_person=away),
        link_between=LinkFactory(area=area, source_young_person=keep, target_young_person=away),
        membership=GroupMembership.objects.create(group=group, young_person=away),
        grant=EmergencyAccessGrant.objects.create(
            user=UserFactory(agency=AgencyFactory(area=area), roles=[Role.SOCIAL_WORKER]),
            area_id=area.pk,
            target_type="people.youngperson",
            target_id=str(away.pk),
            target_label=str(away),
            reason="Missing overnight, needed the history urgently.",
            expires_at=clock.now() + dt.timedelta(hours=8),
        ),
        poi=PersonOfInterestFactory(
            recording_agency=agency, young_person=away, given_names="", family_name=""
        ),
    )


def state(w: World) -> dict[str, Any]:
    """Who each related record belongs to now."""

    def owner_of(pk: Any) -> str:
        return {w.keep.pk: "keep", w.away.pk: "away"}.get(pk, "other")

    links = {
        name: Link.all_objects.get(pk=link.pk)
        for name, link in (("out", w.link_out), ("in", w.link_in), ("between", w.link_between))
    }
    return {
        "items": {
            name: sorted(owner_of(p.pk) for p in item.young_people.all())
            for name, item in w.items.items()
        },
        "episode": owner_of(MissingEpisode.all_objects.get(pk=w.episode.pk).young_person_id),
        "referral": owner_of(Referral.objects.get(pk=w.referral.pk).young_person_id),
        "spell": owner_of(CohortMembership.objects.get(pk=w.spell.pk).young_person_id),
        "flag": owner_of(ReentryFlag.objects.get(pk=w.flag.pk).young_person_id),
        "link_out": owner_of(links["out"].source_young_person_id),
        "link_in": owner_of(links["in"].target_young_person_id),
        "link_between": (
            owner_of(links["between"].source_young_person_id),
            owner_of(links["between"].target_young_person_id),
            links["between"].deleted_at is not None,
        ),
        "membership": owner_of(GroupMembership.objects.get(pk=w.membership.pk).young_person_id),
        "grant": EmergencyAccessGrant.objects.get(pk=w.grant.pk).target_id == str(w.keep.pk),
        "poi": owner_of(PersonOfInterest.objects.get(pk=w.poi.pk).young_person_id),
        "keep_aliases": YoungPerson.objects.get(pk=w.keep.pk).aliases,
        "away_deleted": YoungPerson.all_objects.get(pk=w.away.pk).is_deleted,
    }


def merge(w: World, **kwargs: Any) -> Any:
    return young_person_merge(
        actor=kwargs.pop("actor", w.manager),
        keep=kwargs.pop("keep", w.keep),
        merge_away=kwargs.pop("merge_away", w.away),
        reason=kwargs.pop("reason", REASON),
    )


def test_merge_moves_every_related_record_and_undo_restores_exactly(world: World) -> None:
    before = state(world)
    assert before["items"] == {"away": ["away"], "both": ["away", "keep"], "keep": ["keep"]}
    watch = AuditWatch()

    record = merge(world)

    after = state(world)
    assert after == {
        "items": {"away": ["keep"], "both": ["keep"], "keep": ["keep"]},
        "episode": "keep",
        "referral": "keep",
        "spell": "keep",
        "flag": "keep",
        "link_out": "keep",
        "link_in": "keep",
        "link_between": ("keep", "away", True),  # a link between the two is retired, not moved
        "membership": "keep",
        "grant": True,
        "poi": "keep",
        "keep_aliases": ["JJ", "Jordon Michell", "Jay Mitch", "JJ Mitchell"],
        "away_deleted": True,
    }
    away = YoungPerson.all_objects.get(pk=world.away.pk)
    assert away.deletion_reason.startswith("Merged into the record of Jordan Mitchell")
    events = watch.new()
    assert [e.verb for e in events] == [Verb.RECORDS_MERGED]
    assert events[0].subject_id == str(world.keep.pk)
    assert events[0].reason == REASON
    assert events[0].changes["moved"]["people.missingepisode.young_person_id"] == 1
    # The kept record is now found by the merged-away record's names.
    assert AliasKey.objects.filter(young_person=world.keep, key="JRTN").exists()

    # Something recorded against the kept record after the merge stays there on undo.
    later = IntelligenceItemFactory(source_agency=world.agency)
    later.young_people.add(world.keep)

    watch = AuditWatch()
    young_person_merge_undo(actor=world.manager, merge=record)

    assert state(world) == before
    assert sorted(p.pk for p in later.young_people.all()) == [world.keep.pk]
    events = watch.new()
    assert [e.verb for e in events] == [Verb.MERGE_UNDONE]
    assert events[0].subject_id == str(world.keep.pk)
    record.refresh_from_db()
    assert record.is_undone and record.undone_by == world.manager
    assert not AliasKey.objects.filter(young_person=world.keep, key="JRTN").exists()


def test_every_relation_to_a_young_person_is_known_to_the_merge() -> None:
    """A relation added by a later capability is moved too; this lists today's."""
    keys = {r.key for r in relations()}
    assert {
        "intelligence.intelligenceitem_young_people.youngperson_id",
        "people.missingepisode.young_person_id",
        "people.personofinterest.young_person_id",
        "referrals.referral.young_person_id",
        "cohort.cohortmembership.young_person_id",
        "cohort.reentryflag.young_person_id",
        "links.link.source_young_person_id",
        "links.link.target_young_person_id",
        "groups.groupmembership.young_person_id",
    } <= keys
    assert not any(k.startswith(("people.aliaskey", "people.mergerecord")) for k in keys)


def test_undo_twice_is_refused(world: World) -> None:
    record = merge(world)
    young_person_merge_undo(actor=world.manager, merge=record)
    with pytest.raises(DomainError, match="already been undone"):
        young_person_merge_undo(actor=world.manager, merge=record)


def test_undo_is_refused_once_the_kept_record_is_merged_away(world: World) -> None:
    first = merge(world)
    third = YoungPersonFactory(recording_agency=world.agency)
    merge(world, keep=third, merge_away=YoungPerson.objects.get(pk=world.keep.pk))
    with pytest.raises(DomainError, match="undo that later merge"):
        young_person_merge_undo(actor=world.manager, merge=first)


def test_both_on_the_cohort_is_refused_and_nothing_changes(world: World) -> None:
    spell(world.keep, open_=True)
    spell(world.away, open_=True)
    before = state(world)
    watch = AuditWatch()
    with pytest.raises(DomainError, match="on the cohort"):
        merge(world)
    assert state(world) == before
    assert watch.new() == []


def test_both_persons_of_interest_is_refused(world: World) -> None:
    PersonOfInterestFactory(recording_agency=world.agency, young_person=world.keep)
    with pytest.raises(DomainError, match="persons of interest"):
        merge(world)


def test_both_current_members_of_one_group_is_refused(world: World) -> None:
    GroupMembership.objects.create(group=world.membership.group, young_person=world.keep)
    with pytest.raises(DomainError, match="current members of the group"):
        merge(world)


def test_a_reason_is_required(world: World) -> None:
    with pytest.raises(FieldErrors) as exc:
        merge(world, reason="dupe")
    assert "reason" in exc.value.errors


def test_a_record_cannot_be_merged_with_itself(world: World) -> None:
    with pytest.raises(FieldErrors):
        merge(world, merge_away=world.keep)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.CHAIR, Role.CONSULTANT_SOCIAL_WORKER])
def test_only_managers_may_merge(world: World, role: str) -> None:
    user = UserFactory(agency=world.agency, roles=[role])
    with pytest.raises(NotPermitted):
        merge(world, actor=user)
    assert not YoungPerson.all_objects.get(pk=world.away.pk).is_deleted


def test_a_manager_needs_an_access_basis_to_both_records(world: World) -> None:
    elsewhere = UserFactory(agency=AgencyFactory(area=world.area), roles=[Role.SERVICE_MANAGER])
    with pytest.raises(NotPermitted):
        merge(world, actor=elsewhere)
    other_agency_person = YoungPersonFactory(recording_agency=AgencyFactory(area=world.area))
    with pytest.raises(NotPermitted):
        merge(world, merge_away=other_agency_person)


def test_a_merged_record_is_not_restored_by_the_ordinary_restore(world: World) -> None:
    merge(world)
    away = YoungPerson.all_objects.get(pk=world.away.pk)
    with pytest.raises(DomainError, match="Undo the merge instead"):
        services.young_person_restore(
            actor=world.manager, person=away, expected_version=away.version
        )
