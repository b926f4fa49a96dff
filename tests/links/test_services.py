"""Link services and selectors: one end per side, no self-links, no duplicates, dated,
evidenced, and shown to each user as they may see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, FieldErrors, NotPermitted
from riskpath.groups.ends import HIDDEN_YOUNG_PERSON
from riskpath.links import selectors, services
from riskpath.links.models import Link, LinkKind, LinkStrength
from tests.factories import YoungPersonFactory
from tests.links.factories import IntelligenceItemFactory, LinkFactory, PersonOfInterestFactory
from tests.links.scenario import AuditWatch, Places

pytestmark = pytest.mark.django_db

REASON = "Recorded against the wrong location."


def make(places: Places, source: Any, target: Any, kind: str = LinkKind.ASSOCIATE, **kw: Any):
    return services.link_create(
        actor=places.recorder, source=source, target=target, kind=kind, **kw
    )


# --- the database's own rules ----------------------------------------------------------------


@pytest.mark.parametrize(
    "ends",
    [
        {"target_group_id": "g"},  # no source
        {"source_location_id": "l"},  # no target
        {"source_location_id": "l", "source_group_id": "g", "target_young_person_id": "y"},
        {"source_location_id": "l", "target_group_id": "g", "target_young_person_id": "y"},
    ],
)
def test_exactly_one_end_per_side_is_enforced_by_the_database(
    places: Places, ends: dict[str, str]
) -> None:
    ids = {"g": places.group.pk, "l": places.location.pk, "y": places.young_person.pk}
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(
            area=places.area,
            kind=LinkKind.ASSOCIATE,
            recorded_by=places.recorder,
            **{name: ids[key] for name, key in ends.items()},
        )


def test_the_database_refuses_last_seen_before_first_seen(places: Places) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LinkFactory(
            area=places.area,
            source_group=places.group,
            target_location=places.location,
            first_seen=dt.date(2026, 2, 1),
            last_seen=dt.date(2026, 1, 1),
        )


# --- create ----------------------------------------------------------------------------------


def test_create_is_audited_with_the_young_person_as_subject(places: Places) -> None:
    item = IntelligenceItemFactory(source_agency=places.agency)
    watch = AuditWatch()
    link = make(
        places,
        places.young_person,
        places.location,
        LinkKind.FREQUENTS,
        strength=LinkStrength.CONFIRMED,
        first_seen=dt.date(2026, 1, 3),
        last_seen=dt.date(2026, 2, 3),
        evidence=[item],
    )
    assert (link.source, link.target) == (places.young_person, places.location)
    assert list(link.evidence.all()) == [item]
    (event,) = watch.new()
    assert event.verb == Verb.LINK_CREATED
    assert event.subject_id == str(places.young_person.pk)
    assert event.changes["kind"] == {"before": None, "after": "frequents"}
    assert event.changes["evidence"] == {"before": None, "after": [str(item.pk)]}
    assert event.changes["target"]["after"] == f"location:{places.location.pk}"


def test_a_link_between_places_and_groups_has_no_subject(places: Places) -> None:
    watch = AuditWatch()
    make(places, places.group, places.location, LinkKind.FREQUENTS)
    assert watch.new()[0].subject_id == ""


def test_a_link_to_itself_is_refused(places: Places) -> None:
    with pytest.raises(FieldErrors) as exc:
        make(places, places.location, places.location)
    assert set(exc.value.errors) == {"target"}
    assert "two different things" in exc.value.errors["target"]
    # A person of interest who is also the young person is the same human.
    same = PersonOfInterestFactory(recording_agency=places.agency, young_person=places.young_person)
    with pytest.raises(FieldErrors):
        make(places, places.young_person, same, LinkKind.SEEN_WITH)
    assert not Link.objects.exists()


def test_a_duplicate_is_refused_pointing_at_the_existing_link(places: Places) -> None:
    first = make(places, places.young_person, places.poi, LinkKind.EXPLOITED_BY)
    with pytest.raises(services.DuplicateLink) as exc:
        make(places, places.young_person, places.poi, LinkKind.EXPLOITED_BY)
    assert exc.value.existing == first
    assert str(first.pk) in exc.value.errors["kind"]
    # Another kind between the same two is a different link...
    make(places, places.young_person, places.poi, LinkKind.SEEN_WITH)
    # ... a symmetric kind is the same link read the other way round ...
    with pytest.raises(services.DuplicateLink):
        make(places, places.poi, places.young_person, LinkKind.SEEN_WITH)
    # ... but "exploited by" the other way round is a different statement.
    make(places, places.poi, places.young_person, LinkKind.EXPLOITED_BY)
    # Once deleted, the same link may be recorded again.
    services.link_delete(actor=places.recorder, link=first, expected_version=1, reason=REASON)
    make(places, places.young_person, places.poi, LinkKind.EXPLOITED_BY)
    assert Link.all_objects.count() == 4


@pytest.mark.parametrize(
    "case,field",
    [
        ("other area end", "target"),
        ("young person not involved", "target"),
        ("lives at a group", "kind"),
        ("member of a location", "kind"),
        ("last before first", "last_seen"),
        ("future", "first_seen"),
        ("bad strength", "strength"),
        ("other area evidence", "evidence"),
        ("evidence not visible", "evidence"),
    ],
)
def test_create_validates(places: Places, case: str, field: str) -> None:
    kw: dict[str, Any] = {"source": places.poi, "target": places.location, "kind": "associate"}
    if case == "other area end":
        kw["target"] = places.far_location
    elif case == "young person not involved":
        kw["target"] = places.unseen
    elif case == "lives at a group":
        kw.update(kind=LinkKind.LIVES_AT, target=places.group)
    elif case == "member of a location":
        kw.update(kind=LinkKind.MEMBER_OF)
    elif case == "last before first":
        kw.update(first_seen=dt.date(2026, 2, 1), last_seen=dt.date(2026, 1, 31))
    elif case == "future":
        kw.update(first_seen=clock.today() + dt.timedelta(days=2))
    elif case == "bad strength":
        kw.update(strength="certain")
    elif case == "other area evidence":
        kw.update(evidence=[IntelligenceItemFactory(source_agency=places.far_agency)])
    elif case == "evidence not visible":
        # Another agency's item about a young person the recorder is not involved with.
        hidden = IntelligenceItemFactory(source_agency=places.other_agency)
        hidden.young_people.add(places.unseen)
        kw.update(evidence=[hidden])
    watch = AuditWatch()
    with pytest.raises(FieldErrors) as exc:
        services.link_create(actor=places.recorder, **kw)
    assert set(exc.value.errors) == {field}
    assert not Link.objects.exists()
    assert watch.new() == []


def test_create_is_refused_to_a_role_without_the_rule(places: Places) -> None:
    with pytest.raises(NotPermitted):
        services.link_create(
            actor=places.qa, source=places.poi, target=places.location, kind="associate"
        )


# --- update and delete -----------------------------------------------------------------------


def test_update_is_versioned_and_refuses_becoming_a_duplicate(places: Places) -> None:
    a = make(places, places.poi, places.group, LinkKind.MEMBER_OF)
    b = make(places, places.poi, places.group, LinkKind.ASSOCIATE)
    watch = AuditWatch()
    with pytest.raises(services.DuplicateLink) as exc:
        services.link_update(actor=places.recorder, link=b, expected_version=1, kind="member_of")
    assert exc.value.existing == a
    services.link_update(
        actor=places.colleague, link=b, expected_version=1, strength=LinkStrength.TENTATIVE
    )
    stale = Link.objects.get(pk=b.pk)
    with pytest.raises(ConcurrentEditError):
        services.link_update(actor=places.recorder, link=stale, expected_version=1, kind="sibling")
    b.refresh_from_db()
    assert (b.kind, b.strength, b.version) == ("associate", "tentative", 2)
    (event,) = watch.new()
    assert event.verb == Verb.LINK_UPDATED
    assert event.changes == {"strength": {"before": "unconfirmed", "after": "tentative"}}


def test_update_changes_evidence(places: Places) -> None:
    one, two = (IntelligenceItemFactory(source_agency=places.agency) for _ in range(2))
    link = make(places, places.poi, places.location, evidence=[one])
    watch = AuditWatch()
    services.link_update(actor=places.recorder, link=link, expected_version=1, evidence=[two])
    assert list(link.evidence.all()) == [two]
    (event,) = watch.new()
    assert event.changes == {"evidence": {"before": [str(one.pk)], "after": [str(two.pk)]}}


def test_delete_needs_a_reason_and_hides_the_link(places: Places) -> None:
    link = make(places, places.poi, places.location)
    with pytest.raises(FieldErrors):
        services.link_delete(actor=places.recorder, link=link, expected_version=1, reason="")
    services.link_delete(actor=places.recorder, link=link, expected_version=1, reason=REASON)
    assert selectors.links_for(places.location, places.recorder) == []
    with pytest.raises(Http404):
        selectors.access_link(places.recorder, link.pk)


# --- reading ---------------------------------------------------------------------------------


def test_links_for_finds_either_end_and_names_the_far_end(places: Places) -> None:
    outgoing = make(places, places.location, places.poi, LinkKind.SEEN_WITH)
    incoming = make(places, places.group, places.location, LinkKind.FREQUENTS)
    make(places, places.group, places.poi, LinkKind.ASSOCIATE)  # does not touch the location
    rows = selectors.links_for(places.location, places.recorder)
    assert {r.link for r in rows} == {outgoing, incoming}
    others = {r.link.pk: r.other.label for r in rows}
    assert others == {outgoing.pk: "Pat Interest", incoming.pk: "Station Road crew"}


def test_links_for_does_not_name_young_people_the_user_is_not_involved_with(
    places: Places,
) -> None:
    services.link_create(
        actor=places.colleague, source=places.unseen, target=places.location, kind="frequents"
    )
    (row,) = selectors.links_for(places.location, places.recorder)
    assert (row.source.label, row.source.url, row.source.id) == (HIDDEN_YOUNG_PERSON, None, None)
    (row,) = selectors.links_for(places.location, places.colleague)
    assert row.source.label == "Ula Unseen"


def test_links_for_stops_at_the_area_and_the_rule(places: Places) -> None:
    make(places, places.poi, places.location)
    assert selectors.links_for(places.far_location, places.recorder) == []
    assert selectors.links_for(places.location, places.far_user) == []
    assert selectors.links_for(places.location, places.qa) == []


def test_links_for_a_young_person(places: Places) -> None:
    make(places, places.young_person, places.group, LinkKind.MEMBER_OF)
    other = YoungPersonFactory(recording_agency=places.agency)
    make(places, other, places.young_person, LinkKind.SIBLING)
    rows = selectors.links_for(places.young_person, places.recorder)
    assert sorted(r.other.label for r in rows) == sorted([str(other), "Station Road crew"])


def test_reading_a_link_is_audited(places: Places) -> None:
    link = make(places, places.young_person, places.location, LinkKind.LIVES_AT)
    watch = AuditWatch()
    row = selectors.link_get_for_user(places.recorder, link.pk)
    assert row.link == link
    (event,) = watch.new()
    assert (event.verb, event.subject_id) == (Verb.LINK_VIEWED, str(places.young_person.pk))
    with pytest.raises(Http404):
        selectors.link_get_for_user(places.far_user, link.pk)
    assert len(watch.new()) == 1
