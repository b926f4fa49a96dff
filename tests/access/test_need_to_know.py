"""Need-to-know, route by route: the authorization matrix and the canaries.

Every route that can be read (GET) is fetched as sixteen readers, each a role in one relation
to the canary world's records (``tests/access/world.py``): involved through each basis, in the
same agency but uninvolved, in another agency, with no recording role, an area administrator,
and a stranger holding every role in another area. Downloads are fetched too (minutes, the
family's version, papers, cohort exports, the audit export).

Two tables, written out here rather than derived from the policy's role sets, say what each
reader should get:

- ``MATRIX``: for every route, the readers who get its content (2xx). Everyone else is
  refused (403, 404, or a method or redirect that shows nothing), and the stranger is never
  told that another area's record exists (404).
- ``CANARIES_SEEN_BY``: for every canary, the readers who may see it anywhere; a few readers
  see the subject's name only on the routes ``SUBJECT_NAME_ONLY_ON`` names.

The walk is done once for the module, inside a transaction rolled back at its end."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from tests.access.routes import network_urls, research_urls, routes, search_urls, url_for
from tests.access.world import CANARIES, World, build_world
from tests.documents import shown_text

# The tests read the walk's results; the mark makes pytest-django set the database up.
pytestmark = pytest.mark.django_db

# --- Who is who (see tests/access/world.py) ---------------------------------------------------
INVOLVED = {  # may open the subject's record, each through at least one basis
    "lead",  # lead professional (school)
    "social_worker",  # recording agency; the episode's social worker
    "team_manager",  # recording agency; the episode's team manager
    "service_manager",  # recording agency; open episode
    "consultant",  # consultant social worker for the area (health)
    "independent_chair",  # recording agency; open episode
    "business_support",  # recording agency; open episode; runs the meetings
}
POLICE = {"chair", "officer"}  # the agency that submitted the intelligence; its flag waits
OTHER_RECORDERS = {"school_colleague", "nurse", "teacher"}  # uninvolved with the subject
RECORDERS = INVOLVED | POLICE | OTHER_RECORDERS  # every recording member of the area
NON_RECORDERS = {"panel", "qa"}  # strategic panel and quality assurance members
PRACTITIONERS = RECORDERS | NON_RECORDERS
ADMIN = {"area_admin"}
GOVERNANCE = {"ig_officer"}  # the information-governance officer: subject access requests
STRANGER = {"stranger"}  # every role, in another area
READERS = sorted(PRACTITIONERS | ADMIN | GOVERNANCE | STRANGER)
PATHWAY = {
    "social_worker",
    "team_manager",
    "service_manager",
    "consultant",
    "independent_chair",
    "business_support",
}
IN_THE_PIMM = {"chair", "officer", "social_worker", "business_support"}  # present, or runs it
CHAIRS = {"chair", "independent_chair"}
NOBODY: set[str] = set()

# --- The authorization matrix: route -> who gets its content ----------------------------------
MATRIX_GROUPS: list[tuple[set[str], list[str]]] = [
    # Lists and forms of the area's recording members (no record named in the URL): a
    # stranger sees their own area's.
    (
        RECORDERS | STRANGER,
        "people:create people:pick people:poi_list people:poi_create locations:list "
        "locations:create groups:list groups:create intelligence:submit "
        "intelligence:disclosure_list cohort:list cohort:export_csv cohort:export_xlsx "
        "meetings:list meetings:action_register meetings:my_actions meetings:partner_tasks "
        "imports:index imports:template api:location_list api:group_list "
        "api:intelligence_disclosure_pending api:link_list api:poi_list api:cohort_list "
        "api:meeting_type_list api:meeting_list api:action_list api:my_actions "
        "api:partner_task_list network:cohort".split(),
    ),
    # Lists any practitioner has, holding only what each may see.
    (
        PRACTITIONERS | STRANGER,
        "people:list intelligence:list api:young_person_list api:intelligence_list "
        "api:referral_list api:missing_list api:episode_list search:results "
        "api:search".split(),
    ),
    # A user's own pages.
    (
        PRACTITIONERS | ADMIN | GOVERNANCE | STRANGER,
        "web:home api:openapi api:me api:my_work api:my_notifications notifications:list "
        "notifications:preference".split(),
    ),
    # The partnership's records: persons of interest, places, groups, links, the cohort.
    (
        RECORDERS,
        "people:poi_detail people:poi_edit locations:detail locations:edit locations:delete "
        "groups:detail groups:edit groups:member_add groups:member_end links:detail "
        "links:edit links:delete cohort:detail api:location_detail api:group_detail "
        "api:group_member_list api:link_detail api:poi_detail api:cohort_detail "
        "api:meeting_type_detail network:person_of_interest network:location "
        "network:group".split(),
    ),
    # The subject's record and what is recorded from it.
    (
        INVOLVED,
        "people:detail people:edit people:missing_create people:missing_edit "
        "people:poi_create_from_young_person intelligence:request_disclosure referrals:create "
        "referrals:edit api:young_person_detail api:referral_detail api:missing_detail "
        "network:young_person".split(),
    ),
    # Deleting and merging: the managers involved with it.
    (
        {"team_manager", "service_manager"},
        "people:delete people:merge_choose people:merge_detail".split(),
    ),
    # Merging persons of interest: the area's managers (persons of interest are the recording
    # members' records).
    (
        {"team_manager", "service_manager"},
        "people:poi_merge_choose people:poi_merge_detail".split(),
    ),
    # The area's likely duplicates: managers (each record as they may see it) and the area
    # administrator (counts only); a stranger sees their own area's.
    (
        {"team_manager", "service_manager", "area_admin", "stranger"},
        "people:duplicate_report api:duplicate_report".split(),
    ),
    # Who has viewed the record: its lead professional.
    ({"lead"}, ["people:record_views"]),
    # Breaking glass: a role that may, with no involvement (the involved are sent back).
    ({"chair"}, ["people:emergency_access"]),
    # The C-coded item: everyone involved with the young person it is about (its text only
    # as the handling code allows), and the submitting agency.
    (INVOLVED | POLICE, "intelligence:detail api:intelligence_detail".split()),
    # Changing it and deciding who else may read it: the submitting agency.
    (POLICE, "intelligence:edit intelligence:delete intelligence:disclosure_decide".split()),
    # The PIMM: those present and those who run it.
    (
        IN_THE_PIMM,
        "meetings:detail meetings:agenda_section meetings:documents_minutes "
        "meetings:documents_papers meetings:action_detail api:meeting_detail api:agenda "
        "api:conduct_attendance_list "
        "api:conduct_declaration api:conduct_decisions api:meeting_documents_minutes "
        "api:meeting_documents_papers api:action_detail api:action_updates "
        "api:meeting_slots".split(),
    ),
    # The names circulated for research: its participants while they are circulated, and
    # those who run it (every agency's name checks).
    (IN_THE_PIMM, "meetings:research api:meeting_research".split()),
    # Approving the minutes, from their preview: whoever chaired the meeting.
    ({"chair"}, ["meetings:documents_minutes_approve"]),
    # Running it: its chair and business support.
    (
        {"chair", "business_support"},
        "meetings:agenda_add meetings:agenda_item_edit meetings:agenda_item_remove "
        "meetings:attendance meetings:attendance_add meetings:minuting meetings:decision_add "
        "meetings:action_create meetings:partner_task_create".split(),
    ),
    # The confidential slot's minutes: those in it who may open its young person.
    ({"chair", "business_support", "social_worker"}, ["api:conduct_item_minutes"]),
    # The action raised in the slot: those in the slot who change actions, and its owner.
    ({"chair", "business_support", "officer"}, ["meetings:action_edit"]),
    # The partner-system task: its assignee, the chair and business support.
    (
        {"lead", "chair", "business_support"},
        "meetings:partner_task_detail api:partner_task_detail".split(),
    ),
    # Meeting types: area configuration.
    (
        {"area_admin", "business_support"},
        "meetings:type_detail meetings:type_edit meetings:type_members "
        "meetings:type_member_remove".split(),
    ),
    (
        {"area_admin", "business_support", "stranger"},
        "meetings:type_list meetings:type_install".split(),
    ),
    (CHAIRS | {"business_support", "stranger"}, ["meetings:schedule"]),
    # The cohort's decisions: chairs.
    (CHAIRS | STRANGER, "cohort:add cohort:reentry".split()),
    (CHAIRS, "cohort:tier cohort:exit".split()),
    # The pathway: who runs it; the episode also to the agencies whose flags wait.
    (PATHWAY | STRANGER, "pathway:dashboard pathway:open".split()),
    (PATHWAY | NON_RECORDERS | STRANGER, "pathway:timeliness api:episode_timeliness".split()),
    (INVOLVED | POLICE | {"nurse"}, "pathway:detail api:episode_detail".split()),
    # Area administration.
    (
        ADMIN | STRANGER,
        "administration:area_settings administration:closure_days administration:agency_list "
        "administration:agency_create administration:user_list administration:user_create "
        "audit:log audit:export "
        "api:agency_list api:audit_event_list api:closure_day_list".split(),
    ),
    (ADMIN, "administration:agency_edit administration:user_edit".split()),
    # Failed background jobs: the job's name, when and the error's class, never its
    # arguments; a stranger, an administrator elsewhere, sees the same installation's list.
    (ADMIN | STRANGER, ["jobs:failed"]),
    # Subject access requests: the information-governance officer's (a stranger sees their
    # own area's list and forms).
    (
        GOVERNANCE | STRANGER,
        "governance:requests governance:request_create governance:pick api:sar_list "
        "governance:retention governance:hold_create api:retention_rules api:legal_holds "
        "api:retention_reviews".split(),
    ),
    (
        GOVERNANCE,
        "governance:request_detail governance:request_identity governance:request_pause "
        "governance:request_resume governance:request_extend governance:redaction_add "
        "api:sar_detail".split(),
    ),
]
MATRIX: dict[str, set[str]] = {
    route: readers for readers, names in MATRIX_GROUPS for route in names
}
# Every other route answers GET with no content for anyone: it takes a POST (405), or sends
# the reader on (302: the page to act from), or asks for parameters first (400).
REFUSED = {302, 400, 403, 404, 405}

# --- The canaries: who may see each, anywhere -------------------------------------------------
# The PIMM's participants not involved with the subject see who they are (identity only: name,
# alias, school) where the agenda's names are circulated for research, and nowhere else.
RESEARCH = {"meetings:research", "meetings:name_check", "api:meeting_research"}
RESEARCHERS_NOT_INVOLVED = {"chair", "officer"}
CANARIES_SEEN_BY: dict[str, set[str]] = {
    "subject name": INVOLVED | POLICE | OTHER_RECORDERS | GOVERNANCE,  # see SUBJECT_NAME_ONLY_ON
    "subject's alias": INVOLVED | RESEARCHERS_NOT_INVOLVED,  # see IDENTITY_ONLY_ON
    "subject's school": INVOLVED | RESEARCHERS_NOT_INVOLVED,
    "other young person's name": POLICE | {"consultant"},  # police recorded them
    "person of interest's name": RECORDERS,
    "person of interest's alias": RECORDERS,
    "a location's address": RECORDERS,
    "a group's name": RECORDERS,
    "C-coded text": POLICE,  # the submitting agency; no role is named in its conditions
    "C-coded sanitised text": POLICE,
    "C-coded conditions": POLICE,
    # The confidential slot, about the subject: those in it who may also open the subject.
    "confidential slot title": {"chair", "business_support", "social_worker"},
    "confidential slot minutes": {"chair", "business_support", "social_worker"},
    "confidential slot decision": {"chair", "business_support", "social_worker"},
    # Its action: those in the slot, and the owning agency (police).
    "confidential slot action": {"chair", "business_support", "social_worker", "officer"},
}
COHORT = {"cohort:list", "cohort:export_csv", "cohort:export_xlsx", "cohort:detail"}
COHORT |= {"api:cohort_list", "api:cohort_detail"}
EPISODE = {"pathway:detail", "api:episode_detail"}
WORK = {"web:home", "api:my_work"}
IDENTITY_ONLY_ON: dict[tuple[str, str], set[str]] = {
    (canary, reader): RESEARCH
    for canary in ("subject's alias", "subject's school")
    for reader in RESEARCHERS_NOT_INVOLVED
}
# Readers not involved with the subject who see their name, and where: on the cohort (the
# partnership's list of the young people it tracks), on the episode whose flag their agency
# must set, on their own agency's intelligence, and, for the PIMM's chair, in its meeting.
SUBJECT_NAME_ONLY_ON: dict[str, set[str]] = {
    # The officer: the subject access request about them (not yet compiled), in their work.
    "ig_officer": WORK
    | {"governance:requests", "governance:request_detail", "governance:request_identity"}
    | {"governance:request_pause", "governance:request_resume", "governance:request_extend"}
    | {"governance:redaction_add", "api:sar_list", "api:sar_detail"},
    "teacher": COHORT,
    "school_colleague": COHORT,
    # The work list names the young person of each thing waiting on the reader: the nurse's
    # and the officer's agencies have flags waiting in the subject's episode.
    "nurse": COHORT | EPISODE | WORK,
    "officer": COHORT
    | RESEARCH
    | EPISODE
    | WORK
    | {"intelligence:list", "intelligence:detail", "people:poi_detail"},
    "chair": COHORT
    | RESEARCH
    | EPISODE
    | {"intelligence:list", "intelligence:detail", "people:poi_detail", "cohort:tier"}
    | {"cohort:exit", "meetings:detail", "meetings:agenda_section", "meetings:minuting"}
    | {"meetings:decision_add"}
    | {"meetings:documents_minutes", "meetings:documents_papers", "meetings:action_create"}
    | {"meetings:documents_minutes_approve"}
    | {"meetings:partner_task_detail", "meetings:partner_task_create", "api:agenda"}
    | {"api:meeting_documents_minutes", "api:meeting_documents_papers"}
    | {"api:partner_task_detail"},
}


@dataclass(frozen=True)
class Seen:
    status: int
    canaries: frozenset[str]


def _extra_downloads(world: World) -> dict[str, str]:
    """Downloads beyond each route's one URL: the other formats and versions."""
    meeting = world.meeting.pk
    family = f"?young_person={world.subject.pk}"
    out = {}
    for fmt in ("pdf", "docx"):
        out[f"meetings:documents_minutes full {fmt}"] = reverse(
            "meetings:documents_minutes", args=[meeting, "full", fmt]
        )
        out[f"meetings:documents_minutes family {fmt}"] = (
            reverse("meetings:documents_minutes", args=[meeting, "family", fmt]) + family
        )
        out[f"api:meeting_documents_minutes family {fmt}"] = (
            reverse("api:meeting_documents_minutes", args=[meeting, "family", fmt]) + family
        )
    return out


