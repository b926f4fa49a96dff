"""No lost updates: two saves based on the same version, exactly one wins."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections, transaction

from riskpath.accounts.enums import Role
from riskpath.core.errors import ConcurrentEditError
from riskpath.people import services
from riskpath.people.models import YoungPerson
from tests.factories import YoungPersonFactory


@pytest.mark.django_db
def test_a_stale_save_is_refused_and_changes_nothing(make_user: Any) -> None:
    user = make_user(Role.LEAD_PROFESSIONAL)
    person = YoungPersonFactory(recording_agency=user.agency)
    first = YoungPerson.objects.get(pk=person.pk)
    second = YoungPerson.objects.get(pk=person.pk)
    services.young_person_update(actor=user, person=first, expected_version=1, family_name="One")
    with pytest.raises(ConcurrentEditError, match="Someone else changed"):
        services.young_person_update(
            actor=user, person=second, expected_version=1, family_name="Two"
        )
    stored = YoungPerson.objects.get(pk=person.pk)
    assert (stored.family_name, stored.version) == ("One", 2)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_one_version_exactly_one_wins(make_user: Any) -> None:
    user = make_user(Role.LEAD_PROFESSIONAL)
    person = YoungPersonFactory(recording_agency=user.agency)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(name: str) -> None:
        try:
            copy = YoungPerson.objects.get(pk=person.pk)
            barrier.wait()
            with transaction.atomic():
                services.young_person_update(
                    actor=user, person=copy, expected_version=1, family_name=name
                )
            outcomes.append(f"saved {name}")
        except ConcurrentEditError:
            outcomes.append("told")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(n,)) for n in ("Alpha", "Beta")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[1] == "told" and sorted(outcomes)[0].startswith("saved")
    stored = YoungPerson.objects.get(pk=person.pk)
    assert stored.version == 2
    assert f"saved {stored.family_name}" in outcomes
