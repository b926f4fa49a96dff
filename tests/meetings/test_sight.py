"""What of a meeting each reader may see (``sight.meeting_sight``), read back through HTTP from
every output: the meeting's page, the live-minuting page, the agenda, the papers pack, the
minutes as PDF and DOCX, the decisions and item minutes, the action register, "my actions", one
action, a later meeting's agenda where open actions are carried forward, a young person's
timeline, and the API of each.

Unique strings are planted where each piece of the meeting is written, so that the tests can
say which reader got which piece:

* a confidential slot (``CANARY-SLOT-…`` in its title, minutes, decision and action);
* an item about a young person (``Wrenna Quillonby``) whom no member of the meeting may open;
* an item about a young person the social worker may open and the officer may not.

The readers: the chair (named on the meeting: sees everything); the officer (present, so in
the slot); the social worker (a standing member who sent apologies: not in the slot); a nurse
of the agency that owns the slot's action (not a member of the meeting); a teacher (a recording
member of another agency, not in the meeting)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from riskpath.access import policy
from riskpath.accounts.enums import Role
from riskpath.accounts.models import User
from riskpath.core import clock
from riskpath.meetings import access, actions, agenda, documents, sight
from riskpath.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionKind,
    ItemMinutes,
    Meeting,
    MeetingStatus,
)
from riskpath.people.models import YoungPerson
from tests.cohort.factories import intelligence
from tests.factories import UserFactory, YoungPersonFactory
from tests.meetings.scenario import Scene, at, next_weekday, schedule
from tests.meetings.test_documents import docx_text, pdf_text

pytestmark = pytest.mark.django_db

SLOT_TITLE = "CANARY-SLOT-TITLE"
SLOT_MINUTES = "CANARY-SLOT-MINUTES"
SLOT_DECISION = "CANARY-SLOT-DECISION"
SLOT_ACTION = "CANARY-SLOT-ACTION"
SLOT = (SLOT_TITLE, SLOT_MINUTES, SLOT_DECISION, SLOT_ACTION)
CHILD_GIVEN, CHILD_FAMILY = "Wrenna", "Quillonby"  # nobody at the meeting may open her
CHILD_MINUTES = "CANARY-CHILD-MINUTES"
CHILD_DECISION = "CANARY-CHILD-DECISION"
PERSON_MINUTES = "CANARY-PERSON-MINUTES"  # about scene.person (the social worker's agency's)
OPEN_ACTION = "CANARY-OPEN-ACTION"
GENERAL = "CANARY-GENERAL-MINUTES"


@pytest.fixture(autouse=True)
def _uncompressed_pdfs(settings: Any) -> None:
    settings.MEETINGS_PDF_COMPRESS = False


@dataclass
class Held:
    scene: Scene
    meeting: Meeting
    child: YoungPerson
    nurse: User
    general: AgendaItem
    child_item: AgendaItem
    slot: AgendaItem
    person_item: AgendaItem
    slot_action: Action
    open_action: Action

    @property
    def chair(self) -> User:
        return self.scene.chair

    @property
    def officer(self) -> User:
        return self.scene.officer

    @property
    def worker(self) -> User:
        return self.scene.social_worker

    @property
    def teacher(self) -> User:
        return self.scene.teacher


def _item(meeting: Meeting, position: int, title: str, minutes: str, **kwargs: Any) -> AgendaItem:
    item = AgendaItem.objects.create(
        meeting=meeting, position=position, title=title, kind="other", **kwargs
    )
    ItemMinutes.objects.create(item=item, discussion=minutes, minuted_at=timezone.now())
    return item


def _decision(item: AgendaItem, text: str, by: User, young_person: Any = None) -> None:
    Decision.objects.create(
        item=item,
        kind=DecisionKind.OTHER,
        text=text,
        young_person=young_person,
        recorded_by=by,
        recorded_at=timezone.now(),
    )


@pytest.fixture
def held(scene: Scene) -> Held:
    meeting = schedule(scene, chair=scene.chair, starts_at=at(next_weekday(), 10))
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.HELD, papers_published_at=timezone.now()
    )
    meeting.refresh_from_db()
    for user, status in (
        (scene.chair, AttendanceStatus.PRESENT),
        (scene.officer, AttendanceStatus.PRESENT),
        (scene.social_worker, AttendanceStatus.APOLOGIES),
    ):
        Attendance.objects.filter(meeting=meeting, user=user).update(status=status)
    Attendance.objects.create(
        meeting=meeting, name="Robin Fernleigh", is_family=True, status=AttendanceStatus.PRESENT
    )
    # Police intelligence about the young person; the officer leads the work with them.
    intelligence(scene.person, scene.police, days_ago=2)
    YoungPerson.objects.filter(pk=scene.person.pk).update(lead_professional=scene.officer)
    scene.person.refresh_from_db()
    child = YoungPersonFactory(
        recording_agency=scene.school, given_names=CHILD_GIVEN, family_name=CHILD_FAMILY
    )
    nurse = UserFactory(agency=scene.health, roles=[Role.PARTNER_REPRESENTATIVE])
    general = _item(
        meeting, 1, "Themes", f"Area themes {GENERAL}. {CHILD_GIVEN} {CHILD_FAMILY} was mentioned."
    )
    child_item = _item(
        meeting, 2, f"Review of {CHILD_GIVEN} {CHILD_FAMILY}", CHILD_MINUTES, young_person=child
    )
    _decision(child_item, CHILD_DECISION, scene.chair, child)
    slot = _item(
        meeting, 3, f"{SLOT_TITLE} safety plan", f"Discussed {SLOT_MINUTES}.", confidential=True
    )
    _decision(slot, SLOT_DECISION, scene.chair)
    due = clock.today() + dt.timedelta(days=14)
    slot_action = Action.objects.create(
        area=scene.area,
        meeting=meeting,
        item=slot,
        description=f"{SLOT_ACTION} visit the address",
        owner_agency=scene.health,
        young_person=scene.person,
        due_on=due,
        created_by=scene.business_support,
    )
    person_item = _item(
        meeting, 4, f"Review of {scene.person}", PERSON_MINUTES, young_person=scene.person
    )
    open_action = Action.objects.create(
        area=scene.area,
        meeting=meeting,
        item=person_item,
        description=f"{OPEN_ACTION} call the school",
        owner_agency=scene.police,
        young_person=scene.person,
        due_on=due,
        created_by=scene.business_support,
    )
    return Held(
        scene,
        meeting,
        child,
        nurse,
        general,
        child_item,
        slot,
        person_item,
        slot_action,
        open_action,
    )


def page(client: Any, name: str, *args: Any, query: str = "") -> Any:
    return client.get(reverse(f"meetings:{name}", args=args) + query)


def text_of(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    content_type = response["Content-Type"]
    if content_type.startswith("application/pdf"):
        return pdf_text(response.content)
    if content_type.startswith("application/vnd.openxmlformats"):
        return docx_text(response.content)
    if content_type.startswith("application/json"):
        return response.content.decode("unicode_escape")
    return response.content.decode()


def meeting_outputs(client: Any, meeting: Meeting) -> dict[str, str]:
    """Everything a member reads of ``meeting``, by output, as text."""
    pk = meeting.pk
    minutes = "meetings:documents_minutes"
    api_minutes = "api:meeting_documents_minutes"
    return {
        "page": text_of(page(client, "detail", pk)),
        "papers": text_of(page(client, "documents_papers", pk)),
        "minutes pdf": text_of(client.get(reverse(minutes, args=[pk, "full", "pdf"]))),
        "minutes docx": text_of(client.get(reverse(minutes, args=[pk, "full", "docx"]))),
        "api minutes pdf": text_of(client.get(reverse(api_minutes, args=[pk, "full", "pdf"]))),
        "api minutes docx": text_of(client.get(reverse(api_minutes, args=[pk, "full", "docx"]))),
        "api agenda": text_of(client.get(reverse("api:agenda", args=[pk]))),
        "api decisions": text_of(client.get(reverse("api:conduct_decisions", args=[pk]))),
    }


def register_outputs(client: Any) -> dict[str, str]:
    return {
        "register": text_of(page(client, "action_register", query="?status=all")),
        "api register": text_of(client.get("/api/v1/actions/?status=all")),
    }


def assert_everywhere(outputs: dict[str, str], present: list[str], absent: list[str]) -> None:
    for where, text in outputs.items():
        flat = " ".join(text.split())
        for word in present:
            assert word in flat, (word, where)
        for word in absent:
            assert word not in flat, (word, where)


def only(outputs: dict[str, str], *names: str) -> dict[str, str]:
    return {k: v for k, v in outputs.items() if k in names}


MINUTES = ("minutes pdf", "minutes docx", "api minutes pdf", "api minutes docx")
CHILD = f"{CHILD_GIVEN} {CHILD_FAMILY}"


# ---------------------------------------------------------------------------------------------
# Each reader, every output
# ---------------------------------------------------------------------------------------------


def test_the_chair_sees_everything_of_their_meeting(client_for: Any, held: Held) -> None:
    client = client_for(held.chair)
    outputs = meeting_outputs(client, held.meeting)
    outputs["minuting"] = text_of(page(client, "minuting", held.meeting.pk))
    assert_everywhere(
        outputs, [], [sight.WITHHELD_SLOT, sight.WITHHELD_YOUNG_PERSON, sight.WITHHELD_MARK]
    )
    assert_everywhere(
        only(outputs, "page", "papers", "api agenda", "minuting", *MINUTES), [SLOT_TITLE, CHILD], []
    )
    assert_everywhere(
        only(outputs, "page", "minuting", *MINUTES),
        [SLOT_MINUTES, SLOT_DECISION, CHILD_MINUTES, CHILD_DECISION, GENERAL],
        [],
    )
    assert_everywhere(only(outputs, "page", *MINUTES), [SLOT_ACTION, OPEN_ACTION], [])
    assert_everywhere(only(outputs, "api decisions"), [SLOT_DECISION, CHILD_DECISION], [])
    assert_everywhere(register_outputs(client), [SLOT_ACTION, OPEN_ACTION], [])
    assert SLOT_TITLE in text_of(page(client, "action_detail", held.slot_action.pk))


def test_a_participant_in_the_slot_sees_it_but_not_young_people_they_may_not_open(
    client_for: Any, held: Held
) -> None:
    officer = held.officer
    assert not policy.check("can_view_young_person", officer, held.child)
    assert policy.check("can_view_young_person", officer, held.scene.person)
    client = client_for(officer)
    outputs = meeting_outputs(client, held.meeting)
    assert page(client, "minuting", held.meeting.pk).status_code == 403
    assert_everywhere(outputs, [], [CHILD_GIVEN, CHILD_FAMILY, CHILD_MINUTES, CHILD_DECISION])
    assert_everywhere(
        only(outputs, "page", "papers", "api agenda", *MINUTES),
        [SLOT_TITLE, sight.WITHHELD_YOUNG_PERSON],
        [sight.WITHHELD_SLOT],
    )
    assert_everywhere(
        only(outputs, *MINUTES), [SLOT_MINUTES, SLOT_DECISION, SLOT_ACTION, PERSON_MINUTES], []
    )
    for where in MINUTES:
        # The young person the officer may not open is taken out of an item they may see.
        flat = " ".join(outputs[where].split())
        assert f"Area themes {GENERAL}. {sight.WITHHELD_MARK} was mentioned." in flat, where
    assert_everywhere(only(outputs, "page"), [SLOT_ACTION, OPEN_ACTION], [])
    assert_everywhere(only(outputs, "api decisions"), [SLOT_DECISION], [])
    assert_everywhere(register_outputs(client), [SLOT_ACTION, OPEN_ACTION], [SLOT_TITLE])
    detail = text_of(page(client, "action_detail", held.slot_action.pk))
    assert SLOT_TITLE in detail and SLOT_ACTION in detail
    api = client.get(reverse("api:conduct_item_minutes", args=[held.meeting.pk, held.slot.pk]))
    assert api.status_code == 200 and SLOT_MINUTES in api.json()["discussion"]
    withheld = client.get(
        reverse("api:conduct_item_minutes", args=[held.meeting.pk, held.child_item.pk])
    )
    assert withheld.status_code == 404


def test_a_member_not_in_the_slot_sees_only_that_there_was_one(client_for: Any, held: Held) -> None:
    worker = held.worker
    assert policy.check("can_view_meeting", worker, held.meeting)
    assert policy.check("can_view_young_person", worker, held.scene.person)
    client = client_for(worker)
    outputs = meeting_outputs(client, held.meeting)
    assert_everywhere(
        outputs, [], [*SLOT, CHILD_GIVEN, CHILD_FAMILY, CHILD_MINUTES, CHILD_DECISION]
    )
    assert_everywhere(
        only(outputs, "page", "papers", "api agenda", *MINUTES),
        [sight.WITHHELD_SLOT, sight.WITHHELD_YOUNG_PERSON],
        [],
    )
    assert_everywhere(only(outputs, *MINUTES), [PERSON_MINUTES, GENERAL, OPEN_ACTION], [])
    assert_everywhere(only(outputs, "page"), [OPEN_ACTION], [])
    # Once the minutes are approved the meeting's page shows them too: without the slot.
    Meeting.objects.filter(pk=held.meeting.pk).update(
        status=MeetingStatus.APPROVED, approved_at=timezone.now(), approved_by=held.chair
    )
    approved = text_of(page(client, "detail", held.meeting.pk))
    assert PERSON_MINUTES in approved and GENERAL in approved
    for word in (*SLOT, CHILD_MINUTES, CHILD_GIVEN):
        assert word not in approved, word
    # The action raised in the slot does not exist for them: not listed, not counted, no page.
    registers = register_outputs(client)
    assert_everywhere(registers, [OPEN_ACTION], [SLOT_ACTION])
    assert "1 action matching the filters" in registers["register"]
    assert client.get("/api/v1/actions/?status=all").json()["count"] == 1
    assert page(client, "action_detail", held.slot_action.pk).status_code == 404
    assert client.get(f"/api/v1/actions/{held.slot_action.pk}/").status_code == 404
    assert client.get(f"/api/v1/actions/{held.slot_action.pk}/updates/").status_code == 404
    api = client.get(reverse("api:conduct_item_minutes", args=[held.meeting.pk, held.slot.pk]))
    assert api.status_code == 404
    # Nor on the young person's timeline, which shows the other action about them.
    timeline = text_of(client.get(reverse("people:detail", args=[held.scene.person.pk])))
    assert OPEN_ACTION in timeline and SLOT_ACTION not in timeline


def test_the_owning_agency_sees_its_action_but_nothing_of_the_slot(
    client_for: Any, held: Held
) -> None:
    nurse = held.nurse
    client = client_for(nurse)
    assert page(client, "detail", held.meeting.pk).status_code == 404
    registers = register_outputs(client)
    assert_everywhere(registers, [SLOT_ACTION, OPEN_ACTION], [SLOT_TITLE, SLOT_MINUTES])
    mine = text_of(page(client, "my_actions"))
    assert SLOT_ACTION in mine and SLOT_TITLE not in mine
    detail = text_of(page(client, "action_detail", held.slot_action.pk))
    assert SLOT_ACTION in detail and f"(item: {actions.CONFIDENTIAL_SLOT})" in detail
    for word in (SLOT_TITLE, SLOT_MINUTES, SLOT_DECISION, str(held.scene.person)):
        assert word not in detail, word
    body = client.get(f"/api/v1/actions/{held.slot_action.pk}/").json()
    assert body["item"] is None and SLOT_ACTION in body["description"]
    assert SLOT_TITLE not in str(body)
    # They need it to act: they may record progress on it.
    added = client.post(
        f"/api/v1/actions/{held.slot_action.pk}/updates/",
        {"text": "Visited"},
        content_type="application/json",
    )
    assert added.status_code == 201
    assert client.get(reverse("api:agenda", args=[held.meeting.pk])).status_code == 404


def test_a_recording_member_of_another_agency_not_in_the_meeting_sees_none_of_it(
    client_for: Any, held: Held
) -> None:
    client = client_for(held.teacher)
    for name in ("detail", "documents_papers"):
        assert page(client, name, held.meeting.pk).status_code == 404
    assert client.get(reverse("api:agenda", args=[held.meeting.pk])).status_code == 404
    registers = register_outputs(client)
    assert_everywhere(registers, [OPEN_ACTION], [*SLOT])
    assert client.get("/api/v1/actions/?status=all").json()["count"] == 1
    assert page(client, "action_detail", held.slot_action.pk).status_code == 404
    assert client.get(f"/api/v1/actions/{held.slot_action.pk}/").status_code == 404


def test_an_action_carried_into_a_later_agenda_stays_with_those_who_may_know_of_it(
    client_for: Any, held: Held
) -> None:
    later = schedule(
        held.scene, starts_at=at(next_weekday(after=held.meeting.starts_at.date()), 10)
    )
    Meeting.objects.filter(pk=later.pk).update(papers_published_at=timezone.now())
    agenda.agenda_build(actor=held.scene.business_support, meeting=later)
    carried = AgendaItem.objects.get(meeting=later, action=held.slot_action)
    assert carried.title.startswith(f"Open action: {SLOT_ACTION}")

    def outputs(user: User) -> dict[str, str]:
        client = client_for(user)
        return {
            "page": text_of(page(client, "detail", later.pk)),
            "papers": text_of(page(client, "documents_papers", later.pk)),
            "minutes": text_of(page(client, "documents_minutes", later.pk, "full", "docx")),
            "api agenda": text_of(client.get(reverse("api:agenda", args=[later.pk]))),
        }

    assert_everywhere(outputs(held.worker), [OPEN_ACTION], [SLOT_ACTION, sight.WITHHELD_SLOT])
    worker = client_for(held.worker)
    ids = [i["id"] for i in worker.get(reverse("api:agenda", args=[later.pk])).json()["items"]]
    assert str(carried.pk) not in ids
    # Those who were in the slot, and the later meeting's chair, review it there.
    assert_everywhere(outputs(held.officer), [OPEN_ACTION, SLOT_ACTION], [])
    assert_everywhere(outputs(held.chair), [OPEN_ACTION, SLOT_ACTION], [])


def test_the_family_version_leaves_out_a_carried_action_from_a_confidential_slot(
    scene: Scene,
) -> None:
    marmm = scene.type_of("marmm")
    first = schedule(scene, meeting_type=marmm, young_person=scene.person)
    slot = _item(first, 1, "Professionals only", "", confidential=True)
    for item, text in ((slot, SLOT_ACTION), (None, OPEN_ACTION)):
        Action.objects.create(
            area=scene.area,
            meeting=first,
            item=item,
            description=text,
            owner_agency=scene.police,
            due_on=first.starts_at.date() + dt.timedelta(days=30),
            created_by=scene.business_support,
        )
    later = schedule(
        scene,
        meeting_type=marmm,
        young_person=scene.person,
        starts_at=at(next_weekday(after=first.starts_at.date()), 10),
    )
    agenda.agenda_build(actor=scene.business_support, meeting=later)
    assert AgendaItem.objects.filter(meeting=later, kind="open_action").count() == 2
    family = documents.minutes_document(scene.business_support, later, "family").text()
    full = documents.minutes_document(scene.business_support, later, "full").text()
    assert OPEN_ACTION in family and SLOT_ACTION not in family
    assert OPEN_ACTION in full and SLOT_ACTION in full


# ---------------------------------------------------------------------------------------------
# One rule, asked two ways
# ---------------------------------------------------------------------------------------------


def test_the_register_and_one_action_agree_on_who_may_know_of_an_action(
    held: Held, scene: Scene
) -> None:
    readers = [
        scene.chair,
        scene.vice_chair,
        scene.officer,
        scene.social_worker,
        scene.deputy,
        scene.business_support,
        scene.teacher,
        scene.lead,
        held.nurse,
    ]
    for user in readers:
        listed = set(
            actions.action_register_for_user(user, actions.ActionFilter(status="all")).values_list(
                "pk", flat=True
            )
        )
        for action in (held.slot_action, held.open_action):
            assert (action.pk in listed) == policy.check("can_view_actions", user, action), (
                user,
                action,
            )
    knows = {u.pk for u in readers if policy.check("can_view_actions", u, held.slot_action)}
    assert knows == {scene.chair.pk, scene.officer.pk, scene.business_support.pk, held.nurse.pk}


def test_which_young_people_may_be_opened_agrees_with_the_policy(scene: Scene) -> None:
    """``openable_young_people`` asks in SQL, for many people at once, what
    ``can_view_young_person`` asks of one: each basis of involvement, and emergency access."""
    from riskpath.access.models import EmergencyAccessGrant

    people = {
        "led": YoungPersonFactory(recording_agency=scene.school, lead_professional=scene.officer),
        "recorded": YoungPersonFactory(recording_agency=scene.police),
        "intelligence": YoungPersonFactory(recording_agency=scene.school),
        "granted": YoungPersonFactory(recording_agency=scene.school),
        "expired": YoungPersonFactory(recording_agency=scene.school),
        "nobody": YoungPersonFactory(recording_agency=scene.health),
    }
    intelligence(people["intelligence"], scene.police, days_ago=3)
    # The pathway: an open episode naming the teacher as social worker (the teacher's agency
    # records nothing about them); a closed one about "closed".
    from riskpath.pathway.models import Episode, EpisodeKind, EpisodeStatus

    people["episode"] = YoungPersonFactory(recording_agency=scene.health)
    people["closed"] = YoungPersonFactory(recording_agency=scene.health)
    for key, status, worker in (
        ("episode", EpisodeStatus.AWAITING_S47_OUTCOME, scene.teacher),
        ("closed", EpisodeStatus.CLOSED, None),
    ):
        Episode.objects.create(
            area=scene.area,
            young_person=people[key],
            kind=EpisodeKind.UNDER_18,
            status=status,
            opened_by=scene.social_worker,
            social_worker=worker,
        )
    for key, hours in (("granted", 4), ("expired", -1)):
        EmergencyAccessGrant.objects.create(
            user=scene.officer,
            area_id=scene.area.pk,
            target_type="people.youngperson",
            target_id=str(people[key].pk),
            target_label="x",
            reason="Urgent safeguarding concern tonight",
            expires_at=clock.now() + dt.timedelta(hours=hours),
        )
    manager = UserFactory(agency=scene.social_care, roles=[Role.SERVICE_MANAGER])
    readers = [scene.officer, scene.social_worker, scene.teacher, manager, scene.area_admin]
    ids = [p.pk for p in people.values()]
    for user in [*readers, scene.business_support, scene.chair]:
        fresh = User.objects.get(pk=user.pk)
        openable = access.openable_young_people(fresh, ids)
        for name, person in people.items():
            expected = policy.check("can_view_young_person", fresh, person)
            assert (person.pk in openable) == expected, (user, name)
    officer = access.openable_young_people(scene.officer, ids)
    # Submitting intelligence about a child is not involvement with them.
    assert officer == {people[k].pk for k in ("led", "recorded", "granted")}
    teacher = access.openable_young_people(scene.teacher, ids)
    assert people["episode"].pk in teacher and people["closed"].pk not in teacher
    assert people["episode"].pk in access.openable_young_people(manager, ids)
    assert people["closed"].pk not in access.openable_young_people(manager, ids)


# ---------------------------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------------------------


def _big_meeting(scene: Scene, items: int) -> Meeting:
    """A held meeting of ``items`` minuted items, each about its own young person, with a
    decision and an action; every seventh item a confidential slot; the officer present."""
    meeting = schedule(scene, chair=scene.chair)
    Attendance.objects.filter(meeting=meeting, user=scene.officer).update(
        status=AttendanceStatus.PRESENT
    )
    people = [
        YoungPersonFactory(
            recording_agency=scene.school if n % 2 else scene.police, recorded_by=scene.chair
        )
        for n in range(items)
    ]
    rows = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=n + 1,
            kind="cohort_review",
            title=f"Review {n}",
            young_person=people[n],
            confidential=n % 7 == 0,
        )
        for n in range(items)
    )
    ItemMinutes.objects.bulk_create(
        ItemMinutes(item=row, discussion=f"Discussed item {n}.", minuted_at=timezone.now())
        for n, row in enumerate(rows)
    )
    Decision.objects.bulk_create(
        Decision(
            item=row,
            kind=DecisionKind.OTHER,
            text="Agreed",
            young_person=row.young_person,
            recorded_by=scene.chair,
            recorded_at=timezone.now(),
        )
        for row in rows
    )
    Action.objects.bulk_create(
        Action(
            area=scene.area,
            meeting=meeting,
            item=row,
            description=f"Action {n}",
            owner_agency=scene.health,
            young_person=row.young_person,
            due_on=clock.today(),
            created_by=scene.business_support,
        )
        for n, row in enumerate(rows)
    )
    return meeting


@pytest.mark.parametrize("who", ["chair", "officer", "social_worker"])
def test_what_a_reader_sees_takes_as_many_queries_for_a_hundred_items_as_for_five(
    scene: Scene, who: str
) -> None:
    small = _big_meeting(scene, 5)
    large = _big_meeting(scene, 120)
    reader = getattr(scene, who)
    counts = []
    for meeting in (small, large):
        fresh = User.objects.get(pk=reader.pk)
        with CaptureQueriesContext(connection) as queries:
            doc = documents.minutes_document(fresh, meeting, "full")
            papers = documents.papers_document(fresh, meeting)
            rows = actions.rows_for(fresh, sight.meeting_sight(fresh, meeting).actions)
        counts.append(len(queries))
        assert doc.blocks and papers.blocks
    assert len(rows) > 0
    assert counts[0] == counts[1], counts


def test_the_register_takes_as_many_queries_for_a_hundred_actions_as_for_five(
    client_for: Any, scene: Scene
) -> None:
    client = client_for(scene.officer)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = [reverse("meetings:action_register") + "?status=all", "/api/v1/actions/?status=all"]
    _big_meeting(scene, 5)
    few = [queries(url) for url in urls]
    _big_meeting(scene, 120)
    many = [queries(url) for url in urls]
    assert few == many


def test_a_panel_slot_booked_for_a_young_person_a_member_may_not_open_says_so(
    client_for: Any, scene: Scene
) -> None:
    from riskpath.meetings import slots
    from tests.meetings.scenario import aim_panel

    panel = aim_panel(scene)
    Attendance.objects.create(meeting=panel, user=scene.officer, status=AttendanceStatus.INVITED)
    child = YoungPersonFactory(  # business support's agency records her; not the officer's
        recording_agency=scene.social_care, given_names=CHILD_GIVEN, family_name=CHILD_FAMILY
    )
    slots.slot_book(
        actor=scene.business_support,
        meeting=panel,
        starts_at=panel.starts_at,
        young_person=child,
        title=f"AIM review for {CHILD_GIVEN} {CHILD_FAMILY}",
    )
    officer = client_for(scene.officer)
    outputs = {
        "slots page": text_of(page(officer, "slots", panel.pk)),
        "meeting page": text_of(page(officer, "detail", panel.pk)),
        "api slots": text_of(officer.get(f"/api/v1/meetings/{panel.pk}/slots/")),
    }
    assert_everywhere(outputs, [sight.WITHHELD_YOUNG_PERSON], [CHILD_GIVEN, CHILD_FAMILY])
    booked = officer.get(f"/api/v1/meetings/{panel.pk}/slots/").json()[0]
    assert booked["free"] is False and booked["title"] == sight.WITHHELD_YOUNG_PERSON
    support = client_for(scene.business_support)
    assert CHILD_FAMILY in text_of(page(support, "slots", panel.pk))