@pytest.fixture(scope="module")
def walk(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[tuple[str, str], Seen]]:
    """Every GET route (and download) fetched as every reader: what each answered and which
    canaries it showed. Built once for the module, then rolled back."""
    seen: dict[tuple[str, str], Seen] = {}
    with (
        django_db_blocker.unblock(),
        override_settings(MEETINGS_PDF_COMPRESS=False),
        transaction.atomic(),
    ):
        world = build_world()
        users = {**world.users, "stranger": world.stranger}
        urls = {name: url_for(name, params, world) for name, params in routes()}
        urls.update(_extra_downloads(world))
        urls.update(search_urls())
        urls.update(network_urls(world))
        urls.update(research_urls(world))
        for reader in READERS:
            client = Client(raise_request_exception=False)
            client.force_login(users[reader])
            for name, url in urls.items():
                response = client.get(url)
                text = shown_text(response)
                shown = frozenset(what for what, canary in CANARIES.items() if canary in text)
                seen[(name, reader)] = Seen(response.status_code, shown)
        transaction.set_rollback(True)
    yield seen


def test_every_route_is_in_the_walk(walk: dict[tuple[str, str], Seen]) -> None:
    names = {name for name, _ in routes()}
    assert names <= {name for name, _ in walk}
    assert set(MATRIX) <= names, set(MATRIX) - names


