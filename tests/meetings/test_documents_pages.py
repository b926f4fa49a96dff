"""The documents over HTTP: downloads from the meeting's page and the API, who is refused,
publishing the papers, and the audit trail of each."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import unquote

import docx
import pytest
from django.urls import reverse

from riskpath.audit.models import AuditEvent
from riskpath.core import clock
from riskpath.meetings import documents
from riskpath.meetings.models import Meeting, MeetingKind
from tests.api.helpers import errors
from tests.meetings.scenario import Scene, at, next_weekday, schedule
from tests.meetings.test_documents import (
    A_CONFIDENTIAL,
    A_ITEM,
    B_ITEM,
    BIG,
    CONFIDENTIAL,
    DISCUSSED,
    WELCOME,
    minuted_meeting,
    pdf_text,
    pimm_meeting,
    real_size_pimm,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncompressed_pdfs(settings: Any) -> None:
    settings.MEETINGS_PDF_COMPRESS = False


def _for(young_person: Any) -> str:
    return "" if young_person is None else f"?young_person={young_person}"


def minutes_url(
    meeting: Meeting, version: str = "full", fmt: str = "pdf", young_person: Any = None
) -> str:
    url = reverse("meetings:documents_minutes", args=[meeting.pk, version, fmt])
    return url + _for(young_person)


def api_minutes_url(
    meeting: Meeting, version: str = "full", fmt: str = "pdf", young_person: Any = None
) -> str:
    url = reverse("api:meeting_documents_minutes", args=[meeting.pk, version, fmt])
    return url + _for(young_person)


def papers_url(meeting: Meeting) -> str:
    return reverse("meetings:documents_papers", args=[meeting.pk])


def publish_url(meeting: Meeting) -> str:
    return reverse("meetings:documents_papers_publish", args=[meeting.pk])


def test_a_participant_downloads_the_full_minutes_and_it_is_audited(
    client_for: Any, scene: Scene
) -> None:
    m = minuted_meeting(scene)
    response = client_for(scene.officer).get(minutes_url(m.meeting, "full", "docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == documents.CONTENT_TYPES["docx"]
    assert response["Content-Disposition"].startswith("attachment;")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert CONFIDENTIAL in text
    event = AuditEvent.objects.get(verb="MINUTES_EXPORTED")
    assert event.actor_id == scene.officer.pk
    assert (event.changes["format"], event.changes["version"]) == ("docx", "full")


def test_outsiders_are_told_nothing_exists(client_for: Any, scene: Scene) -> None:
    m = minuted_meeting(scene)
    m.meeting.papers_published_at = clock.now()
    m.meeting.save()
    # A partner in the area who is not invited, a lead professional, another area's
    # business support: the meeting is not known to exist.
    for user in (scene.teacher, scene.lead, scene.stranger):
        client = client_for(user)
        for url in (
            minutes_url(m.meeting),
            minutes_url(m.meeting, "family", "docx"),
            papers_url(m.meeting),
            api_minutes_url(m.meeting),
            reverse("api:meeting_documents_papers", args=[m.meeting.pk]),
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(publish_url(m.meeting), {"version": 1}).status_code == 404
    assert not AuditEvent.objects.filter(verb__in=["MINUTES_EXPORTED", "PAPERS_OPENED"]).exists()


def test_only_business_support_and_chairs_get_the_family_version(
    client_for: Any, scene: Scene
) -> None:
    m = minuted_meeting(scene)
    officer = client_for(scene.officer)
    assert officer.get(minutes_url(m.meeting, "family")).status_code == 403
    response = client_for(scene.chair).get(minutes_url(m.meeting, "family", "pdf"))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert WELCOME in text and CONFIDENTIAL not in text
    disposition = unquote(response["Content-Disposition"])
    assert "(young person and family).pdf" in disposition
    # Nonsense in the route is "no such document".
    assert officer.get(minutes_url(m.meeting, "abc", "pdf")).status_code == 404
    assert officer.get(minutes_url(m.meeting, "full", "txt")).status_code == 404


def test_a_pimm_page_offers_a_family_version_per_young_person(
    client_for: Any, scene: Scene
) -> None:
    p = pimm_meeting(scene)
    detail = reverse("meetings:detail", args=[p.meeting.pk])
    page = client_for(scene.business_support).get(detail).content.decode()
    a_entry = page.index("Version for Arden Ashcombe and family:")
    b_entry = page.index("Version for Blaise Birchwood and family:")
    assert a_entry < b_entry  # by name
    assert "Corin Cloudberry" not in page.split('id="documents"')[1]  # taken off the agenda
    for person in (p.a, p.b):
        for fmt in ("docx", "pdf"):
            assert minutes_url(p.meeting, "family", fmt, person.pk) in page
        assert f"of the version for {person} and family</span>" in page
    # Members who do not produce it see the full minutes only.
    page = client_for(scene.officer).get(detail).content.decode()
    assert "Full minutes:" in page
    assert "and family:" not in page


def test_a_pimm_family_version_is_downloaded_per_young_person(
    client_for: Any, scene: Scene
) -> None:
    p = pimm_meeting(scene)
    support = client_for(scene.business_support)
    # Without a young person, or with one not on the agenda: 400, nothing recorded.
    response = support.get(minutes_url(p.meeting, "family", "pdf"))
    assert response.status_code == 400
    assert "Choose the young person the family" in response.content.decode()
    for chosen in (p.absent.pk, scene.person.pk, "nonsense"):
        response = support.get(minutes_url(p.meeting, "family", "pdf", chosen))
        assert response.status_code == 400, chosen
        assert "Choose one of the young people on the meeting" in response.content.decode()
    assert not AuditEvent.objects.filter(verb="MINUTES_EXPORTED").exists()
    # A member who may not produce it is refused whatever they ask for.
    officer = client_for(scene.officer)
    assert officer.get(minutes_url(p.meeting, "family", "pdf", p.a.pk)).status_code == 403
    response = support.get(minutes_url(p.meeting, "family", "pdf", p.a.pk))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert A_ITEM in text
    assert B_ITEM not in text and A_CONFIDENTIAL not in text and "Birchwood" not in text
    disposition = unquote(response["Content-Disposition"])
    assert "(young person and family).pdf" in disposition
    assert "Ashcombe" not in disposition and "Arden" not in disposition
    event = AuditEvent.objects.get(verb="MINUTES_EXPORTED")
    assert event.subject_id == str(p.a.pk)
    assert event.changes["version"] == "family"


def test_api_family_version_of_a_pimm(client_for: Any, scene: Scene) -> None:
    p = pimm_meeting(scene)
    support = client_for(scene.business_support)
    response = support.get(api_minutes_url(p.meeting, "family", "pdf"))
    assert response.status_code == 400
    assert [e["field"] for e in errors(response)] == ["young_person"]
    response = support.get(api_minutes_url(p.meeting, "family", "pdf", p.absent.pk))
    assert response.status_code == 400
    assert [e["field"] for e in errors(response)] == ["young_person"]
    assert (
        client_for(scene.officer)
        .get(api_minutes_url(p.meeting, "family", "pdf", p.b.pk))
        .status_code
        == 403
    )
    response = support.get(
        api_minutes_url(p.meeting, "family", "pdf", p.b.pk), HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert B_ITEM in text and A_ITEM not in text
    event = AuditEvent.objects.get(verb="MINUTES_EXPORTED")
    assert event.subject_id == str(p.b.pk)


def test_the_aim_panel_file_name_survives_the_header(client_for: Any, scene: Scene) -> None:
    day = next_weekday(0)
    meeting = schedule(
        scene, meeting_type=scene.type_of(MeetingKind.HSB_AIM), starts_at=at(day, 13)
    )
    response = client_for(scene.business_support).get(minutes_url(meeting, "full", "docx"))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    fallback, encoded = disposition.split("; filename*=UTF-8''")
    assert fallback == f'attachment; filename="P25 {day:%Y-%m-%d} LEGAL MEETINGS (HSB AIM).docx"'
    assert unquote(encoded) == f"P25 {day:%Y/%m/%d} LEGAL MEETINGS (HSB AIM).docx"
    assert "/" not in encoded


def test_papers_are_published_then_opened_and_the_openings_shown(
    client_for: Any, scene: Scene
) -> None:
    meeting = schedule(scene)
    Meeting.objects.filter(pk=meeting.pk).update(papers_due_on=clock.today() - dt.timedelta(days=1))
    meeting.refresh_from_db()
    officer, support = client_for(scene.officer), client_for(scene.business_support)
    # Not yet published: members cannot open them; business support can preview them.
    assert officer.get(papers_url(meeting)).status_code == 403
    assert support.get(papers_url(meeting)).status_code == 200
    page = officer.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "The papers have not been published yet." in page
    assert "Who has opened the papers" not in page
    # A member who is not the chair may not publish.
    assert officer.post(publish_url(meeting), {"version": meeting.version}).status_code == 403
    # Missing version: refused, nothing written.
    response = support.post(publish_url(meeting), {})
    assert response.status_code == 400
    assert "Reload the meeting" in response.content.decode()
    # A stale version: told, nothing written.
    response = support.post(publish_url(meeting), {"version": meeting.version + 5})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.papers_published_at is None
    response = support.post(publish_url(meeting), {"version": meeting.version}, follow=True)
    assert "The papers have been published to the members. They are late" in (
        response.content.decode()
    )
    meeting.refresh_from_db()
    assert meeting.papers_published_at is not None
    assert (
        AuditEvent.objects.filter(verb="PAPERS_PUBLISHED", target_id=str(meeting.pk)).count() == 1
    )

    response = officer.get(papers_url(meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Published late." in pdf_text(response.content)
    opened = AuditEvent.objects.filter(verb="PAPERS_OPENED", actor=scene.officer)
    assert opened.count() == 1
    page = support.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Who has opened the papers" in page
    assert scene.officer.full_name in page
    assert "Late" in page
    # Members see the download, not who opened it.
    page = officer.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Download your papers (PDF)" in page
    assert "Who has opened the papers" not in page


# ---------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------


def test_api_minutes_whatever_the_client_accepts(client_for: Any, scene: Scene) -> None:
    m = minuted_meeting(scene)
    client = client_for(scene.officer)
    response = client.get(api_minutes_url(m.meeting, "full", "pdf"), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert CONFIDENTIAL in pdf_text(response.content)
    response = client.get(api_minutes_url(m.meeting, "full", "docx"))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    refused = client.get(api_minutes_url(m.meeting, "family", "pdf"))
    assert refused.status_code == 403
    assert errors(refused)
    assert client_for(scene.teacher).get(api_minutes_url(m.meeting)).status_code == 404
    assert client.get(api_minutes_url(m.meeting, "all", "pdf")).status_code == 404
    verbs = AuditEvent.objects.filter(verb="MINUTES_EXPORTED").values_list("changes", flat=True)
    assert sorted(c["format"] for c in verbs) == ["docx", "pdf"]


def test_api_publish_and_open_papers(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene)
    url = reverse("api:meeting_documents_papers_publish", args=[meeting.pk])
    papers = reverse("api:meeting_documents_papers", args=[meeting.pk])
    officer, support = client_for(scene.officer), client_for(scene.business_support)
    assert officer.get(papers).status_code == 403
    assert (
        officer.post(url, {"version": meeting.version}, content_type="application/json").status_code
        == 403
    )
    response = support.post(url, {}, content_type="application/json")
    assert response.status_code == 400
    assert "version" in {e["field"] for e in errors(response)}
    stale = support.post(url, {"version": meeting.version + 1}, content_type="application/json")
    assert stale.status_code == 409
    response = support.post(url, {"version": meeting.version}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["meeting"] == str(meeting.pk)
    assert body["papers_published_at"] and body["late"] is False
    assert body["version"] == meeting.version + 1
    response = officer.get(papers)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(verb="PAPERS_OPENED", actor=scene.officer).count() == 1
    assert client_for(scene.teacher).get(papers).status_code == 404


def test_the_endpoints_are_in_the_openapi_document(client_for: Any, scene: Scene) -> None:
    document = client_for(scene.officer).get("/api/v1/openapi.json").json()
    paths = document["paths"]
    minutes = paths["/api/v1/meetings/{id}/documents/minutes/{version}/{file_type}/"]["get"]
    content = minutes["responses"]["200"]["content"]
    assert content["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    assert content[documents.CONTENT_TYPES["docx"]]["schema"]["format"] == "binary"
    young_person = {p["name"]: p for p in minutes["parameters"]}["young_person"]
    assert young_person["in"] == "query"
    assert young_person.get("required", False) is False
    assert young_person["schema"] == {"type": "string", "format": "uuid"}
    pack = paths["/api/v1/meetings/{id}/documents/papers/"]["get"]
    assert pack["responses"]["200"]["content"]["application/pdf"]["schema"]["format"] == "binary"
    assert "post" in paths["/api/v1/meetings/{id}/documents/papers/publish/"]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("api", [False, True])
def test_the_family_version_redacts_by_whole_words_in_any_case(
    client_for: Any, scene: Scene, fmt: str, api: bool
) -> None:
    """Worked examples of what the old exact-string redaction let through or corrupted: a
    person of interest known in the area but linked to nothing at the meeting, named by an
    alias in lower case; a code-C sentence copied in lower case; another young person of the
    area, not on the agenda; and an innocent double-barrelled surname beside a person of
    interest who shares half of it."""
    from riskpath.people.models import PersonOfInterest
    from tests.factories import YoungPersonFactory
    from tests.meetings.test_documents import docx_text

    m = minuted_meeting(scene)
    PersonOfInterest.objects.create(
        area=scene.area,
        given_names="Ravi",
        family_name="Quennell",
        aliases=["Tankard"],
        recording_agency=scene.police,
        recorded_by=scene.officer,
    )
    YoungPersonFactory(
        recording_agency=scene.school, given_names="Ottoline", family_name="Pemberwick"
    )
    minutes = m.items[0].minutes
    minutes.discussion = (
        "Mentor Ms Hartley-Quennell will visit. Seen with tankard and ottoline near the shops; "
        + m.c_item.text.lower()
        + " Quennell was mentioned."
    )
    minutes.save()
    url = (api_minutes_url if api else minutes_url)(m.meeting, "family", fmt)
    response = client_for(scene.business_support).get(url)
    assert response.status_code == 200
    text = pdf_text(response.content) if fmt == "pdf" else docx_text(response.content)
    flat = " ".join(text.split())
    assert (
        "Mentor Ms Hartley-Quennell will visit. Seen with [removed] and [removed] near the "
        "shops; [removed]. [removed] was mentioned." in flat
    ), flat
    for word in ("Tankard", "tankard", "Ottoline", "Pemberwick", "Covert", "covert", "retail"):
        assert word not in flat, word


# ---------------------------------------------------------------------------------------------
# A real-size PIMM's minutes, and approving the minutes after a preview
# ---------------------------------------------------------------------------------------------


def test_a_real_size_pimm_downloads_with_the_undiscussed_in_one_table(
    client_for: Any, scene: Scene
) -> None:
    meeting = real_size_pimm(scene)
    client = client_for(scene.officer)
    response = client.get(minutes_url(meeting, "full", "docx"))
    assert response.status_code == 200
    word = docx.Document(io.BytesIO(response.content))
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    assert "No minutes recorded" not in paragraphs
    tables = {t.rows[0].cells[0].text: t for t in word.tables}
    listed = [[c.text for c in row.cells] for row in tables["No."].rows]
    assert listed[0] == ["No.", "Item"]
    assert len(listed) - 1 == BIG - len(DISCUSSED) - 2  # less the decided and actioned
    assert ["2", "Agenda item number 002"] in listed
    assert "Agenda item number 002" not in paragraphs  # never an item's heading of its own
    assert [c.text for c in tables["Action"].rows[0].cells] == ["Action", "Owner", "Due"]
    assert [c.text for c in tables["Name"].rows[0].cells] == ["Name", "Agency", "Attendance"]

    text = pdf_text(client.get(minutes_url(meeting, "full", "pdf")).content)
    assert "No minutes recorded" not in text
    assert text.count("Agenda item number 002") == 1
    assert "Items not discussed" in text
    assert f"Chair\n{scene.chair.full_name}" in text
    assert f"Vice-chair\n{scene.vice_chair.full_name}" in text


def approve_url(meeting: Meeting) -> str:
    return reverse("meetings:documents_minutes_approve", args=[meeting.pk])


def test_approving_shows_the_minutes_and_recipients_and_changes_nothing_until_posted(
    client_for: Any, scene: Scene
) -> None:
    m = minuted_meeting(scene)
    meeting = m.meeting
    chair = client_for(scene.chair)
    page = chair.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert approve_url(meeting) in page  # "Check and approve the minutes"

    response = chair.get(approve_url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    # The preview: the minutes the chair would download, item by item, as HTML.
    assert WELCOME in html and CONFIDENTIAL in html
    assert "Arrange a mentoring introduction." in html
    assert '<th scope="col" class="govuk-table__header">Owner</th>' in html
    # The recipients: those recorded present (or as deputies) with an account.
    recipients = html[html.index('id="recipients"') : html.index('id="preview"')]
    for user in (scene.chair, scene.officer, scene.deputy):
        assert user.full_name in recipients and user.email in recipients
    assert scene.social_worker.email not in recipients  # sent apologies
    assert "Robin Fernleigh" not in recipients  # no account
    # Nothing changed: still held, same version, nothing approved; the read is recorded.
    before = meeting.version
    meeting.refresh_from_db()
    assert (meeting.status, meeting.version, meeting.approved_at) == ("held", before, None)
    assert not AuditEvent.objects.filter(verb="MINUTES_APPROVED").exists()
    read = AuditEvent.objects.get(verb="MEETING_VIEWED", changes={"read": "minutes preview"})
    assert read.actor_id == scene.chair.pk

    response = chair.post(approve_url(meeting), {"version": meeting.version})
    assert response.status_code == 302
    assert response["Location"].endswith("#minutes")
    meeting.refresh_from_db()
    assert meeting.status == "approved" and meeting.approved_by_id == scene.chair.pk
    assert AuditEvent.objects.filter(verb="MINUTES_APPROVED").count() == 1
    # Approved: the page sends the chair back to the meeting.
    assert chair.get(approve_url(meeting)).status_code == 302
    assert (
        approve_url(meeting)
        not in chair.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    )


def test_only_the_approver_reaches_the_approval_page(client_for: Any, scene: Scene) -> None:
    meeting = minuted_meeting(scene).meeting
    officer = client_for(scene.officer)
    assert officer.get(approve_url(meeting)).status_code == 403
    assert officer.post(approve_url(meeting), {"version": meeting.version}).status_code == 403
    assert (
        approve_url(meeting)
        not in officer.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    )
    for outsider in (scene.teacher, scene.stranger):
        assert client_for(outsider).get(approve_url(meeting)).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert not AuditEvent.objects.filter(
        verb="MEETING_VIEWED", changes={"read": "minutes preview"}
    ).exists()


def test_a_stale_approval_changes_nothing_and_shows_the_preview_again(
    client_for: Any, scene: Scene
) -> None:
    meeting = minuted_meeting(scene).meeting
    chair = client_for(scene.chair)
    response = chair.post(approve_url(meeting), {"version": meeting.version + 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "govuk-error-summary" in html and "changed by someone else" in html
    assert WELCOME in html  # the preview again
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert chair.post(approve_url(meeting), {"version": "x"}).status_code == 400


def test_a_meeting_not_held_cannot_be_approved(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene, chair=scene.chair)
    chair = client_for(scene.chair)
    response = chair.get(approve_url(meeting))
    assert response.status_code == 400
    assert "Only the minutes of a meeting marked as held can be approved" in (
        response.content.decode()
    )
    assert chair.post(approve_url(meeting), {"version": meeting.version}).status_code == 400
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


def test_nothing_minuted_is_refused_on_the_page(client_for: Any, scene: Scene) -> None:
    meeting = schedule(scene, chair=scene.chair)
    meeting.status = "held"
    meeting.save()
    chair = client_for(scene.chair)
    html = chair.get(approve_url(meeting)).content.decode()
    assert "Nobody with a riskpath account is recorded as present" in html
    response = chair.post(approve_url(meeting), {"version": meeting.version})
    assert response.status_code == 400
    assert "Nothing has been minuted yet" in response.content.decode()
