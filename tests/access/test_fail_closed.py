"""Reads fail closed, and every read of personal data leaves an event. Generated from the URL
resolver: every route that can be read (GET), as readers in several relations to the canary
world (``tests.access.world``).

1. With audit writes failing, no route answers with any planted name or canary.
2. With audit working, every route that answers with a planted name or canary has written at
   least one audit event for that request."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client

from riskpath.audit.models import AuditEvent
from tests.access.routes import routes, search_urls, url_for
from tests.access.world import CANARIES, World, build_world
from tests.documents import shown_text

pytestmark = pytest.mark.django_db

# Readers who between them may see every kind of record in the world.
READERS = [
    "lead",
    "social_worker",
    "team_manager",
    "service_manager",
    "consultant",
    "chair",
    "independent_chair",
    "business_support",
    "officer",
    "nurse",
    "area_admin",
]


@pytest.fixture
def world(settings: Any) -> World:
    settings.MEETINGS_PDF_COMPRESS = False
    return build_world()


def _clients(world: World) -> dict[str, Client]:
    clients = {}
    for name in READERS:
        client = Client(raise_request_exception=False)
        client.force_login(world.users[name])
        clients[name] = client
    return clients


def _leaks(text: str) -> list[str]:
    return [what for what, canary in CANARIES.items() if canary in text]


def test_with_audit_failing_no_route_returns_personal_data(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    clients = _clients(world)  # signed in before the audit store goes down

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("the audit store is unavailable")

    monkeypatch.setattr(AuditEvent, "save", refuse)
    found: list[str] = []
    checked = 0
    urls = {name: url_for(name, params, world) for name, params in routes()}
    urls.update(search_urls())
    for name, url in urls.items():
        for reader, client in clients.items():
            response = client.get(url)
            checked += 1
            leaked = _leaks(shown_text(response))
            if leaked:
                found.append(f"{name} as {reader} ({response.status_code}): {', '.join(leaked)}")
    assert checked > 1000
    assert not found, "Personal data returned while the audit log could not be written:\n" + (
        "\n".join(found)
    )


def test_every_route_that_shows_personal_data_records_the_read(world: World) -> None:
    clients = _clients(world)
    found: list[str] = []
    shown = 0
    urls = {name: url_for(name, params, world) for name, params in routes()}
    urls.update(search_urls())
    for name, url in urls.items():
        for reader, client in clients.items():
            last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = client.get(url)
            leaked = _leaks(shown_text(response))
            if not leaked:
                continue
            shown += 1
            user = world.users[reader]
            if not AuditEvent.objects.filter(id__gt=last, actor=user).exists():
                found.append(f"{name} as {reader}: showed {', '.join(leaked)} with no event")
    assert shown > 100  # the world is seen somewhere: the walk is not vacuous
    assert not found, "Reads of personal data that left no audit event:\n" + "\n".join(found)
