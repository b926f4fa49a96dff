"""Subject access requests through HTTP, in the canary world (``tests.access.world``): the
officer records a request about the subject, checks identity, compiles, reviews the names,
approves, and downloads the disclosure. The compile holds every planted record about the
subject and nothing of another child, whose records carry their own canaries: none of them
reaches any page, API answer or the PDF. Redacted names never reach the PDF's bytes."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from riskpath.access import policy
from riskpath.accounts.enums import Role
from riskpath.audit.chain import verify_chain
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.cohort.models import CohortMembership
from riskpath.core import clock
from riskpath.governance.enums import RedactionDecision, RequestStatus
from riskpath.governance.models import Redaction, SubjectAccessRequest
from riskpath.intelligence.models import IntelligenceItem
from riskpath.links.models import Link
from riskpath.meetings.models import Action, AgendaItem, ItemKind, ItemMinutes
from riskpath.people.models import MissingEpisode
from riskpath.referrals.models import Referral
from tests.access import world as w
from tests.documents import pdf_text, shown_text

pytestmark = pytest.mark.django_db

# Planted in the subject's records by the world: each must be in the disclosure.
SUBJECTS = {
    "P-coded text": w.P_TEXT,
    "C-coded text": "CANARY-CTEXT",
    "C-coded sanitised text": "CANARY-CSANITISED",
    "C-coded conditions": "CANARY-CCONDITIONS",
    "confidential slot title": "CANARY-SLOTTITLE",
    "confidential slot minutes": "CANARY-SLOTMINUTES",
    "confidential slot decision": "CANARY-SLOTDECISION",
    "confidential slot action": "CANARY-SLOTACTION",
    "open minutes": "CANARY-OPENMINUTES",
    "school": "CANARY-SCHOOL",
    "alias": w.SUBJECT_ALIAS,
    "cohort entry": "Corroborated by three partners",
    "pathway plan action": "Disrupt the courier route",
    "missing episode": "Missing episode",
    "referral": "Referral",
    "link": "Link",
    "who viewed": "viewed a young person",
}
# Planted in another child's records by ``_plant_other_child``: none may be anywhere.
OTHERS = {
    "other child's name": w.OTHER_FAMILY,
    "other intelligence": "CANARY-OTHER-INTEL",
    "other missing": "CANARY-OTHER-FOUND",
    "other referral": "CANARY-OTHER-REFERRAL",
    "other minutes": "CANARY-OTHER-MINUTES",
    "other action": "CANARY-OTHER-ACTION",
    "other cohort": "CANARY-OTHER-COHORT",
}


def _plant_other_child(world: w.World) -> None:
    other, users = world.other, world.users
    item = IntelligenceItem.objects.create(
        area=world.area,
        reported_on=clock.today() - dt.timedelta(days=2),
        source_agency=world.police,
        submitted_by=users["officer"],
        harm_types=["cse"],
        source_evaluation="1",
        assessment="A",
        handling_code="P",
        provenance="first_hand",
        text="CANARY-OTHER-INTEL seen at the station",
    )
    item.young_people.set([other])
    MissingEpisode.objects.create(
        young_person=other,
        reported_at=timezone.now() - dt.timedelta(days=4),
        returned_at=timezone.now() - dt.timedelta(days=3),
        where_found="CANARY-OTHER-FOUND the bus depot",
        reporting_agency=world.police,
        recorded_by=users["officer"],
    )
    Referral.objects.create(
        young_person=other,
        to="base",
        made_on=clock.today() - dt.timedelta(days=2),
        outcome="CANARY-OTHER-REFERRAL accepted",
        referring_agency=world.police,
        recorded_by=users["officer"],
    )
    Link.objects.create(
        area=world.area,
        source_young_person=other,
        target_person_of_interest=world.poi,
        kind="associate",
        recorded_by=users["officer"],
    )
    agenda = AgendaItem.objects.create(
        meeting=world.meeting,
        position=3,
        kind=ItemKind.OTHER,
        title="Review of the other child",
        young_person=other,
    )
    ItemMinutes.objects.create(item=agenda, discussion="CANARY-OTHER-MINUTES were discussed")
    Action.objects.create(
        area=world.area,
        meeting=world.meeting,
        item=agenda,
        description="CANARY-OTHER-ACTION visit the family",
        owner_agency=world.police,
        young_person=other,
        due_on=clock.today() + dt.timedelta(days=7),
        created_by=users["chair"],
    )
    CohortMembership.objects.create(
        area=world.area,
        young_person=other,
        tier=2,
        entered_at=timezone.now() - dt.timedelta(days=9),
        entry_reason="CANARY-OTHER-COHORT two partners",
    )


@pytest.fixture
def world() -> w.World:
    built = w.build_world()
    _plant_other_child(built)
    return built


def _text(response: Any) -> str:
    return html.unescape(shown_text(response))


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _others_in(text: str) -> list[str]:
    return [what for what, canary in OTHERS.items() if canary in text]


def test_only_the_officer_may_record_or_compile() -> None:
    from tests.factories import UserFactory

    for role in Role.values:
        user = UserFactory(roles=[role])
        allowed = role == Role.INFORMATION_GOVERNANCE_OFFICER
        assert policy.check("can_compile_disclosure", user) is allowed, role
        assert policy.check("can_record_subject_access_request", user) is allowed, role


def test_others_are_refused_the_compile(world: w.World) -> None:
    url = reverse("governance:request_compile", args=[world.sar.pk])
    for name in ("lead", "social_worker", "service_manager", "chair", "area_admin"):
        assert _client(world.users[name]).post(url).status_code == 403, name
    assert _client(world.stranger).post(url).status_code == 404
    world.sar.refresh_from_db()
    assert world.sar.status == RequestStatus.RECEIVED


@override_settings(MEETINGS_PDF_COMPRESS=False)
def test_the_request_journey_over_http(world: w.World) -> None:
    # Someone opens the subject's record: the disclosure says who viewed it.
    assert (
        _client(world.users["lead"])
        .get(reverse("people:detail", args=[world.subject.pk]))
        .status_code
        == 200
    )
    officer = _client(world.users["ig_officer"])
    seen: list[str] = []

    def get(url: str, status: int = 200) -> Any:
        response = officer.get(url)
        assert response.status_code == status, (url, response.status_code)
        seen.append(_text(response))
        return response

    def post(url: str, data: dict[str, Any] | None = None, status: int = 302) -> Any:
        response = officer.post(url, data or {})
        assert response.status_code == status, (url, response.status_code)
        seen.append(_text(response))
        return response

    get(reverse("governance:request_create"))
    # Bad input: field messages, 400, nothing written.
    bad = post(
        reverse("governance:request_create"),
        {"requester_name": "", "received_on": "31 2 2026", "requester_kind": "x"},
        status=400,
    )
    text = _text(bad)
    assert "Search for and choose the young person the request is about" in text
    assert "Enter the name of the person making the request" in text
    assert "as a real date" in text
    assert SubjectAccessRequest.objects.count() == 1  # the world's own

    received = clock.today() - dt.timedelta(days=3)
    made = post(
        reverse("governance:request_create"),
        {
            "young_person": str(world.subject.pk),
            "requester_name": "Jo Requester",
            "requester_kind": "subject",
            "received_on": received.isoformat(),
        },
    )
    sar = SubjectAccessRequest.objects.exclude(pk=world.sar.pk).get()
    assert made["Location"] == reverse("governance:request_detail", args=[sar.pk])
    detail = reverse("governance:request_detail", args=[sar.pk])

    # Not before identity is checked.
    refused = post(reverse("governance:request_compile", args=[sar.pk]), status=400)
    assert "Check the requester's identity before compiling" in _text(refused)
    post(
        reverse("governance:request_identity", args=[sar.pk]),
        {"checked_on": received.isoformat(), "note": "Passport seen in person"},
    )
    post(reverse("governance:request_compile", args=[sar.pk]))
    page = _text(get(detail))
    missing = [what for what, planted in SUBJECTS.items() if planted not in page]
    assert not missing, f"not compiled: {missing}"

    # The person of interest is a third party to decide; professionals are kept.
    sar.refresh_from_db()
    poi = Redaction.objects.get(request=sar, party_ref=f"people.personofinterest:{world.poi.pk}")
    assert poi.decision == RedactionDecision.PENDING
    assert w.POI_ALIAS in poi.variants and w.POI_FAMILY in poi.variants
    kept = Redaction.objects.filter(request=sar, party_kind="professional")
    assert kept and all(r.decision == RedactionDecision.KEEP for r in kept)
    assert not Redaction.objects.filter(request=sar, party_ref__endswith=str(world.other.pk))

    # Approval waits for every third party to be decided.
    refused = post(reverse("governance:request_approve", args=[sar.pk]), status=400)
    assert "Decide every name first" in _text(refused)
    decide = reverse("governance:redaction_decide", args=[sar.pk, poi.pk])
    get(decide)
    bad = post(decide, {"decision": "redact", "reason": ""}, status=400)
    assert "Select the exemption the redaction relies on" in _text(bad)
    post(
        decide,
        {
            "decision": "redact",
            "exemption": "third_party",
            "reason": "A third party who has not agreed to disclosure",
        },
    )
    for other in Redaction.objects.filter(request=sar, decision=RedactionDecision.PENDING):
        post(
            reverse("governance:redaction_decide", args=[sar.pk, other.pk]),
            {"decision": "redact", "exemption": "third_party", "reason": "A third party"},
        )
    # Words the compile did not find as a person: the underpass's address, say.
    get(reverse("governance:redaction_add", args=[sar.pk]))
    post(
        reverse("governance:redaction_add", args=[sar.pk]),
        {
            "term": "Glassworks",
            "party_kind": "public",
            "exemption": "crime",
            "reason": "Would reveal a police operation",
        },
    )
    post(reverse("governance:request_approve", args=[sar.pk]))
    sar.refresh_from_db()
    assert sar.status == RequestStatus.PRODUCED  # the job ran (immediately, in tests)

    response = get(reverse("governance:disclosure", args=[sar.pk]))
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    pdf = pdf_text(content)
    for what, planted in SUBJECTS.items():
        if what in ("who viewed", "alias"):
            continue
        assert planted in pdf, f"{what} is not in the PDF"
    assert "Staff lead viewed a young person" in pdf
    assert "[REDACTED R" in pdf and "Schedule of exemptions" in pdf
    assert "Third-party personal data (DPA 2018, Schedule 2, Part 3, paragraph 16)" in pdf
    assert "Would reveal a police operation" in pdf
    for name in (w.POI_FAMILY, w.POI_GIVEN, w.POI_ALIAS, "Glassworks"):
        assert name not in pdf, name
        assert name.encode() not in content, name  # not in the bytes either
    # Professionals named; the subject's own name and alias kept.
    assert "Staff lead" in pdf and w.SUBJECT_FAMILY in pdf

    get(detail)
    get(reverse("governance:requests"))
    leaks = [(what, i) for i, text in enumerate([*seen, pdf]) for what in _others_in(text)]
    assert not leaks, leaks

    verbs = set(AuditEvent.objects.filter(target_id=str(sar.pk)).values_list("verb", flat=True))
    assert {
        Verb.SAR_RECORDED,
        Verb.SAR_UPDATED,
        Verb.SAR_VIEWED,
        Verb.DISCLOSURE_COMPILED,
        Verb.REDACTION_DECIDED,
        Verb.REDACTION_ADDED,
        Verb.DISCLOSURE_APPROVED,
        Verb.DISCLOSURE_PRODUCED,
        Verb.DISCLOSURE_DOWNLOADED,
    } <= verbs
    stored = " ".join(
        str(e.changes) + e.reason + e.target_label
        for e in AuditEvent.objects.filter(target_id=str(sar.pk))
    )
    assert w.POI_FAMILY not in stored and "CANARY" not in stored
    assert verify_chain()[1] is None


@override_settings(MEETINGS_PDF_COMPRESS=False)
def test_the_api_journey(world: w.World) -> None:
    api = _client(world.users["ig_officer"])
    base = reverse("api:sar_list")
    answers: list[str] = []

    def call(method: str, url: str, data: Any = None, status: int = 200) -> Any:
        kwargs = {"content_type": "application/json"} if data is not None else {}
        response = (
            getattr(api, method)(url, data, **kwargs)
            if data is not None
            else getattr(api, method)(url)
        )
        assert response.status_code == status, (url, response.status_code, response.content[:300])
        answers.append(_text(response))
        return response

    bad = call("post", base, {"young_person": str(world.other.pk)[:-1]}, status=400)
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"young_person", "requester_name", "requester_kind", "received_on"} <= fields
    future = (clock.today() + dt.timedelta(days=2)).isoformat()
    bad = call(
        "post",
        base,
        {
            "young_person": str(world.subject.pk),
            "requester_name": "Jo",
            "requester_kind": "subject",
            "received_on": future,
        },
        status=400,
    )
    assert bad.json()["errors"][0]["field"] == "received_on"
    received = clock.today() - dt.timedelta(days=1)
    made = call(
        "post",
        base,
        {
            "young_person": str(world.subject.pk),
            "requester_name": "Jo Requester",
            "requester_kind": "subject",
            "received_on": received.isoformat(),
            "identity_checked_on": received.isoformat(),
            "identity_note": "Driving licence",
        },
        status=201,
    ).json()
    pk = made["id"]
    assert made["deadline"]["due"] is not None and made["status"] == "received"
    pause = {"reason": "clarification", "started_on": received.isoformat()}
    call("post", reverse("api:sar_pause", args=[pk]), pause)
    paused = call("get", reverse("api:sar_detail", args=[pk])).json()
    assert paused["deadline"]["due"] is None and paused["deadline"]["paused_since"]
    call("post", reverse("api:sar_compile", args=[pk]), status=400)  # paused: not yet
    call("post", reverse("api:sar_resume", args=[pk]), {"ended_on": clock.today().isoformat()})
    compiled = call("post", reverse("api:sar_compile", args=[pk])).json()
    assert compiled["status"] == "compiled"
    text = " ".join(e["title"] + " " + e["text"] for e in compiled["entries"])
    assert "CANARY-CTEXT" in text and "CANARY-SLOTMINUTES" in text
    pending = [r for r in compiled["redactions"] if r["decision"] == "pending"]
    assert pending
    one = reverse("api:sar_redaction", args=[pk, pending[0]["id"]])
    bad = call("patch", one, {"decision": "redact"}, status=400)
    assert {e["field"] for e in bad.json()["errors"]} >= {"exemption", "reason"}
    for r in pending:
        call(
            "patch",
            reverse("api:sar_redaction", args=[pk, r["id"]]),
            {"decision": "redact", "exemption": "third_party", "reason": "A third party"},
        )
    call("post", reverse("api:sar_approve", args=[pk]))
    pdf = call("get", reverse("api:sar_disclosure", args=[pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert w.POI_FAMILY.encode() not in pdf.content
    leaks = [(what, i) for i, text in enumerate(answers) for what in _others_in(text)]
    assert not leaks, leaks
    # Someone else is refused the API.
    lead = _client(world.users["lead"])
    assert lead.get(reverse("api:sar_detail", args=[pk])).status_code == 403
    assert lead.post(reverse("api:sar_compile", args=[pk])).status_code == 403


def test_the_request_is_in_the_officers_work(world: w.World) -> None:
    response = _client(world.users["ig_officer"]).get(reverse("api:my_work"))
    assert response.status_code == 200
    body = response.json()
    items = body.get("results", body.get("items", body))
    text = str(items)
    assert "subject access request" in text.lower()
    assert reverse("governance:request_detail", args=[world.sar.pk]) in text
