"""Who has viewed a young person's record: shown to their lead professional."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from riskpath.access import policy
from riskpath.access.views import RuleRequiredMixin
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.auditlog.selectors import record_views_of
from riskpath.people import selectors
from riskpath.people.views import emergency_refusal


class YoungPersonRecordViewsView(RuleRequiredMixin, View):
    rule = "can_list_young_people"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        try:
            seen = selectors.access_young_person(self.actor, pk)
        except selectors.EmergencyAccessRequired as exc:
            return emergency_refusal(request, exc.person)
        person = seen.person
        if not policy.check("can_see_record_views", self.actor, person):
            raise PermissionDenied
        views = record_views_of(person)
        audit_record(
            actor=self.actor,
            verb=Verb.AUDIT_VIEWED,
            target=person,
            subject=person,
            basis=seen.basis,
            changes={"record_views": len(views)},
        )
        return render(request, "people/record_views.html", {"person": person, "views": views})
