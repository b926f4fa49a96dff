"""The pathway's API: a care leaver episode from the care leavers safeguarding meeting to its
ending through the endpoints alone, each kind of refusal, the listing and timeliness reads,
and the OpenAPI document (one operation per action, no drf-spectacular warnings)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import clock, workdays
from riskpath.pathway import machine
from riskpath.pathway.models import Episode, EpisodeStatus, Flag, Marmm
from tests.api.helpers import errors, fields
from tests.factories import UserFactory
from tests.pathway.scenario import Pathway, act, to_marmm, to_plan, working_days_ago

S = EpisodeStatus
LIST = "/api/v1/episodes/"
TIMELINESS = "/api/v1/episodes/timeliness/"
OPENAPI = "/api/v1/openapi.json"


def detail(episode_id: Any) -> str:
    return f"{LIST}{episode_id}/"


def step(episode_id: Any, action: str) -> str:
    return f"{LIST}{episode_id}/{action}/"


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def take(client: Any, episode: dict[str, Any], action: str, **body: Any) -> dict[str, Any]:
    """Take ``action`` from the episode's current version; the step must succeed."""
    response = post(client, step(episode["id"], action), {**body, "version": episode["version"]})
    assert response.status_code == 200, (action, response.json())
    return response.json()


def iso(day: dt.date) -> str:
    return day.isoformat()


# ---------------------------------------------------------------------------------------------
# A care leaver episode, end to end
# ---------------------------------------------------------------------------------------------


