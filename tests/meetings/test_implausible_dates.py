"""A meeting dated far from today (year 9999, year 1, a typing slip of decades) is refused
with a 400 naming the date, pages and API alike, and nothing is written. Such dates used to
overflow the working-day arithmetic of the papers and minutes deadlines (a 500)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from riskpath.core import clock
from riskpath.meetings import schedule
from riskpath.meetings.models import Meeting, MeetingStatus
from riskpath.meetings.services import MEETING_YEARS_AHEAD
from tests.api.helpers import errors, fields
from tests.meetings.scenario import Scene, at, next_weekday

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/meetings/"


def send(client: Any, method: str, url: str, data: dict[str, Any]) -> Any:
    return getattr(client, method)(url, data, content_type="application/json")


def last_plausible_day() -> dt.date:
    return dt.date(clock.today().year + MEETING_YEARS_AHEAD, 12, 31)


def one(scene: Scene) -> Meeting:
    return schedule.meeting_schedule_one(
        actor=scene.business_support,
        meeting_type=scene.pimm,
        starts_at=at(next_weekday()),
        send_invitations=False,
    )[0]


@pytest.mark.parametrize(
    "starts_at",
    [
        "9999-12-31T10:00:00Z",
        "9999-12-31T23:59:59-05:00",
        "0001-01-01T10:00:00Z",
        "2062-03-04T10:00:00Z",
    ],
)
def test_the_api_refuses_to_schedule_a_meeting_far_from_today(
    client_for: Any, scene: Scene, starts_at: str
) -> None:
    client = client_for(scene.business_support)
    response = send(
        client, "post", MEETINGS, {"meeting_type": str(scene.pimm.pk), "starts_at": starts_at}
    )
    assert response.status_code == 400
    assert fields(response) == {"starts_at"}
    assert not Meeting.objects.exists()


def test_the_last_plausible_day_is_accepted_and_the_next_refused(
    client_for: Any, scene: Scene
) -> None:
    client = client_for(scene.business_support)
    last = last_plausible_day()
    late = send(
        client,
        "post",
        MEETINGS,
        {
            "meeting_type": str(scene.pimm.pk),
            "starts_at": at(last + dt.timedelta(days=1)).isoformat(),
        },
    )
    assert late.status_code == 400
    [error] = errors(late)
    assert error["field"] == "starts_at"
    assert f"on or before {last:%-d %B %Y}" in error["message"]
    ok = send(
        client,
        "post",
        MEETINGS,
        {
            "meeting_type": str(scene.pimm.pk),
            "starts_at": at(last).isoformat(),
            "send_invitations": False,
        },
    )
    assert ok.status_code == 201, ok.json()


def test_a_series_running_past_the_limit_is_refused_naming_the_count(
    client_for: Any, scene: Scene
) -> None:
    response = send(
        client_for(scene.business_support),
        "post",
        MEETINGS,
        {
            "meeting_type": str(scene.pimm.pk),
            "starts_at": at(next_weekday()).isoformat(),
            "count": 26,
            "rrule": "FREQ=YEARLY",
        },
    )
    assert response.status_code == 400
    assert fields(response) == {"count"}
    assert "schedule fewer meetings" in errors(response)[0]["message"]
    assert not Meeting.objects.exists()


def test_the_api_refuses_to_move_a_meeting_to_year_9999(client_for: Any, scene: Scene) -> None:
    meeting = one(scene)
    response = send(
        client_for(scene.business_support),
        "patch",
        f"{MEETINGS}{meeting.pk}/",
        {"starts_at": "9999-12-31T10:00:00Z", "version": meeting.version},
    )
    assert response.status_code == 400
    assert fields(response) == {"starts_at"}
    before = meeting.starts_at
    meeting.refresh_from_db()
    assert meeting.starts_at == before and meeting.version == 1


def test_the_schedule_page_refuses_year_9999_on_the_date_field(
    client_for: Any, scene: Scene
) -> None:
    response = client_for(scene.business_support).post(
        reverse("meetings:schedule"),
        {
            "meeting_type": str(scene.pimm.pk),
            "starts_on": "31 12 9999",
            "start_time": "10:00",
            "count": "1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#id_starts_on"' in html and "id_starts_on-error" in html
    assert f"must be on or before {last_plausible_day():%-d %B %Y}" in html
    assert not Meeting.objects.exists()


def test_the_move_page_refuses_year_9999_on_the_date_field(client_for: Any, scene: Scene) -> None:
    meeting = one(scene)
    response = client_for(scene.business_support).post(
        reverse("meetings:move", args=[meeting.pk]),
        {"starts_on": "31 12 9999", "start_time": "10:00", "version": 1},
    )
    assert response.status_code == 400
    assert b"id_starts_on-error" in response.content
    meeting.refresh_from_db()
    assert meeting.version == 1


def _stored_in_9999(scene: Scene) -> Meeting:
    """A meeting dated 9999, as one could be stored before dates were checked."""
    meeting = one(scene)
    far = timezone.make_aware(dt.datetime(9999, 12, 31, 10, 0))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=far, ends_at=far)
    return meeting


def test_marking_a_meeting_of_year_9999_held_is_a_400_naming_its_date(
    client_for: Any, scene: Scene
) -> None:
    meeting = _stored_in_9999(scene)
    response = send(
        client_for(scene.business_support),
        "post",
        f"{MEETINGS}{meeting.pk}/held/",
        {"version": meeting.version},
    )
    assert response.status_code == 400
    [error] = errors(response)
    assert error["field"] == "starts_at"
    assert "Move the meeting to the date it was held first" in error["message"]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.minutes_due_on is None


def test_the_held_button_for_a_meeting_of_year_9999_explains_and_changes_nothing(
    client_for: Any, scene: Scene
) -> None:
    meeting = _stored_in_9999(scene)
    client = client_for(scene.business_support)
    response = client.post(
        reverse("meetings:meeting_held", args=[meeting.pk]), {"version": 1}, follow=True
    )
    assert response.status_code == 200
    assert "Move the meeting to the date it was held first" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
