"""Pages: a meeting's documents. The minutes as DOCX or PDF (in full, or the version for one
young person and their family, chosen with ``?young_person=<id>``), each member's papers pack,
business support publishing the papers, and the chair approving the minutes after a preview
of them and of who they will be circulated to. What each may hold is decided in
``documents``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.accounts.models import User
from riskpath.core.errors import ConcurrentEditError, DomainError, FieldErrors
from riskpath.meetings import conduct, documents, selectors
from riskpath.meetings.forms_conduct import VersionForm
from riskpath.meetings.models import Meeting, MeetingStatus


def _download(result: documents.Download) -> HttpResponse:
    response = HttpResponse(result.content, content_type=result.content_type)
    response["Content-Disposition"] = result.content_disposition()
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class MinutesDocumentView(RuleRequiredMixin, View):
    rule = "can_list_meetings"

    def get(self, request: HttpRequest, pk: Any, version: str, fmt: str) -> HttpResponse:
        if version not in documents.VERSIONS or fmt not in documents.FORMATS:
            raise Http404("No such document")
        meeting = selectors.access_meeting(self.actor, pk)
        try:
            result = documents.minutes_export(
                actor=self.actor,
                meeting=meeting,
                version=version,
                fmt=fmt,
                young_person=request.GET.get("young_person") or None,
            )
        except FieldErrors as exc:
            return _minutes_error(request, meeting, " ".join(exc.errors.values()))
        return _download(result)


def _minutes_error(request: HttpRequest, meeting: Meeting, message: str) -> HttpResponse:
    """400: the family's version was asked for without (or with the wrong) young person."""
    return _document_error(
        request,
        meeting,
        heading="Download the minutes",
        message=message,
        advice="Choose the version to download from the meeting's page.",
    )


def _document_error(
    request: HttpRequest, meeting: Meeting, *, heading: str, message: str, advice: str
) -> HttpResponse:
    return render(
        request,
        "meetings/documents/error.html",
        {"meeting": meeting, "heading": heading, "message": message, "advice": advice},
        status=400,
    )


def _publish_error(request: HttpRequest, meeting: Meeting, message: str) -> HttpResponse:
    return _document_error(
        request,
        meeting,
        heading="Publish the papers",
        message=message,
        advice=f"The papers for {meeting.title} were not published.",
    )


class PapersPackView(RuleRequiredMixin, View):
    rule = "can_list_meetings"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = selectors.access_meeting(self.actor, pk)
        return _download(documents.papers_open(actor=self.actor, meeting=meeting))


class PapersPublishView(RuleRequiredMixin, View):
    rule = "can_list_meetings"

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = selectors.access_meeting(self.actor, pk, rule="can_edit_agenda")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            return _publish_error(request, meeting, "Reload the meeting's page and publish again")
        try:
            documents.papers_publish(actor=self.actor, meeting=meeting, expected_version=version)
        except ConcurrentEditError:
            messages.error(
                request,
                "The meeting was changed by someone else while you were looking at it. Check "
                "the agenda and publish the papers again.",
            )
            return redirect(f"{meeting_url(meeting)}#documents")
        except FieldErrors as exc:
            return _publish_error(request, meeting, " ".join(exc.errors.values()))
        message = "The papers have been published to the members."
        if documents.papers_late(meeting) and meeting.papers_due_on:
            message += f" They are late: they were due by {meeting.papers_due_on:%-d %B %Y}."
        messages.success(request, message)
        return redirect(f"{meeting_url(meeting)}#documents")


