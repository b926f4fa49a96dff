from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views import View

from riskpath.access.views import RuleRequiredMixin
from riskpath.core.paging import page_of
from riskpath.jobs.runner import MAX_ATTEMPTS
from riskpath.jobs.selectors import failed_queryset, present

PAGE_SIZE = 50


class FailedJobsView(RuleRequiredMixin, View):
    """The area administrator's list of background jobs that failed: which, when, the kind of
    error and whether it will be tried again. No arguments and no messages: no personal data."""

    rule = "can_view_failed_jobs"

    def get(self, request: HttpRequest) -> HttpResponse:
        page = page_of(request, failed_queryset(self.actor), PAGE_SIZE)
        return render(
            request,
            "jobs/failed.html",
            {
                "page": page,
                "failures": [present(r) for r in page.object_list],
                "max_attempts": MAX_ATTEMPTS,
            },
        )


app_name = "jobs"
urlpatterns = [path("failed/", FailedJobsView.as_view(), name="failed")]
