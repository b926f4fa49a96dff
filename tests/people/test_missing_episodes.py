"""Missing episodes: the date rules, who may record them, and the young person's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import ConcurrentEditError, FieldErrors, NotPermitted
from riskpath.people import services
from riskpath.people.enums import EpisodeKind
from riskpath.people.models import MissingEpisode
from tests.people.factories import MissingEpisodeFactory
from tests.people.scenario import AuditWatch, Scene

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


def at(hours_ago: float) -> dt.datetime:
    return (clock.now() - dt.timedelta(hours=hours_ago)).replace(second=0, microsecond=0)


def typed(moment: dt.datetime) -> str:
    """As a user types it: local time, to the minute."""
    return timezone.localtime(moment).strftime("%d %m %Y %H:%M")


def test_an_episode_is_recorded_with_its_return_and_interview(scene: Scene) -> None:
    watch = AuditWatch()
    episode = services.missing_episode_record(
        actor=scene.colleague,
        young_person=scene.person,
        kind=EpisodeKind.ABSENT,
        reported_at=at(30),
        returned_at=at(20),
        where_found="Bus station",
        interview_offered=True,
        interview_done_at=at(2),
        interview_by="Return worker, BASE",
    )
    assert episode.kind == "absent"
    assert episode.reporting_agency_id == scene.colleague.agency_id
    (event,) = watch.new()
    assert (event.verb, event.subject_id) == (Verb.MISSING_RECORDED, str(scene.person.pk))
    assert event.changes["where_found"] == {"before": None, "after": "Bus station"}


@pytest.mark.parametrize(
    "values,field",
    [
        ({"reported_at": None}, "reported_at"),
        ({"reported_at": "future"}, "reported_at"),
        ({"returned_at": "before reported"}, "returned_at"),
        ({"where_found": "Park", "returned_at": None}, "returned_at"),
        ({"interview_done_at": "before return"}, "interview_done_at"),
        ({"returned_at": None, "interview_done_at": "any"}, "interview_done_at"),
        ({"interview_offered": False}, "interview_offered"),
        ({"interview_by": ""}, "interview_by"),
        ({"kind": "gone"}, "kind"),
    ],
)
def test_the_date_rules(scene: Scene, values: dict[str, Any], field: str) -> None:
    good: dict[str, Any] = {
        "kind": EpisodeKind.MISSING,
        "reported_at": at(30),
        "returned_at": at(20),
        "where_found": "",
        "interview_offered": True,
        "interview_done_at": at(10),
        "interview_by": "Someone",
    }
    good.update(values)
    replacements = {
        "future": clock.now() + HOUR,
        "before reported": at(31),
        "before return": at(21),
        "any": at(1),
    }
    good = {k: replacements.get(v, v) if isinstance(v, str) else v for k, v in good.items()}
    watch = AuditWatch()
    with pytest.raises(FieldErrors) as exc:
        services.missing_episode_record(actor=scene.colleague, young_person=scene.person, **good)
    assert field in exc.value.errors
    assert not MissingEpisode.objects.exists()
    assert watch.new() == []


def test_the_return_may_be_at_the_time_reported_and_the_interview_at_the_return(
    scene: Scene,
) -> None:
    moment = at(5)
    episode = services.missing_episode_record(
        actor=scene.colleague,
        young_person=scene.person,
        reported_at=moment,
        returned_at=moment,
        interview_offered=True,
        interview_done_at=moment,
        interview_by="Duty worker",
    )
    assert episode.returned_at == episode.interview_done_at == moment


def test_recording_needs_an_access_basis_to_the_young_person(scene: Scene) -> None:
    # A partner representative with no involvement passes the rule but has no basis.
    with pytest.raises(NotPermitted):
        services.missing_episode_record(
            actor=scene.partner, young_person=scene.person, reported_at=at(3)
        )
    assert not MissingEpisode.objects.exists()


def test_an_update_is_versioned_and_keeps_the_rules(scene: Scene) -> None:
    episode = services.missing_episode_record(
        actor=scene.colleague, young_person=scene.person, reported_at=at(30)
    )
    with pytest.raises(FieldErrors) as exc:
        services.missing_episode_update(
            actor=scene.colleague, episode=episode, expected_version=1, returned_at=at(40)
        )
    assert set(exc.value.errors) == {"returned_at"}
    watch = AuditWatch()
    services.missing_episode_update(
        actor=scene.colleague, episode=episode, expected_version=1, returned_at=at(2)
    )
    (event,) = watch.new()
    assert event.verb == Verb.MISSING_UPDATED and set(event.changes) == {"returned_at"}
    stale = MissingEpisode.objects.get(pk=episode.pk)
    stale.version = 1
    with pytest.raises(ConcurrentEditError):
        services.missing_episode_update(
            actor=scene.colleague, episode=stale, expected_version=1, where_found="Home"
        )


# --- pages -----------------------------------------------------------------------------------


def test_episodes_are_listed_on_the_young_persons_page_newest_first(
    client_for: Any, scene: Scene
) -> None:
    MissingEpisodeFactory(young_person=scene.person, reported_at=at(24 * 40), where_found="Older")
    MissingEpisodeFactory(young_person=scene.person, reported_at=at(24 * 2), where_found="Newer")
    page = client_for(scene.colleague).get(reverse("people:detail", args=[scene.person.pk]))
    text = page.content.decode()
    assert text.index("Newer") < text.index("Older")
    assert "2 episodes, newest first" in text


def test_recording_through_the_page(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.colleague)
    url = reverse("people:missing_create", args=[scene.person.pk])
    assert client.get(url).status_code == 200
    reported_text = typed(at(48))
    bad = client.post(
        url,
        {
            "kind": "missing",
            "reported_at": reported_text,
            "returned_at": typed(at(72)),
        },
    )
    assert bad.status_code == 400
    assert "The time of return must be after the time reported" in bad.content.decode()
    assert not MissingEpisode.objects.exists()
    watch = AuditWatch()
    response = client.post(url, {"kind": "absent", "reported_at": reported_text})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[scene.person.pk])
    assert watch.verbs() == [Verb.MISSING_RECORDED]
    assert MissingEpisode.objects.get().kind == "absent"


def test_pages_refuse_users_without_a_basis_or_in_another_area(
    client_for: Any, scene: Scene
) -> None:
    episode = MissingEpisodeFactory(young_person=scene.person)
    # no involvement, and cannot break glass: not found
    assert (
        client_for(scene.partner)
        .get(reverse("people:missing_create", args=[scene.person.pk]))
        .status_code
        == 404
    )
    edit = reverse("people:missing_edit", args=[scene.person.pk, episode.pk])
    assert client_for(scene.partner).get(edit).status_code == 404
    assert client_for(scene.stranger).get(edit).status_code == 404
    far = MissingEpisodeFactory(young_person=scene.other_area_person)
    far_url = reverse("people:missing_edit", args=[scene.other_area_person.pk, far.pk])
    assert client_for(scene.colleague).get(far_url).status_code == 404


def test_editing_through_the_page_with_a_stale_version_is_409(
    client_for: Any, scene: Scene
) -> None:
    episode = MissingEpisodeFactory(young_person=scene.person, reported_at=at(50))
    client = client_for(scene.colleague)
    url = reverse("people:missing_edit", args=[scene.person.pk, episode.pk])
    assert client.get(url).status_code == 200
    data = {
        "kind": "missing",
        "reported_at": typed(episode.reported_at),
        "where_found": "Friend's flat",
        "returned_at": typed(at(1)),
        "version": 1,
    }
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "where_found": "Elsewhere"})
    assert stale.status_code == 409
    episode.refresh_from_db()
    assert episode.where_found == "Friend's flat"
