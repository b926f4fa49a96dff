"""The agenda's order of business: items built into sections in the seeds' order, each section
read a page at a time, and the chair taking several items off at once with one reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.meetings import agenda
from riskpath.meetings.agenda.sections import SECTION_ORDER, section_for, sectioned
from riskpath.meetings.models import (
    Action,
    AgendaItem,
    AgendaSection,
    ItemKind,
    ItemMinutes,
    Meeting,
)
from tests.cohort.factories import intelligence, on_cohort, reentry_flag
from tests.factories import YoungPersonFactory
from tests.intelligence.factories import LocationFactory, PersonOfInterestFactory
from tests.meetings.scenario import Scene, add_item, at, schedule

pytestmark = pytest.mark.django_db


def items_of(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))


def open_action(scene: Scene, meeting: Meeting, text: str, **kwargs: Any) -> Action:
    values: dict[str, Any] = {
        "owner_agency": scene.police,
        "due_on": clock.today() + dt.timedelta(days=7),
    }
    values.update(kwargs)
    return Action.objects.create(
        area=scene.area, meeting=meeting, description=text, created_by=scene.chair, **values
    )


# ---------------------------------------------------------------------------------------------
# Sections from the record
# ---------------------------------------------------------------------------------------------


def test_section_for_puts_tier_one_first_whatever_brings_them() -> None:
    assert section_for(ItemKind.COHORT_REVIEW, tier=1) == AgendaSection.TIER_ONE
    assert section_for(ItemKind.NEWLY_REPORTED, tier=1) == AgendaSection.TIER_ONE
    assert section_for(ItemKind.COHORT_REVIEW, tier=2) == AgendaSection.REVIEWS
    assert section_for(ItemKind.TIER_SUGGESTION) == AgendaSection.REVIEWS
    assert section_for(ItemKind.OPEN_ACTION, tier=1) == AgendaSection.OPEN_ACTIONS
    assert section_for(ItemKind.OTHER) == AgendaSection.OTHER
    assert list(SECTION_ORDER) == list(AgendaSection.values)


def test_the_built_agenda_follows_the_order_of_business(scene: Scene) -> None:
    previous = schedule(scene, starts_at=at(clock.today() - dt.timedelta(days=14)))
    meeting = schedule(scene)
    red = YoungPersonFactory(recording_agency=scene.police, family_name="Redmond")
    amber = YoungPersonFactory(recording_agency=scene.police, family_name="Amberley")
    returning = YoungPersonFactory(recording_agency=scene.police, family_name="Returner")
    on_cohort(red, tier=1, by=scene.chair, last_discussed_on=clock.today())
    on_cohort(amber, tier=2, by=scene.chair)
    on_cohort(returning, tier=3, by=scene.chair, exited=True)
    reentry_flag(returning, intelligence(returning, scene.school, days_ago=2))
    intelligence(red, scene.police, days_ago=2)  # new intelligence about a tier 1 young person
    intelligence(scene.person, scene.police, days_ago=3)
    intelligence(scene.person, scene.school, days_ago=2)
    poi = PersonOfInterestFactory(area=scene.area)
    place = LocationFactory(area=scene.area)
    item = intelligence(scene.person, scene.health, days_ago=1)
    item.persons_of_interest.add(poi)
    item.locations.add(place)
    later = clock.today() + dt.timedelta(days=21)
    open_action(scene, previous, "Police: visit the address", due_on=later)
    open_action(scene, previous, "School: share attendance", owner_agency=scene.school)
    open_action(scene, previous, "Police: speak to the family")

    agenda.agenda_build(actor=scene.chair, meeting=meeting)

    built = items_of(meeting)
    sections = [i.section for i in built]
    assert sections == sorted(sections, key=SECTION_ORDER.__getitem__)  # positions follow it
    by_title = {i.title: i for i in built}
    assert by_title[str(red)].section == AgendaSection.TIER_ONE
    assert by_title[str(amber)].section == AgendaSection.REVIEWS
    assert by_title[str(poi)].section == AgendaSection.NEW_INTELLIGENCE
    assert by_title[str(place)].section == AgendaSection.NEW_INTELLIGENCE
    assert by_title[str(scene.person)].section == AgendaSection.NEWLY_REPORTED
    assert by_title[str(returning)].section == AgendaSection.REENTRY
    # Open actions grouped by owner, each owner's oldest due first.
    actions = [i.title for i in built if i.section == AgendaSection.OPEN_ACTIONS]
    assert actions == [
        "Open action: Police: speak to the family",
        "Open action: Police: visit the address",
        "Open action: School: share attendance",
    ]
    assert "owner " + scene.police.name in by_title[actions[0]].detail


# ---------------------------------------------------------------------------------------------
# A section a page at a time
# ---------------------------------------------------------------------------------------------


def big_agenda(scene: Scene, count: int = 60) -> Meeting:
    meeting = schedule(scene)
    add_item(meeting, "Safety plan for the estate", section=AgendaSection.TIER_ONE)
    for n in range(1, count + 1):
        add_item(meeting, f"Review {n:03d}", kind=ItemKind.COHORT_REVIEW, section="reviews")
    add_item(meeting, "Any other business", minutes_allowed=5)
    return meeting


def test_the_meeting_page_folds_each_section_to_its_first_items(
    client_for: Any, scene: Scene
) -> None:
    meeting = big_agenda(scene)
    html = client_for(scene.chair).get(reverse("meetings:detail", args=[meeting.pk])).text
    assert "62 items in 3 sections, 5 minutes allowed." in html
    assert "Review 025" in html and "Review 026" not in html
    section_url = reverse("meetings:agenda_section", args=[meeting.pk, "reviews"])
    assert section_url in html and "See all 60 items" in html
    # Numbered through the agenda: the first review is item 2, any other business item 62.
    assert '<li class="govuk-!-margin-bottom-4" id="item-' in html
    assert 'value="2"' in html and 'value="62"' in html


def test_the_chairs_page_reads_only_what_it_shows_and_numbers_it_all(
    client_for: Any, scene: Scene
) -> None:
    meeting = big_agenda(scene)
    late = AgendaItem.objects.get(meeting=meeting, title="Review 040")
    ItemMinutes.objects.create(item=late, discussion="Agreed a safety plan with the school")
    gone = AgendaItem.objects.get(meeting=meeting, title="Review 060")
    agenda.agenda_item_remove(
        actor=scene.chair, item=gone, expected_version=gone.version, reason="Moved to MARMM"
    )
    shown = agenda.agenda_page_for_user(scene.chair, meeting)
    read = {s.item.pk for s in (*shown.seen.items, *shown.seen.removed)}
    # The first 25 of the reviews, the tier 1 item, any other business, the minuted item and
    # the removed one: not the other 34.
    assert len(read) == 25 + 1 + 1 + 1 + 1
    assert late.pk in read and gone.pk in read
    assert shown.count == 61
    html = client_for(scene.chair).get(reverse("meetings:detail", args=[meeting.pk])).text
    assert "41. Review 040" in html  # numbered through the whole agenda
    assert "Agreed a safety plan with the school" in html
    assert "Removed from the agenda (1)" in html and "Moved to MARMM" in html
    # A participant's page goes through their whole sight: the same numbers.
    officer = client_for(scene.officer).get(reverse("meetings:detail", args=[meeting.pk])).text
    assert "61 items in 3 sections" in officer


def test_a_section_is_read_a_page_at_a_time(client_for: Any, scene: Scene) -> None:
    meeting = big_agenda(scene)
    client = client_for(scene.chair)
    url = reverse("meetings:agenda_section", args=[meeting.pk, "reviews"])
    first = client.get(url)
    assert first.status_code == 200
    assert "Review 001" in first.text and "Review 025" in first.text
    assert "Review 026" not in first.text and "Page 1 of 3" in first.text
    last = client.get(url, {"page": 3})
    assert "Review 051" in last.text and "Review 060" in last.text and "Review 050" not in last.text
    assert "items 52 to 61 of the agenda" in last.text
    assert AuditEvent.objects.filter(verb=Verb.MEETING_VIEWED, target_id=str(meeting.pk)).exists()
    assert (
        client.get(reverse("meetings:agenda_section", args=[meeting.pk, "gossip"])).status_code
        == 404
    )
    assert (
        client.get(reverse("meetings:agenda_section", args=[meeting.pk, "escalations"])).status_code
        == 404
    )


def test_the_chair_takes_several_items_off_with_one_reason(client_for: Any, scene: Scene) -> None:
    meeting = big_agenda(scene, count=5)
    reviews = [i for i in items_of(meeting) if i.section == "reviews"]
    client = client_for(scene.chair)
    url = reverse("meetings:agenda_section", args=[meeting.pk, "reviews"])
    chosen = [str(reviews[0].pk), str(reviews[2].pk)]

    missing = client.post(url, {"items": chosen, "reason": ""})
    assert missing.status_code == 400
    assert "Enter why these items are coming off the agenda" in missing.text
    none = client.post(url, {"reason": "Discussed at the MARMM"})
    assert none.status_code == 400 and "Select the items to take off the agenda" in none.text
    elsewhere = add_item(schedule(scene), "Another meeting's item")
    wrong = client.post(url, {"items": [*chosen, str(elsewhere.pk)], "reason": "Discussed"})
    assert wrong.status_code == 400
    assert not AgendaItem.objects.filter(removed_at__isnull=False).exists()

    done = client.post(url, {"items": chosen, "reason": "Discussed at this week's MARMM"})
    assert done.status_code == 302
    removed = AgendaItem.objects.filter(removed_at__isnull=False)
    assert sorted(str(i.pk) for i in removed) == sorted(chosen)
    assert {i.removal_reason for i in removed} == {"Discussed at this week's MARMM"}
    events = AuditEvent.objects.filter(verb=Verb.AGENDA_ITEM_REMOVED)
    assert sorted(e.target_id for e in events) == sorted(chosen)


def test_taking_several_off_is_all_or_none(scene: Scene) -> None:
    meeting = big_agenda(scene, count=3)
    first, second, third = [i for i in items_of(meeting) if i.section == "reviews"]
    agenda.agenda_item_remove(
        actor=scene.chair, item=second, expected_version=second.version, reason="Seen elsewhere"
    )
    with pytest.raises(FieldErrors) as refused:
        agenda.agenda_items_remove(
            actor=scene.chair,
            meeting=meeting,
            item_ids=[first.pk, second.pk, third.pk],
            reason="Seen elsewhere",
        )
    assert "items" in refused.value.errors
    assert AgendaItem.objects.filter(removed_at__isnull=False).count() == 1
    with pytest.raises(NotPermitted):
        agenda.agenda_items_remove(
            actor=scene.officer, meeting=meeting, item_ids=[first.pk], reason="Not mine"
        )


def test_participants_read_sections_but_cannot_take_items_off(
    client_for: Any, scene: Scene
) -> None:
    meeting = schedule(scene)
    on_cohort(scene.person, tier=1, by=scene.chair)
    intelligence(scene.person, scene.health, days_ago=1)
    agenda.agenda_build(actor=scene.chair, meeting=meeting)
    (item,) = items_of(meeting)
    officer = client_for(scene.officer)
    url = reverse("meetings:agenda_section", args=[meeting.pk, item.section])
    page = officer.get(url)
    assert page.status_code == 200
    assert str(scene.person) not in page.text  # withheld: the officer is not involved
    assert "Take the selected items off the agenda" not in page.text
    refused = officer.post(url, {"items": [str(item.pk)], "reason": "Not needed"})
    assert refused.status_code == 403
    assert not AgendaItem.objects.get(pk=item.pk).is_removed
    api = officer.post(
        reverse("api:agenda_items_remove", args=[meeting.pk]),
        {"items": [str(item.pk)], "reason": "Not needed"},
        content_type="application/json",
    )
    assert api.status_code == 403


def test_the_api_takes_several_off(client_for: Any, scene: Scene) -> None:
    meeting = big_agenda(scene, count=3)
    reviews = [str(i.pk) for i in items_of(meeting) if i.section == "reviews"]
    client = client_for(scene.business_support)
    url = reverse("api:agenda_items_remove", args=[meeting.pk])
    bad = client.post(url, {"items": reviews[:2]}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "reason"
    done = client.post(
        url, {"items": reviews[:2], "reason": "Closed cases"}, content_type="application/json"
    )
    assert done.status_code == 200
    body = done.json()
    assert sorted(r["id"] for r in body["removed"]) == sorted(reviews[:2])
    assert [s["count"] for s in body["sections"] if s["key"] == "reviews"] == [1]


def test_sectioned_numbers_through_the_agenda() -> None:
    class Row:
        def __init__(self, section: str, position: int) -> None:
            self.item = AgendaItem(section=section, position=position, minutes_allowed=2)

    rows = [Row("other", 1), Row("reviews", 3), Row("tier_one", 2), Row("reviews", 4)]
    sections = sectioned(rows, limit=1)
    assert [(s.key, s.count, s.minutes, s.more) for s in sections] == [
        ("tier_one", 1, 2, 0),
        ("reviews", 2, 4, 1),
        ("other", 1, 2, 0),
    ]
    numbers = [(e.number, e.first, e.last) for s in sections for e in s.entries]
    assert numbers == [(1, True, True), (2, True, False), (3, False, True), (4, True, True)]