def test_a_care_leaver_episode_through_the_api(p: Pathway, client_for: Any) -> None:
    calendar = workdays.for_area(p.area)
    today = clock.today()
    met = working_days_ago(p.area, 20)
    held = working_days_ago(p.area, 12)
    manager, chair = client_for(p.team_manager), client_for(p.chair)

    created = post(
        manager,
        LIST,
        {
            "young_person": str(p.care_leaver.pk),
            "kind": "care_leaver",
            "care_leavers_meeting_date": iso(met),
            "social_worker": str(p.social_worker.pk),
            "team": "Leaving care",
        },
    )
    assert created.status_code == 201, created.json()
    ep = created.json()
    assert ep["status"] == S.AWAITING_CARE_LEAVERS_DECISION
    assert ep["kind"] == "care_leaver" and ep["route"] is None
    assert ep["care_leavers_meeting_date"] == iso(met) and ep["strategy_discussion_date"] is None
    assert ep["marmm_due"] is None and ep["minutes_due"] is None
    assert ep["social_worker"] == str(p.social_worker.pk)
    assert ep["team_manager"] == str(p.team_manager.pk)
    assert ep["available_actions"] == ["record_care_leavers_decisions"]
    assert [h["action"] for h in ep["history"]] == ["open"]

    ep = take(
        manager,
        ep,
        "record_care_leavers_decisions",
        immediate_actions="Safety plan agreed with the young person",
        disruption_opportunities="Licensing visit to the flat",
        follow_pathway=True,
        adult_safeguarding_referral=True,
    )
    assert ep["status"] == S.AWAITING_MARMM
    assert ep["marmm_due"] == iso(calendar.add(met, 15))
    assert ep["next_steps"][0]["key"] == "initial_marmm"

    ep = take(
        chair, ep, "record_marmm", held_on=iso(held), chair=str(p.chair.pk), family_attended=True
    )
    assert ep["status"] == S.PLAN_TO_AGREE
    assert ep["last_marmm_on"] == iso(held)
    assert ep["minutes_due"] == iso(calendar.add(held, 2))
    assert ep["next_review_due"] == iso(held + dt.timedelta(weeks=12))
    assert [(m["kind"], m["held_on"], m["chair"]) for m in ep["marmms"]] == [
        ("initial", iso(held), str(p.chair.pk))
    ]

    due_on = today + dt.timedelta(days=30)
    ep = take(
        chair,
        ep,
        "add_plan_action",
        section="disruption",
        description="Police visit the known address weekly",
        owner_agency=str(p.police.pk),
        due_on=iso(due_on),
    )
    assert [
        (a["section"], a["description"], a["owner_agency"], a["due_on"]) for a in ep["plan_actions"]
    ] == [("disruption", "Police visit the known address weekly", str(p.police.pk), iso(due_on))]

    ep = take(
        chair,
        ep,
        "answer_plan_questions",
        trigger_plan_needed=False,
        nrm_needed=True,
        nrm_referrer_agency=str(p.police.pk),
    )
    assert ep["trigger_plan_needed"] is False and ep["nrm_needed"] is True
    assert ep["nrm_referrer_agency"] == str(p.police.pk)
    assert ep["nrm_referral_date"] is None and ep["nrm_reasonable_grounds"] is None

    ep = take(chair, ep, "agree_plan", agreed_on=iso(held))
    assert ep["status"] == S.PLAN_IN_PLACE and ep["plan_agreed_on"] == iso(held)
    flags_due = calendar.add(held, 5)
    assert sorted(f["system"] for f in ep["flags"]) == ["health", "police", "social_care"]
    for flag in ep["flags"]:
        assert flag["purpose"] == "set" and flag["due_on"] == iso(flags_due)
        assert flag["state"] == "overdue" and flag["confirmed_on"] is None  # due 7 days ago

    ep = take(
        client_for(p.business_support),
        ep,
        "record_minutes_circulated",
        circulated_on=iso(held),
        filed=True,
    )
    assert ep["minutes_due"] is None
    assert ep["marmms"][0]["minutes_circulated_on"] == iso(held)

    police = next(f for f in ep["flags"] if f["system"] == "police")
    confirmed = post(
        client_for(p.officer),
        f"{LIST}flags/{police['id']}/confirm/",
        {"confirmed_on": iso(today), "version": police["version"]},
    )
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["state"] == "confirmed"
    assert confirmed.json()["confirmed_by"] == str(p.officer.pk)

    ep = manager.get(detail(ep["id"])).json()
    states = {f["system"]: f["state"] for f in ep["flags"]}
    assert states == {"police": "confirmed", "health": "overdue", "social_care": "overdue"}

    ep = take(chair, ep, "record_marmm", held_on=iso(today))
    assert [m["kind"] for m in ep["marmms"]] == ["initial", "review"]
    assert ep["status"] == S.PLAN_IN_PLACE
    assert ep["next_review_due"] == iso(today + dt.timedelta(weeks=12))
    assert ep["minutes_due"] == iso(calendar.add(today, 2))
    assert "propose_ending" not in ep["available_actions"]  # the chair's: a team manager's step
    assert "propose_ending" in manager.get(detail(ep["id"])).json()["available_actions"]

    ep = take(manager, ep, "propose_ending", reason="Risks reduced", marmm_date=iso(today))
    assert ep["status"] == S.ENDING_PROPOSED

    ep = take(client_for(p.service_manager), ep, "agree_ending", agreed_on=iso(today))
    assert ep["status"] == S.ENDED and ep["ended_on"] == iso(today)
    assert ep["next_review_due"] is None
    removals = [f for f in ep["flags"] if f["purpose"] == "remove"]
    assert sorted(f["system"] for f in removals) == ["health", "police", "social_care"]
    assert {f["state"] for f in removals} == {"pending"}
    assert [h["action"] for h in ep["history"]] == [
        "open",
        "record_care_leavers_decisions",
        "record_marmm",
        "add_plan_action",
        "answer_plan_questions",
        "agree_plan",
        "record_minutes_circulated",
        "confirm_flag",
        "record_marmm",
        "propose_ending",
        "agree_ending",
    ]
    last = ep["history"][-1]
    assert last["actor"] == str(p.service_manager.pk)
    assert last["actor_name"] == p.service_manager.full_name
    assert (last["status_before"], last["status_after"]) == (S.ENDING_PROPOSED, S.ENDED)
    assert ep["version"] == Episode.objects.get(pk=ep["id"]).version


# ---------------------------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------------------------


