"""Pages for research before the meeting: the names on a published agenda, as identity only,
for the participants to check what their agency knows, and the answers by agency for those
who run the meeting (``riskpath.meetings.research``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.accounts.models import User
from riskpath.core.errors import DomainError, FieldErrors
from riskpath.core.forms import refused
from riskpath.meetings import research, selectors
from riskpath.meetings.forms_conduct import NameCheckForm
from riskpath.meetings.models import Meeting

COARSE = "can_list_meetings"


def detail_context(request: HttpRequest, meeting: Meeting, seen: Any = None) -> dict[str, Any]:
    """What this part adds to the meeting's page: the way to the names circulated."""
    user = request.user
    assert isinstance(user, User)
    return {
        "research": {
            "researches": policy.check(research.RESEARCH, user, meeting),
            "sees_replies": policy.check(research.REPLIES, user, meeting),
            "until": research.research_until(meeting),
        }
    }


def _page_number(request: HttpRequest) -> str:
    raw = request.GET.get("page") or request.POST.get("page") or "1"
    return raw if raw.isdigit() else "1"


class ResearchView(RuleRequiredMixin, View):
    """The names on the agenda, a page at a time."""

    rule = COARSE

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = selectors.access_meeting(self.actor, pk)
        shown = research.research_for_user(self.actor, meeting, _page_number(request))
        return render(
            request,
            "meetings/research/list.html",
            {"meeting": meeting, "research": shown, "agency": self.actor.agency},
        )


class NameCheckView(RuleRequiredMixin, View):
    """One subject's identity and the reader's agency's answer."""

    rule = COARSE

    def _render(
        self, request: HttpRequest, meeting: Meeting, subject: Any, form: Any, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "meetings/research/answer.html",
            {
                "meeting": meeting,
                "subject": subject,
                "form": form,
                "page": _page_number(request),
                "agency": self.actor.agency,
            },
            status=status,
        )

    def _subject(self, request: HttpRequest, meeting: Meeting) -> Any:
        key = request.GET.get("subject") or request.POST.get("subject") or ""
        try:
            return research.research_subject_for_user(self.actor, meeting, key)
        except FieldErrors as exc:  # not on this agenda: as if it did not exist
            raise Http404(exc.message) from exc

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = selectors.access_meeting(self.actor, pk)
        subject = self._subject(request, meeting)
        initial: dict[str, Any] = {}
        if subject.mine is not None:
            initial = {
                "known": "yes" if subject.mine.known else "no",
                "note": subject.mine.note,
                "version": subject.mine.version,
            }
        form = NameCheckForm(initial=initial, agency=str(self.actor.agency))
        return self._render(request, meeting, subject, form)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        meeting = selectors.access_meeting(self.actor, pk)
        subject = self._subject(request, meeting)
        form = NameCheckForm(request.POST, agency=str(self.actor.agency))
        status = 400
        if form.is_valid():
            try:
                research.name_check_record(
                    actor=self.actor,
                    meeting=meeting,
                    subject=subject.key,
                    known=form.cleaned_data["known"],
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                status = refused(form, exc)
            else:
                messages.success(request, f"Your agency's answer for {subject.name} is saved.")
                url = reverse("meetings:research", args=[meeting.pk])
                return redirect(f"{url}?page={_page_number(request)}#{subject.key}")
        return self._render(request, meeting, subject, form, status)


urlpatterns: list[URLPattern] = [
    path("<uuid:pk>/research/", ResearchView.as_view(), name="research"),
    path("<uuid:pk>/research/answer/", NameCheckView.as_view(), name="name_check"),
]
