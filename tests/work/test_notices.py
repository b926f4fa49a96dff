"""Being told: "your turn" when a step passes to someone, notices when something becomes
someone's, the daily reminders; each once per key, and no e-mail naming anyone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.core import clock
from riskpath.meetings.models import Action
from riskpath.notifications.models import Delivery, Notification, Preference
from riskpath.notifications.services import send_digests
from riskpath.pathway.reminders import remind
from riskpath.work.notices import daily_reminders, episode_turn, remind_area
from riskpath.work.selectors import gather
from tests.factories import UserFactory
from tests.meetings.scenario import Scene, schedule
from tests.pathway.scenario import Pathway, act, to_plan


def kinds_of(user: Any) -> list[tuple[str, str]]:
    return [(n.kind, n.title) for n in Notification.objects.filter(recipient=user)]


def test_your_turn_when_the_team_manager_records_the_route(p: Pathway) -> None:
    episode = p.open_under_18()
    started = episode.strategy_discussion_date
    act(p.social_worker, episode, "record_s47_outcome", threshold_met=True, recorded_on=started)
    mail.outbox.clear()
    act(p.team_manager, episode, "record_route", route="rmp", recorded_on=started)

    for manager in (p.service_manager, p.other_service_manager):
        assert kinds_of(manager) == [("your_turn", "Your turn: Service manager to agree the route")]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [p.service_manager.email, p.other_service_manager.email]
    )
    assert reverse("pathway:detail", args=[episode.pk]) in mail.outbox[0].body
    # Recomputed (a job run twice, a second scheduler): no one is told again.
    episode_turn.call(str(episode.pk))
    assert Notification.objects.filter(recipient=p.service_manager).count() == 1
    assert len(mail.outbox) == 2


def test_an_agreed_plan_tells_the_police_partner_of_the_flag(p: Pathway) -> None:
    to_plan(p)
    assert ("your_turn", "Your turn: Add the flag in the police system") in kinds_of(p.officer)
    assert p.teacher.notifications.count() == 0


def test_no_email_names_anyone(p: Pathway, scene_free_canary: str) -> None:
    """Canary: a young person with a planted name goes through the whole pathway; no e-mail's
    subject or body carries the name."""
    p.child.given_name = scene_free_canary
    p.child.family_name = scene_free_canary + "son"
    p.child.save()
    mail.outbox.clear()
    to_plan(p)
    later = clock.today() + dt.timedelta(days=200)
    remind_area(p.area, later)
    remind(today=later)
    assert mail.outbox, "the pathway sent e-mails"
    for message in mail.outbox:
        assert scene_free_canary not in message.subject
        assert scene_free_canary not in message.body


@pytest.fixture
def scene_free_canary() -> str:
    return "Zephyrine-Quillfeather"


def test_an_action_owned_by_an_agency_is_every_members_and_told_once(
    scene: Scene, client_for: Any
) -> None:
    member = UserFactory(agency=scene.school, roles=[Role.PARTNER_REPRESENTATIVE])
    meeting = schedule(scene)
    client = client_for(scene.business_support)
    due = (meeting.starts_at.date() + dt.timedelta(days=7)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("meetings:action_create", args=[meeting.pk]),
        {
            "description": "Speak to the head of year",
            "due_on": due,
            "owner_agency": scene.school.pk,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    for user in (scene.teacher, member):
        assert [i.object_id for i in gather(user) if i.kind == "action"] == [str(action.pk)]
        assert kinds_of(user) == [("action", "A meeting action is yours or your agency's")]
    # The police officer's agency does not own it.
    assert [i for i in gather(scene.officer) if i.kind == "action"] == []


def test_daily_reminders_are_once_a_day_and_again_the_next_day(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = schedule(scene)
    Action.objects.create(
        area=scene.area,
        meeting=meeting,
        description="Map the group",
        owner_user=scene.teacher,
        due_on=clock.today() - dt.timedelta(days=2),
        created_by=scene.business_support,
    )
    mail.outbox.clear()
    first = daily_reminders.call()
    assert first >= 1
    assert ("action", "A meeting action is overdue") in kinds_of(scene.teacher)
    assert daily_reminders.call() == 0  # a rerun, or a second scheduler: nothing new
    tomorrow = clock.today() + dt.timedelta(days=1)
    monkeypatch.setattr(clock, "today", lambda: tomorrow)
    assert daily_reminders.call() >= 1


def test_a_digest_user_gets_one_email_a_day(p: Pathway) -> None:
    Preference.objects.create(user=p.officer, delivery=Delivery.DIGEST)
    mail.outbox.clear()
    to_plan(p)
    assert not [m for m in mail.outbox if m.to == [p.officer.email]]
    assert send_digests.call() >= 1
    digests = [m for m in mail.outbox if m.to == [p.officer.email]]
    assert len(digests) == 1 and "daily summary" in digests[0].subject
    assert "Add the flag in the police system" in digests[0].body
    assert send_digests.call() == 0