def test_an_illegal_move_is_refused_with_what_must_happen_first(
    p: Pathway, client_for: Any
) -> None:
    episode = p.open_under_18()
    response = post(
        client_for(p.chair),
        step(episode.pk, "record_marmm"),
        {"held_on": iso(clock.today()), "version": episode.version},
    )
    assert response.status_code == 400
    [error] = errors(response)
    assert error["field"] is None
    assert error["message"] == machine.BY_NAME["record_marmm"].first
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_S47_OUTCOME and not Marmm.objects.exists()
    assert AuditEvent.objects.filter(verb=Verb.EPISODE_STEP_REFUSED).count() == 1


def test_nobody_agrees_their_own_route(p: Pathway, client_for: Any) -> None:
    manager = UserFactory(agency=p.social_care, roles=["team_manager", "service_manager"])
    episode = p.open_under_18()
    started = episode.strategy_discussion_date
    act(p.social_worker, episode, "record_s47_outcome", threshold_met=True, recorded_on=started)
    episode = act(manager, episode, "record_route", route="rmp", recorded_on=started)
    response = post(
        client_for(manager),
        step(episode.pk, "agree_route"),
        {"agreed_on": iso(started), "version": episode.version},
    )
    assert response.status_code == 400
    assert "different service manager" in errors(response)[0]["message"]
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_AGREEMENT and episode.route_agreed_by is None


def test_a_step_is_refused_to_the_wrong_role(p: Pathway, client_for: Any) -> None:
    episode = p.open_under_18()
    body = {"threshold_met": True, "recorded_on": iso(clock.today()), "version": episode.version}
    teacher = post(client_for(p.teacher), step(episode.pk, "record_s47_outcome"), body)
    assert teacher.status_code in (403, 404)
    manager = post(client_for(p.team_manager), step(episode.pk, "record_s47_outcome"), body)
    assert manager.status_code == 400
    assert errors(manager)[0]["message"].startswith("Only a social worker")
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_S47_OUTCOME and episode.threshold_met is None


def test_bad_input_names_the_field_and_changes_nothing(p: Pathway, client_for: Any) -> None:
    episode = to_marmm(p)
    chair = client_for(p.chair)
    url = step(episode.pk, "record_marmm")
    version = episode.version

    not_a_date = post(chair, url, {"held_on": "31/02/2026", "version": version})
    assert not_a_date.status_code == 400 and fields(not_a_date) == {"held_on"}
    unknown_chair = post(
        chair, url, {"held_on": iso(clock.today()), "chair": str(uuid.uuid4()), "version": version}
    )
    assert unknown_chair.status_code == 400 and fields(unknown_chair) == {"chair"}
    other_area = post(
        chair, url, {"held_on": iso(clock.today()), "chair": str(p.stranger.pk), "version": version}
    )
    assert other_area.status_code == 400 and fields(other_area) == {"chair"}
    future = post(
        chair, url, {"held_on": iso(clock.today() + dt.timedelta(days=3)), "version": version}
    )
    assert future.status_code == 400 and fields(future) == {"held_on"}
    assert "future" in errors(future)[0]["message"]
    no_version = post(chair, url, {"held_on": iso(clock.today())})
    assert no_version.status_code == 400 and fields(no_version) == {"version"}
    wrong_answer = post(
        client_for(p.team_manager),
        step(episode.pk, "record_route"),
        {"route": "somewhere", "recorded_on": iso(clock.today()), "version": version},
    )
    assert wrong_answer.status_code == 400 and fields(wrong_answer) == {"route"}

    episode.refresh_from_db()
    assert episode.version == version and episode.status == S.AWAITING_MARMM
    assert not Marmm.objects.exists()


def test_a_marmm_scheduled_in_year_9999_is_a_400_naming_starts_at(
    p: Pathway, client_for: Any
) -> None:
    from riskpath.meetings import services as meeting_services
    from riskpath.meetings.models import Meeting

    admin = UserFactory(agency=p.social_care, roles=["area_administrator"])
    meeting_services.meeting_types_install_presets(actor=admin, area=p.area)
    episode = to_marmm(p)
    response = post(
        client_for(p.chair),
        step(episode.pk, "schedule_marmm"),
        {"starts_at": "9999-12-31T10:00:00Z", "version": episode.version},
    )
    assert response.status_code == 400 and fields(response) == {"starts_at"}
    assert "must be on or before" in errors(response)[0]["message"]
    assert not Meeting.objects.exists()