class MinutesApproveView(RuleRequiredMixin, View):
    """Approving the minutes in two steps: the page shows the minutes as the approver has them
    (the same content as the files) and who they will be circulated to; only the POST from
    it approves them (``conduct.minutes_approve``). Nothing changes on the GET."""

    rule = "can_list_meetings"
    template_name = "meetings/documents/approve.html"

    def _meeting(self, pk: Any) -> Meeting:
        return selectors.access_meeting(self.actor, pk, rule="can_approve_minutes")

    def _render(
        self, request: HttpRequest, meeting: Meeting, errors: list[str], status: int = 200
    ) -> HttpResponse:
        doc = documents.minutes_document(self.actor, meeting, "full")
        selectors.record_meeting_read(self.actor, meeting, "minutes preview")
        return render(
            request,
            self.template_name,
            {
                "meeting": meeting,
                "document": doc,
                "blocks": preview_blocks(doc),
                "recipients": documents.minutes_recipients(meeting),
                "errors": errors,
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        if meeting.status == MeetingStatus.APPROVED:
            messages.info(request, "These minutes have already been approved.")
            return redirect(f"{meeting_url(meeting)}#minutes")
        if meeting.status != MeetingStatus.HELD:
            return _approve_error(request, meeting)
        return self._render(request, meeting, [])

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = self._meeting(pk)
        if meeting.status != MeetingStatus.HELD:
            return _approve_error(request, meeting)
        form = VersionForm(request.POST)
        if not form.is_valid():
            return self._render(
                request, meeting, ["The page was out of date: check the minutes again"], 400
            )
        try:
            conduct.minutes_approve(
                actor=self.actor, meeting=meeting, expected_version=form.cleaned_data["version"]
            )
        except ConcurrentEditError:
            meeting = self._meeting(pk)
            return self._render(
                request,
                meeting,
                [
                    "The meeting was changed by someone else while you were looking at it: "
                    "check the minutes again before approving them"
                ],
                409,
            )
        except DomainError as exc:
            return self._render(request, meeting, [exc.message], 400)
        messages.success(request, "The minutes have been approved.")
        return redirect(f"{meeting_url(meeting)}#minutes")


def _approve_error(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return _document_error(
        request,
        meeting,
        heading="Approve the minutes",
        message="Only the minutes of a meeting marked as held can be approved",
        advice=f"{meeting.title} is {meeting.get_status_display().lower()}.",
    )


def preview_blocks(doc: documents.Document) -> list[dict[str, Any]]:
    """A document's blocks for the HTML preview: consecutive bullets made one list."""
    out: list[dict[str, Any]] = []
    for block in doc.blocks:
        if block.kind == "bullet":
            if out and out[-1]["kind"] == "bullets":
                out[-1]["items"].append(block.text)
            else:
                out.append({"kind": "bullets", "items": [block.text]})
        else:
            out.append({"kind": block.kind, "block": block})
    return out


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


urlpatterns: list[URLPattern] = [
    path(
        "<uuid:pk>/documents/minutes/<str:version>/<str:fmt>/",
        MinutesDocumentView.as_view(),
        name="documents_minutes",
    ),
    path("<uuid:pk>/documents/papers/", PapersPackView.as_view(), name="documents_papers"),
    path(
        "<uuid:pk>/documents/minutes/approve/",
        MinutesApproveView.as_view(),
        name="documents_minutes_approve",
    ),
    path(
        "<uuid:pk>/documents/papers/publish/",
        PapersPublishView.as_view(),
        name="documents_papers_publish",
    ),
]


def family_downloads(meeting: Meeting) -> list[dict[str, Any]]:
    """A download of the family's version per young person it may be for, by name."""
    out = []
    for person in documents.family_young_people(meeting):
        query = f"?{urlencode({'young_person': str(person.pk)})}"
        out.append(
            {
                "name": str(person),
                "docx": reverse("meetings:documents_minutes", args=[meeting.pk, "family", "docx"])
                + query,
                "pdf": reverse("meetings:documents_minutes", args=[meeting.pk, "family", "pdf"])
                + query,
            }
        )
    return out


def detail_context(request: HttpRequest, meeting: Meeting, seen: Any = None) -> dict[str, Any]:
    """What this part adds to the meeting's page: downloads of the minutes, the papers and
    their deadline, publishing, and (for those who publish) who has opened them."""
    user = request.user
    assert isinstance(user, User)  # the meeting's page is for signed-in users only
    can_publish = policy.check("can_publish_papers", user, meeting)
    can_download_family = documents.may_produce_family_version(user, meeting)
    return {
        "documents": {
            "minutes_ready": meeting.status in (MeetingStatus.HELD, MeetingStatus.APPROVED),
            "approved": meeting.status == MeetingStatus.APPROVED,
            "can_approve": meeting.status == MeetingStatus.HELD
            and policy.check("can_approve_minutes", user, meeting),
            "can_download_full": policy.check("can_view_meeting", user, meeting),
            "family_applies": documents.family_version_applies(meeting),
            "can_download_family": can_download_family,
            "family": family_downloads(meeting) if can_download_family else [],
            "papers_due_on": meeting.papers_due_on,
            "papers_published_at": meeting.papers_published_at,
            "papers_late": documents.papers_late(meeting),
            "can_open_papers": policy.check("can_open_papers", user, meeting),
            "can_publish": can_publish and meeting.status != MeetingStatus.CANCELLED,
            "openings": documents.papers_openings(meeting) if can_publish else None,
        }
    }
