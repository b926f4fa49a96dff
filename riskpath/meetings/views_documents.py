"""Pages: a meeting's documents. The minutes as DOCX or PDF (in full, or the version for one
young person and their family, chosen with ``?young_person=<id>``), each member's papers pack,
and business support publishing the papers. What each may hold is decided in ``documents``."""

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
from riskpath.core.errors import ConcurrentEditError, FieldErrors
from riskpath.meetings import documents, selectors
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
