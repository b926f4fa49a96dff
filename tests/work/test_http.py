"""The work list and notifications through HTTP and the API: the home page, filters, the count
in the navigation, marking read, the e-mail preference; and need-to-know (no one sees another's
work or notifications)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.notifications.models import Delivery, Notification, Preference
from tests.pathway.scenario import Pathway, act, to_plan


def test_after_the_route_is_recorded_the_service_managers_home_holds_agree_the_route(
    p: Pathway, client_for: Any
) -> None:
    episode = p.open_under_18()
    started = episode.strategy_discussion_date
    act(p.social_worker, episode, "record_s47_outcome", threshold_met=True, recorded_on=started)
    act(p.team_manager, episode, "record_route", route="rmp", recorded_on=started)

    client = client_for(p.service_manager)
    page = client.get(reverse("web:home"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Service manager to agree the route" in html
    assert reverse("pathway:detail", args=[episode.pk]) in html
    assert 'class="govuk-tag govuk-tag--red riskpath-nav-count"' in html  # notifications

    api = client.get(reverse("api:my_work")).json()
    assert api["count"] == 1
    item = api["results"][0]
    assert item["kind"] == "pathway_step" and item["title"] == "Service manager to agree the route"
    assert item["object"] == {"type": "pathway.episode", "id": str(episode.pk)}
    assert item["url"] == reverse("pathway:detail", args=[episode.pk])
    assert item["overdue"] is False and item["whose"] == "mine"
    assert (
        AuditEvent.objects.filter(verb=Verb.WORK_LISTED, actor_id=p.service_manager.pk).count() == 2
    )


def test_after_the_plan_is_agreed_the_police_partner_has_the_flag(
    p: Pathway, client_for: Any
) -> None:
    to_plan(p)
    client = client_for(p.officer)
    api = client.get(reverse("api:my_work"), {"kind": "partner_task"}).json()
    assert [i["title"] for i in api["results"]] == ["Add the flag in the police system"]
    html = client.get(reverse("web:home"), {"kind": "partner_task"}).content.decode()
    assert "Add the flag in the police system" in html and "Partner-system tasks (1)" in html
    bad = client.get(reverse("api:my_work"), {"kind": "nonsense"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "kind"


def test_a_partner_with_no_part_sees_none_of_it(p: Pathway, client_for: Any) -> None:
    to_plan(p)
    for user in (p.teacher, p.stranger):
        client = client_for(user)
        assert client.get(reverse("api:my_work")).json()["count"] == 0
        html = client.get(reverse("web:home")).content.decode()
        assert p.child.family_name not in html
        assert client.get(reverse("api:my_notifications")).json()["count"] == 0


def test_notifications_are_listed_marked_read_and_only_ones_own(
    p: Pathway, client_for: Any
) -> None:
    to_plan(p)
    mine = Notification.objects.filter(recipient=p.officer)
    assert mine.count() == 1
    other = Notification.objects.filter(recipient=p.nurse).get()
    client = client_for(p.officer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Your turn: Add the flag in the police system" in page
    assert "Add the flag in the health system" not in page
    api = client.get(reverse("api:my_notifications"), {"unread": "true"}).json()
    assert api["count"] == 1 and api["results"][0]["kind"] == "your_turn"

    # Another's notification is not the officer's to mark.
    refused = client.post(
        reverse("api:my_notifications_read"),
        {"ids": [str(other.pk)]},
        content_type="application/json",
    )
    assert refused.json() == {"marked": 0}
    other.refresh_from_db()
    assert other.read_at is None
    empty = client.post(reverse("api:my_notifications_read"), {}, content_type="application/json")
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "ids"
    done = client.post(
        reverse("api:my_notifications_read"), {"all": True}, content_type="application/json"
    )
    assert done.json() == {"marked": 1}
    assert client.get(reverse("api:my_notifications"), {"unread": "1"}).json()["count"] == 0

    # The page's own button, and a malformed id changes nothing.
    n = Notification.objects.create(recipient=p.officer, kind="action", title="T", url="/", key="z")
    assert client.post(reverse("notifications:mark_read"), {"id": "nope"}).status_code == 302
    n.refresh_from_db()
    assert n.read_at is None
    client.post(reverse("notifications:mark_read"), {"id": str(n.pk)})
    n.refresh_from_db()
    assert n.read_at is not None


def test_the_email_preference(p: Pathway, client_for: Any) -> None:
    client = client_for(p.officer)
    url = reverse("notifications:preference")
    assert "Straight away" in client.get(url).content.decode()
    bad = client.post(url, {"delivery": "hourly"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()
    assert not Preference.objects.exists()
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"delivery": "digest"}).status_code == 302
    assert Preference.objects.get(user=p.officer).delivery == Delivery.DIGEST
    event = AuditEvent.objects.get(verb=Verb.NOTIFICATION_PREFERENCE_CHANGED)
    assert event.changes["delivery"] == ["immediate", "digest"]


def test_the_openapi_document_describes_the_new_endpoints(p: Pathway, client_for: Any) -> None:
    schema = client_for(p.officer).get(reverse("api:openapi")).json()
    for path in ("/api/v1/me/work/", "/api/v1/me/notifications/", "/api/v1/me/notifications/read/"):
        assert path in schema["paths"], path