def test_a_stale_version_is_refused_with_409(p: Pathway, client_for: Any) -> None:
    episode = p.open_under_18()
    stale = episode.version
    act(
        p.social_worker,
        episode,
        "record_s47_outcome",
        threshold_met=True,
        recorded_on=episode.strategy_discussion_date,
    )
    response = post(
        client_for(p.team_manager),
        step(episode.pk, "record_route"),
        {"route": "rmp", "recorded_on": iso(clock.today()), "version": stale},
    )
    assert response.status_code == 409 and fields(response) == {"version"}
    episode.refresh_from_db()
    assert episode.status == S.AWAITING_ROUTE and episode.route == ""


def test_a_flag_confirmed_from_a_stale_version_is_refused(p: Pathway, client_for: Any) -> None:
    episode = to_plan(p, held_on=working_days_ago(p.area, 2))
    flag = Flag.objects.get(episode=episode, system="police")
    url = f"{LIST}flags/{flag.pk}/confirm/"
    body = {"confirmed_on": iso(clock.today()), "version": flag.version + 1}
    assert post(client_for(p.officer), url, body).status_code == 409
    assert post(client_for(p.nurse), url, {**body, "version": flag.version}).status_code in (
        403,
        404,
    )
    flag.refresh_from_db()
    assert flag.confirmed_on is None


def test_an_episode_the_user_may_not_see_is_not_found(p: Pathway, client_for: Any) -> None:
    episode = to_marmm(p)
    for user in (p.stranger, p.teacher, p.officer):
        response = client_for(user).get(detail(episode.pk))
        assert response.status_code in (403, 404), user
    assert client_for(p.stranger).get(detail(episode.pk)).status_code == 404
    assert client_for(p.consultant).get(detail(uuid.uuid4())).status_code == 404
    stranger = post(
        client_for(p.stranger),
        step(episode.pk, "record_marmm"),
        {"held_on": iso(clock.today()), "version": episode.version},
    )
    assert stranger.status_code == 404