def test_the_matrix(walk: dict[tuple[str, str], Seen]) -> None:
    """Who gets each route's content; everyone else is refused; outsiders learn nothing."""
    wrong = []
    checked = 0
    for name, params in routes():
        allowed = MATRIX.get(name, NOBODY)
        for reader in READERS:
            status = walk[(name, reader)].status
            checked += 1
            if reader in allowed:
                if not 200 <= status < 300:
                    wrong.append(f"{name}: {reader} should get it, got {status}")
            elif status not in REFUSED:
                wrong.append(f"{name}: {reader} should be refused, got {status}")
            elif reader == "stranger" and params and status not in (404, 405):
                wrong.append(f"{name}: the stranger got {status}, not 404")
    assert checked > 3000
    assert not wrong, "\n".join(wrong)


def test_each_canary_appears_only_where_the_rules_allow(walk: dict[tuple[str, str], Seen]) -> None:
    leaks = []
    for (name, reader), seen in walk.items():
        route = name.split(" ")[0]
        for canary in seen.canaries:
            if reader not in CANARIES_SEEN_BY[canary]:
                leaks.append(f"{canary} reached {reader} through {name}")
            elif canary == "subject name" and reader in SUBJECT_NAME_ONLY_ON:
                if route not in SUBJECT_NAME_ONLY_ON[reader]:
                    leaks.append(f"{canary} reached {reader} through {name}")
            elif (canary, reader) in IDENTITY_ONLY_ON:
                if route not in IDENTITY_ONLY_ON[(canary, reader)]:
                    leaks.append(f"{canary} reached {reader} through {name}")
    assert not leaks, "\n".join(sorted(leaks))


def test_each_canary_reaches_everyone_the_rules_allow(walk: dict[tuple[str, str], Seen]) -> None:
    """The walk is not vacuous: every reader allowed a canary finds it somewhere."""
    missing = []
    for canary, readers in CANARIES_SEEN_BY.items():
        for reader in readers:
            if not any(canary in s.canaries for (_, r), s in walk.items() if r == reader):
                missing.append(f"{reader} never saw {canary}")
    assert not missing, "\n".join(missing)


def test_the_familys_version_holds_nothing_of_anyone_else(
    walk: dict[tuple[str, str], Seen],
) -> None:
    """The version of the minutes for the subject and their family: their own name, and none
    of the other child, the person of interest, restricted intelligence or the confidential
    slot, whoever downloads it."""
    produced = 0
    for (name, reader), seen in walk.items():
        if " family " not in name or not 200 <= seen.status < 300:
            continue
        produced += 1
        others = seen.canaries - {"subject name"}
        assert not others, f"{name} as {reader} holds {sorted(others)}"
    assert produced >= 2  # the chair and business support produce it
