"""Area closure days: the service, the page, the API, and the deadlines that skip them.

Today is fixed at Sunday 22 November 2026 so that the date checks (no later than the end of
the third calendar year ahead, no earlier than the start of last year) do not move with the
real date."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Area, ClosureDay, User
from riskpath.administration import services
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import clock, workdays
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.meetings import services as meeting_services
from tests.api.helpers import create_token, errors, fields, service_account
from tests.factories import AgencyFactory, AreaFactory, UserFactory
from tests.meetings.scenario import at, build_scene

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)
DEC_29 = dt.date(2026, 12, 29)
DEC_30 = dt.date(2026, 12, 30)
PAGE = "administration:closure_days"
API = "/api/v1/area/closure-days/"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def stranger_admin() -> User:
    """An area administrator of a different area."""
    return UserFactory(agency=AgencyFactory(area=AreaFactory()), roles=[Role.AREA_ADMINISTRATOR])


def events(verb: Verb) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb))


def html(response: Any) -> str:
    return response.content.decode()


def error_summary(response: Any) -> str:
    page = html(response)
    assert 'class="govuk-error-summary"' in page, "no error summary on the page"
    start = page.index('class="govuk-error-summary"')
    return page[start : page.index("</ul>", start)]


# ---------------------------------------------------------------------------------------------
# The working-day calendar of an area
# ---------------------------------------------------------------------------------------------


def test_for_area_reads_the_areas_closure_days_in_one_query(
    area: Area, area_admin: User, django_assert_num_queries: Any
) -> None:
    services.closure_day_add(actor=area_admin, area=area, date=DEC_29, reason="Office closed")
    services.closure_day_add(actor=area_admin, area=area, date=DEC_30)
    ClosureDay.objects.create(area=AreaFactory(), date=dt.date(2026, 12, 31), created_by=area_admin)
    with django_assert_num_queries(1):
        calendar = workdays.for_area(area)
    assert calendar.closures == frozenset({DEC_29, DEC_30})
    assert calendar.calendar == "england-and-wales"
    assert not calendar.is_working_day(DEC_29)
    assert calendar.is_working_day(dt.date(2026, 12, 31))  # the other area's closure day
    assert calendar.closure_name(DEC_30) == "Area closure day"


def test_for_area_of_an_unsaved_area_has_no_closure_days() -> None:
    calendar = workdays.for_area(Area(name="New", calendar="isle-of-man"))
    assert calendar.closures == frozenset()
    assert calendar.calendar == "isle-of-man"


# ---------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------


def test_adding_a_closure_day_is_audited(area: Area, area_admin: User) -> None:
    closure_day = services.closure_day_add(
        actor=area_admin, area=area, date=DEC_29, reason="  Christmas closure  "
    )
    assert (closure_day.area_id, closure_day.date, closure_day.reason) == (
        area.pk,
        DEC_29,
        "Christmas closure",
    )
    assert closure_day.created_by_id == area_admin.pk
    (event,) = events(Verb.CLOSURE_DAY_ADDED)
    assert event.actor_id == area_admin.pk
    assert event.area_id == area.pk
    assert event.target_id == str(closure_day.pk)
    assert event.changes == {
        "date": {"before": None, "after": "2026-12-29"},
        "reason": {"before": None, "after": "Christmas closure"},
    }


def test_removing_a_closure_day_deletes_it_and_audits_its_date_and_reason(
    area: Area, area_admin: User
) -> None:
    closure_day = services.closure_day_add(actor=area_admin, area=area, date=DEC_29, reason="Shut")
    pk = closure_day.pk
    services.closure_day_remove(actor=area_admin, closure_day=closure_day)
    assert not ClosureDay.objects.filter(pk=pk).exists()
    (event,) = events(Verb.CLOSURE_DAY_REMOVED)
    assert event.actor_id == area_admin.pk
    assert event.area_id == area.pk
    assert event.target_id == str(pk)
    assert event.changes == {
        "date": {"before": "2026-12-29", "after": None},
        "reason": {"before": "Shut", "after": None},
    }


def test_only_an_administrator_of_the_area_may_add_or_remove(
    area: Area, area_admin: User, make_user: Any, stranger_admin: User
) -> None:
    for actor in (make_user(Role.SERVICE_MANAGER, Role.ADMINISTRATOR), stranger_admin):
        with pytest.raises(NotPermitted):
            services.closure_day_add(actor=actor, area=area, date=DEC_29)
    closure_day = services.closure_day_add(actor=area_admin, area=area, date=DEC_30)
    with pytest.raises(NotPermitted):
        services.closure_day_remove(actor=stranger_admin, closure_day=closure_day)
    assert list(ClosureDay.objects.values_list("date", flat=True)) == [DEC_30]
    assert len(events(Verb.CLOSURE_DAY_ADDED)) == 1
    assert not events(Verb.CLOSURE_DAY_REMOVED)


@pytest.mark.parametrize(
    "date,reason,field,message",
    [
        (None, "", "date", "Enter the date of the closure day"),
        (dt.date(2030, 1, 1), "", "date", "on or before 31 December 2029"),
        (dt.date(2024, 12, 31), "", "date", "on or after 1 January 2025"),
        (dt.date(26, 12, 29), "", "date", "on or after 1 January 2025"),
        (DEC_29, "x" * 201, "reason", "200 characters or fewer"),
    ],
)
def test_bad_closure_days_are_refused_by_field(
    area: Area, area_admin: User, date: Any, reason: str, field: str, message: str
) -> None:
    with pytest.raises(FieldErrors) as refused:
        services.closure_day_add(actor=area_admin, area=area, date=date, reason=reason)
    assert set(refused.value.errors) == {field}
    assert message in refused.value.errors[field]
    assert not ClosureDay.objects.exists()
    assert not events(Verb.CLOSURE_DAY_ADDED)


def test_the_edges_of_the_allowed_range_are_accepted(area: Area, area_admin: User) -> None:
    services.closure_day_add(actor=area_admin, area=area, date=dt.date(2029, 12, 31))
    services.closure_day_add(actor=area_admin, area=area, date=dt.date(2025, 1, 1))
    services.closure_day_add(actor=area_admin, area=area, date=dt.date(2026, 12, 26))  # Sat
    services.closure_day_add(actor=area_admin, area=area, date=DEC_29, reason="x" * 200)
    assert ClosureDay.objects.filter(area=area).count() == 4


def test_a_day_is_a_closure_day_only_once_per_area(
    area: Area, area_admin: User, stranger_admin: User
) -> None:
    services.closure_day_add(actor=area_admin, area=area, date=DEC_29)
    with pytest.raises(FieldErrors) as refused:
        services.closure_day_add(actor=area_admin, area=area, date=DEC_29)
    assert refused.value.errors == {"date": "29 December 2026 is already a closure day"}
    # Another area may close on the same day.
    services.closure_day_add(actor=stranger_admin, area=stranger_admin.area, date=DEC_29)
    assert ClosureDay.objects.filter(date=DEC_29).count() == 2


# ---------------------------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------------------------


def test_minutes_and_papers_deadlines_skip_a_closure_day(area: Area) -> None:
    scene = build_scene(area)
    # A PIMM (minutes due 5 working days after) on Wednesday 23 December 2026.
    meeting = meeting_services.meeting_schedule(
        actor=scene.business_support, meeting_type=scene.pimm, starts_at=at(dt.date(2026, 12, 23))
    )
    # 24, 29, 30, 31 December and 4 January (25 and 28 are bank holidays).
    assert meeting_services.minutes_due_on(meeting) == dt.date(2027, 1, 4)
    services.closure_day_add(actor=scene.area_admin, area=area, date=DEC_29, reason="Closed")
    assert meeting_services.minutes_due_on(meeting) == dt.date(2027, 1, 5)
    scene.pimm.papers_working_days = 3
    meeting_day = at(dt.date(2027, 1, 5))
    # Back from 5 January: 4 January, 31 and 30 December (29 is closed).
    assert meeting_services.papers_due_on(scene.pimm, meeting_day) == DEC_30


def test_a_meeting_on_a_closure_day_is_flagged(area: Area) -> None:
    scene = build_scene(area)
    services.closure_day_add(actor=scene.area_admin, area=area, date=DEC_29)
    assert meeting_services.holiday_on(area, at(DEC_29)) == "Area closure day"
    assert meeting_services.holiday_on(area, at(dt.date(2026, 12, 25))) == "Christmas Day"
    assert meeting_services.holiday_on(area, at(DEC_30)) == ""
    meeting = meeting_services.meeting_schedule(
        actor=scene.business_support, meeting_type=scene.pimm, starts_at=at(DEC_29)
    )
    assert meeting.holiday == "Area closure day"


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


def test_the_page_lists_the_areas_closure_days(
    client_for: Any, area_admin: User, area: Area, stranger_admin: User
) -> None:
    services.closure_day_add(actor=area_admin, area=area, date=DEC_29, reason="Christmas closure")
    services.closure_day_add(
        actor=stranger_admin, area=stranger_admin.area, date=DEC_30, reason="Elsewhere"
    )
    response = client_for(area_admin).get(reverse(PAGE))
    assert response.status_code == 200
    page = html(response)
    assert "Tuesday 29 December 2026" in page
    assert "Christmas closure" in page
    assert "Elsewhere" not in page
    assert 'name="date"' in page


def test_the_area_settings_page_links_to_the_closure_days(
    client_for: Any, area_admin: User
) -> None:
    response = client_for(area_admin).get(reverse("administration:area_settings"))
    assert f'href="{reverse(PAGE)}"' in html(response)


def test_a_closure_day_is_added_through_the_page(
    client_for: Any, area_admin: User, area: Area
) -> None:
    client = client_for(area_admin)
    response = client.post(reverse(PAGE), {"date": "29 12 2026", "reason": "Offices closed"})
    assert response.status_code == 302
    assert response["Location"] == reverse(PAGE)
    (closure_day,) = ClosureDay.objects.filter(area=area)
    assert (closure_day.date, closure_day.reason) == (DEC_29, "Offices closed")
    assert len(events(Verb.CLOSURE_DAY_ADDED)) == 1
    assert "29 December 2026 is now a closure day" in html(client.get(reverse(PAGE)))


@pytest.mark.parametrize(
    "data,field",
    [
        ({"date": "", "reason": "Closed"}, "date"),
        ({"date": "31 2 2026"}, "date"),
        ({"date": "29 12 2062"}, "date"),
        ({"date": "29 12 2026", "reason": "x" * 201}, "reason"),
    ],
)
def test_bad_input_shows_the_error_summary_and_changes_nothing(
    client_for: Any, area_admin: User, data: dict[str, str], field: str
) -> None:
    response = client_for(area_admin).post(reverse(PAGE), data)
    assert response.status_code == 400
    assert f'href="#id_{field}"' in error_summary(response)
    assert not ClosureDay.objects.exists()
    assert not events(Verb.CLOSURE_DAY_ADDED)


def test_a_duplicate_is_named_in_the_error_summary(
    client_for: Any, area_admin: User, area: Area
) -> None:
    services.closure_day_add(actor=area_admin, area=area, date=DEC_29)
    response = client_for(area_admin).post(reverse(PAGE), {"date": "29/12/2026"})
    assert response.status_code == 400
    assert "29 December 2026 is already a closure day" in error_summary(response)
    assert ClosureDay.objects.count() == 1


def test_a_closure_day_is_removed_through_the_page(
    client_for: Any, area_admin: User, area: Area
) -> None:
    closure_day = services.closure_day_add(actor=area_admin, area=area, date=DEC_29)
    url = reverse("administration:closure_day_remove", args=[closure_day.pk])
    client = client_for(area_admin)
    assert client.get(url).status_code == 405  # removing is a POST only
    response = client.post(url)
    assert response.status_code == 302
    assert not ClosureDay.objects.exists()
    assert len(events(Verb.CLOSURE_DAY_REMOVED)) == 1
    assert client.post(url).status_code == 404  # already gone


def test_another_areas_closure_day_cannot_be_removed(
    client_for: Any, area_admin: User, stranger_admin: User
) -> None:
    theirs = services.closure_day_add(actor=stranger_admin, area=stranger_admin.area, date=DEC_29)
    response = client_for(area_admin).post(
        reverse("administration:closure_day_remove", args=[theirs.pk])
    )
    assert response.status_code == 404
    assert ClosureDay.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("url_name", [PAGE, "administration:closure_day_remove"])
def test_practitioners_are_refused_the_closure_day_pages(
    client_for: Any, make_user: Any, area: Area, area_admin: User, url_name: str
) -> None:
    closure_day = services.closure_day_add(actor=area_admin, area=area, date=DEC_29)
    url = reverse(url_name, args=[closure_day.pk] if url_name != PAGE else [])
    client = client_for(make_user(Role.SERVICE_MANAGER, Role.ADMINISTRATOR))
    assert client.get(url).status_code == 403
    assert client.post(url, {"date": "30 12 2026"}).status_code == 403
    assert list(ClosureDay.objects.values_list("date", flat=True)) == [DEC_29]


# ---------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------


def send(client: Any, method: str, url: str, body: Any = None) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def api_for(user: User) -> Client:
    """A bearer-token client for a service account (as in tests/api)."""
    return Client(headers={"Authorization": f"Bearer {create_token(user)}"})


@pytest.fixture
def admin_api(agency: Any) -> Client:
    return api_for(service_account(agency, Role.AREA_ADMINISTRATOR))


def test_the_api_lists_adds_and_removes(admin_api: Any, area: Area, stranger_admin: User) -> None:
    services.closure_day_add(actor=stranger_admin, area=stranger_admin.area, date=DEC_30)
    created = send(admin_api, "post", API, {"date": "2026-12-29", "reason": "Christmas closure"})
    assert created.status_code == 201
    body = created.json()
    assert (body["date"], body["reason"]) == ("2026-12-29", "Christmas closure")
    assert ClosureDay.objects.get(pk=body["id"]).area_id == area.pk
    listed = admin_api.get(API)
    assert listed.status_code == 200
    assert [(d["id"], d["date"]) for d in listed.json()] == [(body["id"], "2026-12-29")]
    removed = admin_api.delete(f"{API}{body['id']}/")
    assert removed.status_code == 204
    assert admin_api.get(API).json() == []
    assert len(events(Verb.CLOSURE_DAY_ADDED)) == 2  # one through the API, one above
    assert len(events(Verb.CLOSURE_DAY_REMOVED)) == 1


def test_the_api_refuses_bad_input_with_the_field(admin_api: Any, area: Area) -> None:
    missing = send(admin_api, "post", API, {"reason": "No date"})
    assert missing.status_code == 400
    assert fields(missing) == {"date"}
    too_far = send(admin_api, "post", API, {"date": "2062-12-29"})
    assert too_far.status_code == 400
    assert fields(too_far) == {"date"}
    assert send(admin_api, "post", API, {"date": "2026-12-29"}).status_code == 201
    duplicate = send(admin_api, "post", API, {"date": "2026-12-29"})
    assert duplicate.status_code == 400
    assert fields(duplicate) == {"date"}
    assert ClosureDay.objects.count() == 1


def test_the_api_refuses_non_administrators(agency: Any, area: Area, area_admin: User) -> None:
    closure_day = services.closure_day_add(actor=area_admin, area=area, date=DEC_29)
    client = api_for(service_account(agency, Role.SERVICE_MANAGER))
    for response in (
        client.get(API),
        send(client, "post", API, {"date": "2026-12-30"}),
        client.delete(f"{API}{closure_day.pk}/"),
    ):
        assert response.status_code == 403
        errors(response)
    assert list(ClosureDay.objects.values_list("date", flat=True)) == [DEC_29]


def test_the_api_cannot_remove_another_areas_closure_day(
    admin_api: Any, stranger_admin: User
) -> None:
    theirs = services.closure_day_add(actor=stranger_admin, area=stranger_admin.area, date=DEC_29)
    response = admin_api.delete(f"{API}{theirs.pk}/")
    assert response.status_code == 404
    errors(response)
    assert ClosureDay.objects.filter(pk=theirs.pk).exists()


def test_the_closure_days_are_in_the_openapi_document(client_for: Any, make_user: Any) -> None:
    response = client_for(make_user(Role.CHAIR)).get("/api/v1/openapi.json")
    paths = json.loads(response.content)["paths"]
    assert {"get", "post"} <= set(paths[API])
    detail = next(p for p in paths if p.startswith(f"{API}{{"))
    assert "delete" in paths[detail]
