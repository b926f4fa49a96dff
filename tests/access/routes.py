"""Every route of riskpath as a concrete URL into the canary world (``tests.access.world``):
which record each route's parameters name is written out here, route by route, so that a new
route with parameters fails ``test_every_route_with_parameters_is_mapped`` until it is added."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.urls import get_resolver, reverse

from riskpath.access import policy
from riskpath.access.checks import iter_patterns
from tests.access.world import (
    LOCATION_ADDRESS,
    OTHER_FAMILY,
    POI_ALIAS,
    POI_FAMILY,
    SUBJECT_FAMILY,
    World,
)

W = World
# Route name -> the keyword arguments that name a record of the world.
PARAMS: dict[str, Callable[[W], dict[str, Any]]] = {
    "administration:closure_day_remove": lambda w: {"pk": uuid.uuid4()},  # none in the world
    "administration:agency_edit": lambda w: {"pk": w.police.pk},
    "administration:user_edit": lambda w: {"pk": w.users["officer"].pk},
    "people:detail": lambda w: {"pk": w.subject.pk},
    "people:edit": lambda w: {"pk": w.subject.pk},
    "people:record_views": lambda w: {"pk": w.subject.pk},
    "people:emergency_access": lambda w: {"pk": w.subject.pk},
    "people:delete": lambda w: {"pk": w.subject.pk},
    "people:restore": lambda w: {"pk": w.subject.pk},
    "people:merge_choose": lambda w: {"pk": w.subject.pk},
    "people:merge_compare": lambda w: {"pk": w.subject.pk, "other": w.other.pk},
    "people:merged": lambda w: {"pk": w.merge.merge_away_id},
    "people:merge_detail": lambda w: {"merge_pk": w.merge.pk},
    "people:merge_undo": lambda w: {"merge_pk": w.merge.pk},
    "api:merge_undo": lambda w: {"pk": w.merge.pk},
    "people:poi_merge_choose": lambda w: {"pk": w.poi.pk},
    "people:poi_merge_compare": lambda w: {"pk": w.poi.pk, "other": w.poi_merge.merge_away_id},
    "people:poi_merge_detail": lambda w: {"merge_pk": w.poi_merge.pk},
    "people:poi_merge_undo": lambda w: {"merge_pk": w.poi_merge.pk},
    "people:missing_create": lambda w: {"pk": w.subject.pk},
    "people:missing_edit": lambda w: {"pk": w.subject.pk, "episode_pk": w.missing.pk},
    "people:poi_create_from_young_person": lambda w: {"pk": w.subject.pk},
    "people:poi_detail": lambda w: {"pk": w.poi.pk},
    "people:poi_edit": lambda w: {"pk": w.poi.pk},
    "people:poi_disruption_create": lambda w: {"pk": w.poi.pk},
    "locations:detail": lambda w: {"pk": w.location.pk},
    "locations:edit": lambda w: {"pk": w.location.pk},
    "locations:delete": lambda w: {"pk": w.location.pk},
    "locations:restore": lambda w: {"pk": w.location.pk},
    "groups:detail": lambda w: {"pk": w.group.pk},
    "groups:edit": lambda w: {"pk": w.group.pk},
    "groups:member_add": lambda w: {"pk": w.group.pk},
    "groups:member_end": lambda w: {"pk": w.group.pk, "membership_pk": w.membership.pk},
    "intelligence:disclosure_decide": lambda w: {"pk": w.disclosure.pk},
    "intelligence:detail": lambda w: {"pk": w.c_item.pk},
    "intelligence:edit": lambda w: {"pk": w.c_item.pk},
    "intelligence:delete": lambda w: {"pk": w.c_item.pk},
    "intelligence:restore": lambda w: {"pk": w.c_item.pk},
    "intelligence:request_disclosure": lambda w: {"pk": w.c_item.pk},
    "links:detail": lambda w: {"pk": w.link.pk},
    "links:edit": lambda w: {"pk": w.link.pk},
    "links:delete": lambda w: {"pk": w.link.pk},
    "network:young_person": lambda w: {"pk": w.subject.pk},
    "network:person_of_interest": lambda w: {"pk": w.poi.pk},
    "network:location": lambda w: {"pk": w.location.pk},
    "network:group": lambda w: {"pk": w.group.pk},
    "referrals:create": lambda w: {"pk": w.subject.pk},
    "referrals:edit": lambda w: {"pk": w.referral.pk},
    "cohort:reentry_no_action": lambda w: {"pk": uuid.uuid4()},  # none in the world
    "cohort:detail": lambda w: {"pk": w.subject.pk},
    "cohort:tier": lambda w: {"pk": w.subject.pk},
    "cohort:exit": lambda w: {"pk": w.subject.pk},
    "meetings:detail": lambda w: {"pk": w.meeting.pk},
    "meetings:agenda_section": lambda w: {"pk": w.meeting.pk, "section": w.slot.section},
    "meetings:agenda_build": lambda w: {"pk": w.meeting.pk},
    "meetings:agenda_add": lambda w: {"pk": w.meeting.pk},
    "meetings:agenda_item_edit": lambda w: {"pk": w.meeting.pk, "item_pk": w.slot.pk},
    "meetings:agenda_item_remove": lambda w: {"pk": w.meeting.pk, "item_pk": w.slot.pk},
    "meetings:agenda_item_restore": lambda w: {"pk": w.meeting.pk, "item_pk": w.slot.pk},
    "meetings:agenda_item_move": lambda w: {
        "pk": w.meeting.pk,
        "item_pk": w.slot.pk,
        "direction": "up",
    },
    "meetings:type_detail": lambda w: {"pk": w.pimm_type.pk},
    "meetings:type_edit": lambda w: {"pk": w.pimm_type.pk},
    "meetings:type_members": lambda w: {"pk": w.pimm_type.pk},
    "meetings:type_member_remove": lambda w: {
        "pk": w.pimm_type.pk,
        "member_pk": w.core_member.pk,
    },
    "meetings:move": lambda w: {"pk": w.meeting.pk},
    "meetings:cancel": lambda w: {"pk": w.meeting.pk},
    "meetings:invitations": lambda w: {"pk": w.meeting.pk},
    "meetings:attendance": lambda w: {"pk": w.meeting.pk},
    "meetings:attendance_add": lambda w: {"pk": w.meeting.pk},
    "meetings:declaration": lambda w: {"pk": w.meeting.pk},
    "meetings:declaration_sign": lambda w: {"pk": w.meeting.pk},
    "meetings:declaration_paper": lambda w: {"pk": w.meeting.pk, "attendance_pk": w.attendance.pk},
    "meetings:declaration_read": lambda w: {"pk": w.meeting.pk},
    "meetings:minuting": lambda w: {"pk": w.meeting.pk},
    "meetings:minuting_confidential": lambda w: {"pk": w.meeting.pk, "item_pk": w.slot.pk},
    "meetings:decision_add": lambda w: {"pk": w.meeting.pk},
    "meetings:meeting_held": lambda w: {"pk": w.meeting.pk},
    "meetings:minutes_approve": lambda w: {"pk": w.meeting.pk},
    "meetings:minutes_circulate": lambda w: {"pk": w.meeting.pk},
    "meetings:documents_minutes": lambda w: {"pk": w.meeting.pk, "version": "full", "fmt": "pdf"},
    "meetings:documents_papers": lambda w: {"pk": w.meeting.pk},
    "meetings:documents_minutes_approve": lambda w: {"pk": w.meeting.pk},
    "meetings:research": lambda w: {"pk": w.meeting.pk},
    "meetings:name_check": lambda w: {"pk": w.meeting.pk},
    "api:meeting_research": lambda w: {"pk": w.meeting.pk},
    "api:meeting_name_checks": lambda w: {"pk": w.meeting.pk},
    "meetings:documents_papers_publish": lambda w: {"pk": w.meeting.pk},
    "meetings:action_detail": lambda w: {"pk": w.slot_action.pk},
    "meetings:action_edit": lambda w: {"pk": w.slot_action.pk},
    "meetings:action_add_update": lambda w: {"pk": w.slot_action.pk},
    "meetings:action_close": lambda w: {"pk": w.slot_action.pk},
    "meetings:action_create": lambda w: {"pk": w.meeting.pk},
    "meetings:slots": lambda w: {"pk": w.meeting.pk},
    "meetings:partner_task_detail": lambda w: {"pk": w.task.pk},
    "meetings:partner_task_done": lambda w: {"pk": w.task.pk},
    "meetings:partner_task_create": lambda w: {"pk": w.decision.pk},
    "pathway:detail": lambda w: {"pk": w.episode.pk},
    "pathway:act": lambda w: {"pk": w.episode.pk, "action": "record_marmm"},
    "pathway:flag_confirm": lambda w: {"pk": w.flag.pk},
    "imports:template": lambda w: {"kind": "intelligence"},
    "api:agency_detail": lambda w: {"pk": w.police.pk},
    "api:young_person_detail": lambda w: {"pk": w.subject.pk},
    "api:closure_day_detail": lambda w: {"pk": uuid.uuid4()},
    "api:location_detail": lambda w: {"pk": w.location.pk},
    "api:group_detail": lambda w: {"pk": w.group.pk},
    "api:group_member_list": lambda w: {"pk": w.group.pk},
    "api:group_member_detail": lambda w: {"pk": w.group.pk, "membership_pk": w.membership.pk},
    "api:intelligence_disclosure_decide": lambda w: {"pk": w.disclosure.pk},
    "api:intelligence_detail": lambda w: {"pk": w.c_item.pk},
    "api:intelligence_disclosure_request": lambda w: {"pk": w.c_item.pk},
    "api:link_detail": lambda w: {"pk": w.link.pk},
    "api:referral_detail": lambda w: {"pk": w.referral.pk},
    "api:poi_detail": lambda w: {"pk": w.poi.pk},
    "api:poi_disruptions": lambda w: {"pk": w.poi.pk},
    "api:missing_detail": lambda w: {"pk": w.missing.pk},
    "api:cohort_detail": lambda w: {"pk": w.subject.pk},
    "api:cohort_tier": lambda w: {"pk": w.subject.pk},
    "api:cohort_exit": lambda w: {"pk": w.subject.pk},
    "api:imports_upload": lambda w: {"kind": "intelligence"},
    "api:meeting_type_detail": lambda w: {"pk": w.pimm_type.pk},
    "api:meeting_detail": lambda w: {"pk": w.meeting.pk},
    "api:meeting_cancel": lambda w: {"pk": w.meeting.pk},
    "api:meeting_invitations": lambda w: {"pk": w.meeting.pk},
    "api:agenda": lambda w: {"pk": w.meeting.pk},
    "api:agenda_build": lambda w: {"pk": w.meeting.pk},
    "api:agenda_items": lambda w: {"pk": w.meeting.pk},
    "api:agenda_item": lambda w: {"pk": w.meeting.pk, "item_pk": w.slot.pk},
    "api:agenda_item_remove": lambda w: {"pk": w.meeting.pk, "item_pk": w.slot.pk},
    "api:agenda_item_restore": lambda w: {"pk": w.meeting.pk, "item_pk": w.slot.pk},
    "api:agenda_reorder": lambda w: {"pk": w.meeting.pk},
    "api:agenda_items_remove": lambda w: {"pk": w.meeting.pk},
    "api:conduct_attendance_list": lambda w: {"pk": w.meeting.pk},
    "api:conduct_attendance_detail": lambda w: {
        "pk": w.meeting.pk,
        "attendance_pk": w.attendance.pk,
    },
    "api:conduct_declaration": lambda w: {"pk": w.meeting.pk},
    "api:conduct_declaration_paper": lambda w: {"pk": w.meeting.pk},
    "api:conduct_declaration_read": lambda w: {"pk": w.meeting.pk},
    "api:conduct_item_minutes": lambda w: {"pk": w.meeting.pk, "item_pk": w.slot.pk},
    "api:conduct_decisions": lambda w: {"pk": w.meeting.pk},
    "api:conduct_held": lambda w: {"pk": w.meeting.pk},
    "api:conduct_approve": lambda w: {"pk": w.meeting.pk},
    "api:conduct_circulate": lambda w: {"pk": w.meeting.pk},
    "api:meeting_documents_minutes": lambda w: {
        "pk": w.meeting.pk,
        "version": "full",
        "file_type": "pdf",
    },
    "api:meeting_documents_papers": lambda w: {"pk": w.meeting.pk},
    "api:meeting_documents_papers_publish": lambda w: {"pk": w.meeting.pk},
    "api:action_detail": lambda w: {"pk": w.slot_action.pk},
    "api:action_close": lambda w: {"pk": w.slot_action.pk},
    "api:action_updates": lambda w: {"pk": w.slot_action.pk},
    "api:partner_task_detail": lambda w: {"pk": w.task.pk},
    "api:partner_task_done": lambda w: {"pk": w.task.pk},
    "api:meeting_slots": lambda w: {"pk": w.meeting.pk},
    "api:episode_flag_confirm": lambda w: {"flag_id": w.flag.pk},
    "api:episode_detail": lambda w: {"pk": w.episode.pk},
    "governance:request_detail": lambda w: {"pk": w.sar.pk},
    "governance:request_identity": lambda w: {"pk": w.sar.pk},
    "governance:request_pause": lambda w: {"pk": w.sar.pk},
    "governance:request_resume": lambda w: {"pk": w.sar.pk},
    "governance:request_extend": lambda w: {"pk": w.sar.pk},
    "governance:request_compile": lambda w: {"pk": w.sar.pk},
    "governance:redaction_add": lambda w: {"pk": w.sar.pk},
    "governance:redaction_decide": lambda w: {"pk": w.sar.pk, "redaction_pk": uuid.uuid4()},
    "governance:request_approve": lambda w: {"pk": w.sar.pk},
    "governance:disclosure": lambda w: {"pk": w.sar.pk},
    "api:sar_detail": lambda w: {"pk": w.sar.pk},
    "api:sar_identity": lambda w: {"pk": w.sar.pk},
    "api:sar_pause": lambda w: {"pk": w.sar.pk},
    "api:sar_resume": lambda w: {"pk": w.sar.pk},
    "api:sar_extend": lambda w: {"pk": w.sar.pk},
    "api:sar_compile": lambda w: {"pk": w.sar.pk},
    "api:sar_redactions": lambda w: {"pk": w.sar.pk},
    "api:sar_redaction": lambda w: {"pk": w.sar.pk, "redaction_pk": uuid.uuid4()},
    "api:sar_approve": lambda w: {"pk": w.sar.pk},
    "api:sar_disclosure": lambda w: {"pk": w.sar.pk},
    "governance:retention_rule": lambda w: {"pk": uuid.uuid4()},  # none in the world
    "governance:hold_lift": lambda w: {"pk": uuid.uuid4()},
    "governance:review_decide": lambda w: {"pk": uuid.uuid4()},
    "api:legal_hold_lift": lambda w: {"pk": uuid.uuid4()},
    "api:retention_review_decide": lambda w: {"pk": uuid.uuid4()},
}
# Every named action of an episode has its own route: all take the episode.
EPISODE_ACTION_PREFIX = "api:episode_"


def params_for(name: str, world: World) -> dict[str, Any] | None:
    if name in PARAMS:
        return PARAMS[name](world)
    if name.startswith(EPISODE_ACTION_PREFIX):
        return {"pk": world.episode.pk}
    return None


def routes() -> list[tuple[str, dict[str, str]]]:
    """(name, parameters) of every route behind a rule or a user's own page."""
    found = []
    for name, _pattern, params in iter_patterns(get_resolver().url_patterns):
        if name in policy.PUBLIC_ROUTES or name is None:
            continue
        if name.startswith(("mfa_", "account_")):
            continue  # allauth's own pages: sign-in and second factors, nothing of others
        found.append((name, params))
    return found