def test_reading_an_episode_is_audited(p: Pathway, client_for: Any) -> None:
    episode = to_marmm(p)
    response = client_for(p.consultant).get(detail(episode.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == S.AWAITING_MARMM and body["route"] == "rmp"
    assert body["available_actions"] == []  # a consultant social worker records no step
    read = AuditEvent.objects.get(verb=Verb.EPISODE_VIEWED)
    assert read.actor == p.consultant and read.target_id == str(episode.pk)


def test_opening_an_episode_checks_its_input(p: Pathway, client_for: Any) -> None:
    client = client_for(p.social_worker)
    unknown = post(
        client,
        LIST,
        {"young_person": str(uuid.uuid4()), "kind": "under_18", "strategy_discussion_date": "x"},
    )
    assert unknown.status_code == 400 and fields(unknown) == {"strategy_discussion_date"}
    unknown = post(
        client,
        LIST,
        {
            "young_person": str(uuid.uuid4()),
            "kind": "under_18",
            "strategy_discussion_date": iso(clock.today()),
        },
    )
    assert unknown.status_code == 400 and fields(unknown) == {"young_person"}
    wrong_kind = post(
        client,
        LIST,
        {
            "young_person": str(p.care_leaver.pk),
            "kind": "under_18",
            "strategy_discussion_date": iso(clock.today()),
        },
    )
    assert wrong_kind.status_code == 400 and fields(wrong_kind) == {"kind"}
    assert not Episode.objects.exists()
    refused = post(
        client_for(p.teacher),
        LIST,
        {
            "young_person": str(p.child.pk),
            "kind": "under_18",
            "strategy_discussion_date": iso(clock.today()),
        },
    )
    assert refused.status_code == 403

    opened = post(
        client,
        LIST,
        {
            "young_person": str(p.child.pk),
            "kind": "under_18",
            "strategy_discussion_date": iso(clock.today()),
            "team_manager": str(p.team_manager.pk),
            "agencies_invited": [str(p.police.pk), str(p.health.pk)],
        },
    )
    assert opened.status_code == 201, opened.json()
    body = opened.json()
    assert body["status"] == S.AWAITING_S47_OUTCOME
    assert body["available_actions"] == ["record_s47_outcome"]
    episode = Episode.objects.get(pk=body["id"])
    assert set(episode.agencies_invited.all()) == {p.police, p.health}


# ---------------------------------------------------------------------------------------------
# Listing and timeliness
# ---------------------------------------------------------------------------------------------


def test_the_list_shows_only_the_episodes_the_user_may_see(p: Pathway, client_for: Any) -> None:
    child = to_plan(p, held_on=working_days_ago(p.area, 12))  # flags overdue
    leaver = p.open_care_leaver()

    def ids(user: Any, query: str = "") -> list[str]:
        response = client_for(user).get(LIST + query)
        assert response.status_code == 200, response.json()
        return [e["id"] for e in response.json()["results"]]

    assert ids(p.stranger) == []
    assert ids(p.teacher) == []
    assert ids(p.officer) == [str(child.pk)]  # a police flag to confirm
    assert set(ids(p.consultant)) == {str(child.pk), str(leaver.pk)}
    assert ids(p.consultant, "?status=plan_in_place") == [str(child.pk)]
    assert ids(p.consultant, "?team=Leaving%20care") == [str(leaver.pk)]
    assert ids(p.consultant, "?overdue=true") == [str(child.pk)]
    bad = client_for(p.consultant).get(LIST + "?status=nonsense")
    assert bad.status_code == 400 and fields(bad) == {"status"}
    listed = AuditEvent.objects.filter(verb=Verb.EPISODES_LISTED, actor=p.consultant)
    assert listed.count() == 4
    assert listed.filter(changes__filters={"overdue": True}).exists()
    assert client_for(p.consultant).get(LIST).json()["count"] == 2


def test_the_timeliness_figures(p: Pathway, client_for: Any) -> None:
    to_plan(p, held_on=working_days_ago(p.area, 12))
    client = client_for(p.service_manager)
    quarter = f"{clock.today().year}-Q{(clock.today().month - 1) // 3 + 1}"
    response = client.get(TIMELINESS, {"quarter": quarter})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["quarter"] == quarter
    assert [m["key"] for m in body["measures"]] == ["initial_marmm", "minutes", "reviews", "flags"]
    for measure in body["measures"]:
        assert set(measure) == {"key", "label", "target", "on_time", "total", "percent"}
    assert AuditEvent.objects.filter(verb=Verb.TIMELINESS_VIEWED).count() == 1

    for bad in ("2026-Q5", "last quarter", "2026"):
        refused = client.get(TIMELINESS, {"quarter": bad})
        assert refused.status_code == 400 and fields(refused) == {"quarter"}, bad
    assert client_for(p.teacher).get(TIMELINESS).status_code == 403
    assert AuditEvent.objects.filter(verb=Verb.TIMELINESS_VIEWED).count() == 1


# ---------------------------------------------------------------------------------------------
# The OpenAPI document
# ---------------------------------------------------------------------------------------------


def test_every_action_is_its_own_documented_operation(p: Pathway, client_for: Any) -> None:
    document = client_for(p.consultant).get(OPENAPI).json()
    paths = document["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/episodes/"])
    assert "get" in paths["/api/v1/episodes/{id}/"]
    assert "post" in paths["/api/v1/episodes/flags/{flag_id}/confirm/"]
    assert "get" in paths["/api/v1/episodes/timeliness/"]
    requests = set()
    for name in machine.ACTION_NAMES:
        operation = paths[f"/api/v1/episodes/{{id}}/{name}/"]["post"]
        transition = machine.BY_NAME[name]
        assert operation["operationId"] == f"episodes_{name}"
        assert operation["summary"] == transition.label
        assert transition.first in operation["description"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        requests.add(ref)
        schema = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        assert "version" in schema["required"]
        assert {"200", "400", "409"} <= set(operation["responses"])
    assert len(requests) == len(machine.ACTION_NAMES)
    marmm = document["components"]["schemas"]["EpisodeRecordMarmmRequest"]["properties"]
    assert marmm["held_on"]["format"] == "date"
    assert marmm["chair"]["format"] == "uuid"


def test_the_openapi_document_has_no_warnings() -> None:
    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular warned: see the captured output"
