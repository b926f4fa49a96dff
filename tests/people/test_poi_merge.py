"""Merging two records of one person of interest moves every related record, is audited, can
be undone exactly — through the service, the pages and the API."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.audit.verbs import Verb
from riskpath.core.errors import DomainError, FieldErrors, NotPermitted
from riskpath.groups.models import GroupMembership
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import Link
from riskpath.people.enums import DisruptionKind
from riskpath.people.merge import (
    person_of_interest_merge,
    person_of_interest_merge_undo,
    relations,
)
from riskpath.people.models import (
    AliasKey,
    DisruptionActivity,
    PersonOfInterest,
    PersonOfInterestMerge,
    YoungPerson,
)
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory
from tests.links.factories import (
    GroupFactory,
    IntelligenceItemFactory,
    LinkFactory,
    LocationFactory,
)
from tests.people.factories import PersonOfInterestFactory
from tests.people.scenario import AuditWatch

pytestmark = pytest.mark.django_db

REASON = "Same street name and date of birth; the police record misspells the surname."


@dataclass
class World:
    area: Area
    agency: Agency
    manager: User
    keep: PersonOfInterest
    away: PersonOfInterest
    items: dict[str, IntelligenceItem]
    disruption: DisruptionActivity
    link_out: Link
    link_between: Link
    membership: GroupMembership


@pytest.fixture
def world(area: Area, agency: Agency) -> World:
    manager = UserFactory(agency=agency, roles=[Role.TEAM_MANAGER])
    keep = PersonOfInterestFactory(
        recording_agency=agency,
        given_names="Marcus",
        family_name="Hollings",
        aliases=["Tiny"],
        date_of_birth=dt.date(1999, 4, 3),
    )
    away = PersonOfInterestFactory(
        recording_agency=agency,
        given_names="Markus",
        family_name="Holings",
        aliases=["T-Money"],
        date_of_birth=dt.date(1999, 3, 4),
    )
    items = {
        "away": IntelligenceItemFactory(source_agency=agency),
        "both": IntelligenceItemFactory(source_agency=agency),
    }
    items["away"].persons_of_interest.add(away)
    items["both"].persons_of_interest.add(away, keep)
    return World(
        area=area,
        agency=agency,
        manager=manager,
        keep=keep,
        away=away,
        items=items,
        disruption=DisruptionActivity.objects.create(
            person=away,
            kind=DisruptionKind.values[0],
            date=dt.date(2026, 11, 2),
            agency=agency,
            recorded_by=manager,
            outcome="Warning notice served",
        ),
        link_out=LinkFactory(
            area=area, source_person_of_interest=away, target_location=LocationFactory()
        ),
        link_between=LinkFactory(
            area=area, source_person_of_interest=keep, target_person_of_interest=away
        ),
        membership=GroupMembership.objects.create(
            group=GroupFactory(recording_agency=agency), person_of_interest=away
        ),
    )


def state(w: World) -> dict[str, Any]:
    def owner_of(pk: Any) -> str:
        return {w.keep.pk: "keep", w.away.pk: "away"}.get(pk, "other")

    between = Link.all_objects.get(pk=w.link_between.pk)
    return {
        "items": {
            name: sorted(owner_of(p.pk) for p in item.persons_of_interest.all())
            for name, item in w.items.items()
        },
        "disruption": owner_of(DisruptionActivity.objects.get(pk=w.disruption.pk).person_id),
        "link_out": owner_of(Link.objects.get(pk=w.link_out.pk).source_person_of_interest_id),
        "link_between_retired": between.deleted_at is not None,
        "membership": owner_of(
            GroupMembership.objects.get(pk=w.membership.pk).person_of_interest_id
        ),
        "keep_aliases": PersonOfInterest.objects.get(pk=w.keep.pk).aliases,
        "away_deleted": PersonOfInterest.all_objects.get(pk=w.away.pk).is_deleted,
    }


def merge(w: World, **kwargs: Any) -> PersonOfInterestMerge:
    return person_of_interest_merge(
        actor=kwargs.pop("actor", w.manager),
        keep=kwargs.pop("keep", w.keep),
        merge_away=kwargs.pop("merge_away", w.away),
        reason=kwargs.pop("reason", REASON),
    )


# ---------------------------------------------------------------------------------------------
# The service
# ---------------------------------------------------------------------------------------------


def test_merge_moves_every_related_record_and_undo_restores_exactly(world: World) -> None:
    before = state(world)
    assert before["items"] == {"away": ["away"], "both": ["away", "keep"]}
    alias_keys = AliasKey.objects.filter(person_of_interest=world.keep)
    keys_before = alias_keys.count()
    watch = AuditWatch()

    record = merge(world)

    assert state(world) == {
        "items": {"away": ["keep"], "both": ["keep"]},
        "disruption": "keep",
        "link_out": "keep",
        "link_between_retired": True,  # a link between the two is retired, not moved
        "membership": "keep",
        "keep_aliases": ["Tiny", "Markus Holings", "T-Money"],
        "away_deleted": True,
    }
    events = watch.new()
    assert [e.verb for e in events] == [Verb.RECORDS_MERGED]
    assert events[0].target_id == str(record.pk)
    assert events[0].changes["moved"]["people.disruptionactivity.person_id"] == 1
    # The kept record is now found by the merged-away record's names.
    assert alias_keys.count() > keys_before

    watch = AuditWatch()
    person_of_interest_merge_undo(actor=world.manager, merge=record)

    assert state(world) == before
    assert [e.verb for e in watch.new()] == [Verb.MERGE_UNDONE]
    record.refresh_from_db()
    assert record.is_undone and record.undone_by == world.manager
    assert alias_keys.count() == keys_before


def test_every_relation_to_a_person_of_interest_is_known_to_the_merge() -> None:
    keys = {r.key for r in relations(PersonOfInterest)}
    assert {
        "people.disruptionactivity.person_id",
        "intelligence.intelligenceitem_persons_of_interest.personofinterest_id",
        "links.link.source_person_of_interest_id",
        "links.link.target_person_of_interest_id",
        "groups.groupmembership.person_of_interest_id",
        "meetings.agendaitem.person_of_interest_id",
        "meetings.action.person_of_interest_id",
    } <= keys
    assert not any(k.startswith(("people.aliaskey", "people.personofinterestmerge")) for k in keys)


def test_names_go_to_the_young_persons_record_when_the_kept_one_is_a_young_person(
    world: World,
) -> None:
    young_person = YoungPersonFactory(
        recording_agency=world.agency, given_names="Marcus", family_name="Hollings"
    )
    young_person.lead_professional = world.manager
    young_person.save()
    world.keep.young_person = young_person
    world.keep.given_names = world.keep.family_name = ""
    world.keep.save()
    record = merge(world)
    young_person.refresh_from_db()
    assert "Markus Holings" in young_person.aliases and "T-Money" in young_person.aliases
    person_of_interest_merge_undo(actor=world.manager, merge=record)
    young_person.refresh_from_db()
    assert "Markus Holings" not in young_person.aliases


def test_a_young_persons_identity_is_never_merged_away(world: World) -> None:
    world.away.young_person = YoungPersonFactory(recording_agency=world.agency)
    world.away.save()
    with pytest.raises(DomainError, match="a young person's identity is never merged away"):
        merge(world)
    assert not PersonOfInterestMerge.objects.exists()
    assert not PersonOfInterest.all_objects.get(pk=world.away.pk).is_deleted


def test_both_current_members_of_one_group_is_refused(world: World) -> None:
    GroupMembership.objects.create(group=world.membership.group, person_of_interest=world.keep)
    before = state(world)
    with pytest.raises(DomainError, match="Both records are current members of the group"):
        merge(world)
    assert state(world) == before


def test_undo_twice_is_refused_and_a_reason_is_required(world: World) -> None:
    with pytest.raises(FieldErrors) as exc:
        merge(world, reason="same")
    assert "reason" in exc.value.errors
    with pytest.raises(FieldErrors):
        merge(world, merge_away=world.keep)
    record = merge(world)
    person_of_interest_merge_undo(actor=world.manager, merge=record)
    with pytest.raises(DomainError, match="already been undone"):
        person_of_interest_merge_undo(actor=world.manager, merge=record)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.PARTNER_REPRESENTATIVE, Role.CHAIR])
def test_only_managers_may_merge(world: World, role: str) -> None:
    user = UserFactory(agency=world.agency, roles=[role])
    with pytest.raises(NotPermitted):
        merge(world, actor=user)
    assert not PersonOfInterestMerge.objects.exists()


# ---------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------


def html(response: Any) -> str:
    return response.content.decode()


def test_merge_and_undo_through_the_pages(client_for: Any, world: World) -> None:
    client = client_for(world.manager)
    detail = html(client.get(reverse("people:poi_detail", args=[world.keep.pk])))
    choose_url = reverse("people:poi_merge_choose", args=[world.keep.pk])
    assert choose_url in detail

    choose = client.get(choose_url)
    assert choose.status_code == 200
    assert f'value="{world.away.pk}"' in html(choose)  # the likely duplicate is offered
    assert "date of birth has day and month swapped: +" in html(choose)
    bad = client.post(choose_url, {"other": ""})
    assert bad.status_code == 400 and "Select the record to merge with" in html(bad)
    chosen = client.post(choose_url, {"other": str(world.away.pk)})
    compare_url = reverse("people:poi_merge_compare", args=[world.keep.pk, world.away.pk])
    assert chosen["Location"] == compare_url

    watch = AuditWatch()
    page = client.get(compare_url)
    assert "Are these the same person?" in html(page)
    assert watch.verbs() == [Verb.POI_VIEWED, Verb.POI_VIEWED]

    missing = client.post(compare_url, {"keep": str(world.keep.pk), "reason": ""})
    assert missing.status_code == 400
    assert "Enter why these two records are the same person" in html(missing)
    assert not PersonOfInterestMerge.objects.exists()

    done = client.post(compare_url, {"keep": str(world.keep.pk), "reason": REASON})
    record = PersonOfInterestMerge.objects.get()
    assert done["Location"] == reverse("people:poi_merge_detail", args=[record.pk])
    summary = html(client.get(done["Location"]))
    assert "was merged into Marcus Hollings" in summary
    assert "Disruption activities: 1" in summary
    assert client.get(reverse("people:poi_detail", args=[world.away.pk])).status_code == 404

    undone = client.post(reverse("people:poi_merge_undo", args=[record.pk]))
    assert undone["Location"] == reverse("people:poi_detail", args=[world.away.pk])
    assert client.get(undone["Location"]).status_code == 200
    assert "This merge has been undone" in html(client.get(done["Location"]))


def test_a_refused_merge_is_a_conflict_and_changes_nothing(client_for: Any, world: World) -> None:
    GroupMembership.objects.create(group=world.membership.group, person_of_interest=world.keep)
    url = reverse("people:poi_merge_compare", args=[world.keep.pk, world.away.pk])
    response = client_for(world.manager).post(url, {"keep": str(world.keep.pk), "reason": REASON})
    assert response.status_code == 409
    assert "Both records are current members of the group" in html(response)
    assert not PersonOfInterestMerge.objects.exists()


def test_the_pages_refuse_non_managers_and_other_areas(client_for: Any, world: World) -> None:
    record = merge(world)
    urls = [
        ("get", reverse("people:poi_merge_choose", args=[world.keep.pk])),
        ("get", reverse("people:poi_merge_detail", args=[record.pk])),
        ("post", reverse("people:poi_merge_undo", args=[record.pk])),
    ]
    recorder = client_for(UserFactory(agency=world.agency, roles=[Role.SOCIAL_WORKER]))
    assert reverse("people:poi_merge_choose", args=[world.keep.pk]) not in html(
        recorder.get(reverse("people:poi_detail", args=[world.keep.pk]))
    )
    stranger = client_for(
        UserFactory(agency=AgencyFactory(area=AreaFactory()), roles=[Role.SERVICE_MANAGER])
    )
    for method, url in urls:
        assert getattr(recorder, method)(url).status_code == 403, url
        assert getattr(stranger, method)(url).status_code == 404, url
    assert not PersonOfInterestMerge.objects.get().is_undone


def test_the_duplicate_report_offers_the_merge_of_persons_of_interest(
    client_for: Any, world: World
) -> None:
    page = html(
        client_for(world.manager).get(
            reverse("people:duplicate_report"), {"kind": "person_of_interest"}
        )
    )
    pair = {
        reverse("people:poi_merge_compare", args=[world.keep.pk, world.away.pk]),
        reverse("people:poi_merge_compare", args=[world.away.pk, world.keep.pk]),
    }
    assert any(url in page for url in pair)


# ---------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------


def api_merge(client: Any, body: dict[str, Any]) -> Any:
    return client.post(
        reverse("api:merge_create"), data=json.dumps(body), content_type="application/json"
    )


def test_merge_and_undo_through_the_api(client_for: Any, world: World) -> None:
    client = client_for(world.manager)
    body = {
        "kind": "person_of_interest",
        "keep": str(world.keep.pk),
        "merge_away": str(world.away.pk),
        "reason": REASON,
    }
    bad = api_merge(client, {**body, "kind": "location"})
    assert bad.status_code == 400
    assert [e["field"] for e in bad.json()["errors"]] == ["kind"]
    short = api_merge(client, {**body, "reason": "same"})
    assert short.status_code == 400
    assert [e["field"] for e in short.json()["errors"]] == ["reason"]
    assert not PersonOfInterestMerge.objects.exists()

    created = api_merge(client, body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["kind"] == "person_of_interest"
    assert data["merge_away"] == str(world.away.pk)
    assert data["moved"]["people.disruptionactivity.person_id"] == [str(world.disruption.pk)]

    undone = client.post(reverse("api:merge_undo", args=[data["id"]]))
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert not PersonOfInterest.all_objects.get(pk=world.away.pk).is_deleted


def test_the_api_refuses_a_young_person_as_a_person_of_interest(
    client_for: Any, world: World
) -> None:
    person = YoungPersonFactory(recording_agency=world.agency)
    response = api_merge(
        client_for(world.manager),
        {
            "kind": "person_of_interest",
            "keep": str(world.keep.pk),
            "merge_away": str(person.pk),
            "reason": REASON,
        },
    )
    assert response.status_code == 404
    assert YoungPerson.objects.filter(pk=person.pk).exists()