def url_for(name: str, params: dict[str, str], world: World) -> str:
    kwargs = params_for(name, world) if params else {}
    assert kwargs is not None, f"tests/access/routes.py does not map {name}'s parameters"
    return reverse(name, kwargs=kwargs)


def _typo(word: str) -> str:
    """The word with one letter left out: found by the search, and not itself a canary."""
    return word[:3] + word[4:]


# Searches for each planted name, misspelt so that what was typed (shown back on the page) is
# never the canary itself: any canary on the answer is a record's content.
SEARCHES: dict[str, str] = {
    "subject": _typo(SUBJECT_FAMILY),
    "other young person": _typo(OTHER_FAMILY),
    "person of interest": _typo(POI_FAMILY),
    "alias": _typo(POI_ALIAS),
    "address": LOCATION_ADDRESS.split(" ", 2)[2],  # "Lime Walk", without the canary prefix
    "group": "underpas peer group",
}


def search_urls() -> dict[str, str]:
    """The search page and API asked for every planted name, keyed "<route> <what>"."""
    out = {}
    for what, text in SEARCHES.items():
        for route in ("search:results", "api:search"):
            out[f"{route} {what}"] = f"{reverse(route)}?{urlencode({'q': text})}"
    return out


def network_urls(world: World) -> dict[str, str]:
    """The network API around each planted record, and the cohort's, three steps out: a
    record's chart must hold no canary its reader may not see."""
    w = world
    arounds = {
        "subject": f"young_person:{w.subject.pk}",
        "person of interest": f"person_of_interest:{w.poi.pk}",
        "location": f"location:{w.location.pk}",
        "group": f"group:{w.group.pk}",
    }
    out = {
        f"api:network {what}": f"{reverse('api:network')}?{urlencode({'around': a, 'depth': 3})}"
        for what, a in arounds.items()
    }
    out["api:network cohort"] = f"{reverse('api:network')}?cohort=1"
    out["network:location depth 3"] = f"{reverse('network:location', args=[w.location.pk])}?depth=3"
    return out


def research_urls(world: World) -> dict[str, str]:
    """The name-check page asked for each of the meeting's subjects: identity only, and only to
    those the names are circulated to."""
    page = reverse("meetings:name_check", args=[world.meeting.pk])
    return {
        f"meetings:name_check {what}": f"{page}?{urlencode({'subject': key})}"
        for what, key in (
            ("subject", f"young_person:{world.subject.pk}"),
            ("person of interest", f"person_of_interest:{world.poi.pk}"),
            ("location", f"location:{world.location.pk}"),
        )
    }
