"""Reads of meetings, scoped by the access policy and audited where they show personal data."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from riskpath.access import policy
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.errors import NotPermitted
from riskpath.meetings.access import meetings_participated
from riskpath.meetings.models import Meeting, MeetingType


def meeting_types_for_user(user: Any) -> QuerySet[MeetingType]:
    if not policy.check("can_list_meetings", user):
        return MeetingType.objects.none()
    return MeetingType.objects.filter(area_id=user.area_id)


def meeting_queryset_for_user(user: Any) -> QuerySet[Meeting]:
    """The meetings the user may see: every meeting in the area for meeting administrators;
    otherwise those they take part in."""
    if not policy.check("can_list_meetings", user):
        return Meeting.objects.none()
    if policy.check("can_run_every_meeting", user):
        qs = Meeting.objects.filter(area_id=user.area_id)
    else:
        qs = meetings_participated(user)
    return qs.select_related("meeting_type", "chair")


def access_meeting(user: Any, pk: Any, *, rule: str = "can_view_meeting") -> Meeting:
    """The meeting ``pk`` if the user may see it: Http404 otherwise (a meeting in another area,
    or one the user takes no part in, is not known to exist). NotPermitted if they may see it
    but not pass ``rule``. Does not audit."""
    meeting = (
        Meeting.objects.select_related("meeting_type", "area", "chair", "young_person", "group")
        .filter(pk=pk, area_id=user.area_id)
        .first()
    )
    if meeting is None or not policy.check("can_view_meeting", user, meeting):
        raise Http404("No such meeting")
    if rule != "can_view_meeting" and not policy.check(rule, user, meeting):
        raise NotPermitted()
    return meeting


def meeting_get_for_user(user: Any, pk: Any) -> Meeting:
    """Look up and record the read in one step."""
    with transaction.atomic():
        meeting = access_meeting(user, pk)
        audit_record(
            actor=user,
            verb=Verb.MEETING_VIEWED,
            target=meeting,
            subject=meeting.young_person,
            basis="meeting participant",
        )
    return meeting


def record_meeting_read(user: Any, meeting: Meeting, what: str) -> None:
    """Record that ``user`` read a part of ``meeting`` (its attendance, decisions, panel
    slots…) outside the meeting's own page, which records its read itself."""
    audit_record(
        actor=user,
        verb=Verb.MEETING_VIEWED,
        target=meeting,
        subject=meeting.young_person,
        basis="meeting participant",
        changes={"read": what},
    )
