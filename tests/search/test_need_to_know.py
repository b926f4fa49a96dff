"""Need-to-know, for the search: in the canary world (``tests.access.world``), every reader
searches for every planted name (misspelt, so that what was typed is not itself a canary);
afterwards the audit log — its page, CSV export and API, as the area administrator, and the
stored events themselves — holds none of the canaries nor what was typed. The search page and
API are also walked with every other route by ``tests/access/test_need_to_know.py`` (the
matrix and the canaries) and ``test_fail_closed.py``."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from tests.access.routes import SEARCHES, search_urls
from tests.access.world import CANARIES, build_world
from tests.documents import shown_text

pytestmark = pytest.mark.django_db


def test_searches_leave_no_canary_or_query_text_in_the_audit_log() -> None:
    world = build_world()
    readers = {**world.users, "stranger": world.stranger}
    for user in readers.values():
        client = Client()
        client.force_login(user)
        for url in search_urls().values():
            assert client.get(url).status_code in (200, 403)
    searched = AuditEvent.objects.filter(verb=Verb.SEARCHED)
    assert searched.count() >= len(SEARCHES) * 2 * 10  # every practitioner, page and API

    stored = " ".join(str(e.changes) + e.target_label + e.subject_label for e in searched)
    typed = [text.lower() for text in SEARCHES.values()]
    assert not [c for c in CANARIES.values() if c in stored]
    assert not [t for t in typed if t in stored.lower()]

    admin = Client()
    admin.force_login(world.users["area_admin"])
    for url in [reverse("audit:log"), reverse("audit:export"), reverse("api:audit_event_list")]:
        response = admin.get(url, {"verb": Verb.SEARCHED})
        assert response.status_code == 200, url
        text = shown_text(response)
        leaked = [what for what, canary in CANARIES.items() if canary in text]
        assert not leaked, f"{url}: {leaked}"
        assert not [t for t in typed if t in text.lower()], url


def test_the_counts_are_of_what_the_reader_may_open(client_for: Any) -> None:
    world = build_world()
    url = search_urls()["api:search subject"]
    counts = {}
    for name in ["lead", "teacher", "officer", "panel"]:
        body = client_for(world.users[name]).get(url).json()
        young = next(k for k in body["kinds"] if k["kind"] == "young_person")
        counts[name] = (young["count"], young["withheld"])
    assert counts == {
        "lead": (1, 0),  # opens the subject
        "teacher": (0, 1),  # may know a record exists, sees nothing of it
        "officer": (0, 1),
        "panel": (0, 0),  # records nothing: not even told
    }
