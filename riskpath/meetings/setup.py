"""Configuring an area's meeting types: recurrence, timescales, the confidentiality
declaration, whether family may attend, terms of reference and their review date, and the
standing (core) members with their deputies.

Each write checks ``can_configure_meetings`` (object: the type), validates, writes and records
its audit event in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.rrule import rrulestr
from django.db import transaction

from riskpath.access import policy
from riskpath.accounts.models import Agency, Area, User
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import FieldErrors, NotPermitted
from riskpath.core.versioning import save_versioned
from riskpath.meetings import services
from riskpath.meetings.models import (
    Attendance,
    AttendanceStatus,
    CoreMember,
    Meeting,
    MeetingStatus,
    MeetingType,
    MemberCapacity,
)

# The fields of a meeting type an area may change (the kind is fixed: it decides how the
# agenda is built).
EDITABLE_FIELDS = (
    "name",
    "recurrence",
    "start_time",
    "duration_minutes",
    "intelligence_window_days",
    "research_days_after",
    "requires_declaration",
    "declaration_text",
    "papers_working_days",
    "minutes_working_days",
    "family_may_attend",
    "has_confidential_slot",
    "tier_2_every",
    "tier_3_every",
    "slot_minutes",
    "terms_of_reference",
    "terms_review_on",
    "is_active",
)
# Long texts are audited as "changed", not copied into the log.
LONG_TEXT_FIELDS = ("declaration_text", "terms_of_reference")
MAX_WORKING_DAYS = 60
REVIEW_NOTICE_DAYS = 30
RRULE_HELP = "An iCalendar RRULE such as FREQ=WEEKLY;INTERVAL=2 or FREQ=MONTHLY;BYDAY=1MO"


def recurrence_check(value: str, *, field: str = "recurrence") -> str:
    """The RRULE, tidied (no "RRULE:" prefix, upper case), or FieldErrors naming ``field``.
    Blank is allowed: the type is convened on request."""
    text = (value or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :].strip()
    text = text.upper()
    if not text:
        return ""
    if "\n" in text or "DTSTART" in text:
        raise FieldErrors({field: f"Enter the recurrence as one RRULE line. {RRULE_HELP}"})
    try:
        rule = rrulestr(text, dtstart=dt.datetime(2000, 1, 3, 10, 0))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise FieldErrors(
            {field: f"The recurrence is not a valid iCalendar RRULE ({exc}). {RRULE_HELP}"}
        ) from exc
    if rule.after(dt.datetime(2000, 1, 3, 10, 0), inc=True) is None:
        raise FieldErrors({field: f"The recurrence never produces a date. {RRULE_HELP}"})
    if text.split("FREQ=")[-1].split(";")[0] in ("SECONDLY", "MINUTELY", "HOURLY"):
        raise FieldErrors({field: "Meetings repeat daily at most often: use DAILY or longer"})
    return text


def _check_configure(actor: Any, meeting_type: MeetingType) -> None:
    if not policy.check("can_configure_meetings", actor, meeting_type):
        raise NotPermitted(
            "Only area administrators and meeting administrators configure meetings."
        )


def _validate(meeting_type: MeetingType, values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = dict(values)
    if "name" in clean:
        name = (clean["name"] or "").strip()
        clean["name"] = name
        if not name:
            errors["name"] = "Enter the meeting type's name"
        elif (
            MeetingType.objects.filter(area_id=meeting_type.area_id, name__iexact=name)
            .exclude(pk=meeting_type.pk)
            .exists()
        ):
            errors["name"] = "The area already has a meeting type with this name"
    if "recurrence" in clean:
        try:
            clean["recurrence"] = recurrence_check(clean["recurrence"] or "")
        except FieldErrors as exc:
            errors.update(exc.errors)
    if "duration_minutes" in clean:
        minutes = clean["duration_minutes"]
        if minutes is None or not 15 <= minutes <= 12 * 60:
            errors["duration_minutes"] = "Enter a length between 15 minutes and 12 hours"
    for field in ("papers_working_days", "minutes_working_days"):
        if field in clean and clean[field] is not None:
            if not 0 <= clean[field] <= MAX_WORKING_DAYS:
                errors[field] = f"Enter a number of working days from 0 to {MAX_WORKING_DAYS}"
    for field in ("tier_2_every", "tier_3_every"):
        if field in clean and (clean[field] is None or not 1 <= clean[field] <= 26):
            errors[field] = "Enter a number of meetings from 1 to 26"
    if "intelligence_window_days" in clean and clean["intelligence_window_days"] is not None:
        if not 1 <= clean["intelligence_window_days"] <= 366:
            errors["intelligence_window_days"] = "Enter a window from 1 to 366 days"
    if "research_days_after" in clean and clean["research_days_after"] is not None:
        if not 0 <= clean["research_days_after"] <= 90:
            errors["research_days_after"] = "Enter a number of days from 0 to 90"
    if "slot_minutes" in clean and clean["slot_minutes"] is not None:
        if not 5 <= clean["slot_minutes"] <= 240:
            errors["slot_minutes"] = "Enter a slot length from 5 to 240 minutes"
    for field in ("declaration_text", "terms_of_reference"):
        if field in clean:
            clean[field] = (clean[field] or "").strip()
    requires = clean.get("requires_declaration", meeting_type.requires_declaration)
    text = clean.get("declaration_text", meeting_type.declaration_text)
    if requires and not text:
        errors["declaration_text"] = "Enter the confidentiality declaration every participant signs"
    review = clean.get("terms_review_on")
    if "terms_review_on" in clean and review is not None:
        if not isinstance(review, dt.date) or review.year < 2000 or review.year > 2100:
            errors["terms_review_on"] = "Enter the review date as a real date"
    if errors:
        raise FieldErrors(errors)
    return clean


def _audit_value(field: str, value: Any) -> Any:
    if field in LONG_TEXT_FIELDS:
        return f"{len(value or '')} characters"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def meeting_type_update(
    *,
    actor: Any,
    meeting_type: MeetingType,
    expected_version: int,
    core_agencies: list[Agency] | None = None,
    **values: Any,
) -> MeetingType:
    """Change a meeting type's configuration. Only the fields given are changed;
    ``core_agencies`` (if given) replaces the type's core agencies."""
    _check_configure(actor, meeting_type)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise FieldErrors({name: "This cannot be changed" for name in sorted(unknown)})
    clean = _validate(meeting_type, values)
    if core_agencies is not None:
        foreign = [a for a in core_agencies if a.area_id != meeting_type.area_id]
        if foreign:
            raise FieldErrors({"core_agencies": "Choose agencies in the meeting type's area"})
    changes: dict[str, Any] = {}
    for field, value in clean.items():
        old = getattr(meeting_type, field)
        if old != value:
            changes[field] = [_audit_value(field, old), _audit_value(field, value)]
            setattr(meeting_type, field, value)
    with transaction.atomic():
        save_versioned(
            meeting_type,
            expected_version=expected_version,
            fields=list(clean),
            label="meeting type",
        )
        if core_agencies is not None:
            before = {str(a.name) for a in meeting_type.core_agencies.all()}
            after = {str(a.name) for a in core_agencies}
            if before != after:
                meeting_type.core_agencies.set(core_agencies)
                changes["core_agencies"] = [sorted(before), sorted(after)]
        audit_record(
            actor=actor, verb=Verb.MEETING_TYPE_UPDATED, target=meeting_type, changes=changes
        )
    return meeting_type


def _future_scheduled(meeting_type: MeetingType) -> Any:
    return Meeting.objects.filter(
        meeting_type=meeting_type,
        status=MeetingStatus.SCHEDULED,
        starts_at__gte=clock.now(),
    )


def core_member_add(
    *,
    actor: Any,
    meeting_type: MeetingType,
    user: User,
    capacity: str = MemberCapacity.MEMBER,
    deputy: User | None = None,
) -> CoreMember:
    """Make ``user`` a standing member of the type (with an optional deputy). They are invited
    to the type's meetings already scheduled from now on."""
    _check_configure(actor, meeting_type)
    errors: dict[str, str] = {}
    area_id = meeting_type.area_id
    if user is None or user.area_id != area_id or not user.is_active:
        errors["user"] = "Choose an active user in the meeting type's area"
    elif CoreMember.objects.filter(meeting_type=meeting_type, user=user).exists():
        errors["user"] = f"{user.full_name or user.email} is already a core member"
    if capacity not in MemberCapacity.values:
        errors["capacity"] = "Select the member's capacity"
    if deputy is not None:
        if deputy.area_id != area_id or not deputy.is_active:
            errors["deputy"] = "Choose an active user in the meeting type's area as deputy"
        elif user is not None and deputy.pk == user.pk:
            errors["deputy"] = "Choose someone other than the member as their deputy"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        member = CoreMember.objects.create(
            meeting_type=meeting_type, user=user, capacity=capacity, deputy=deputy
        )
        invited = 0
        for meeting in _future_scheduled(meeting_type):
            if not Attendance.objects.filter(meeting=meeting, user=user).exists():
                Attendance.objects.create(
                    meeting=meeting,
                    user=user,
                    agency_id=user.agency_id,
                    status=AttendanceStatus.INVITED,
                )
                invited += 1
        audit_record(
            actor=actor,
            verb=Verb.MEETING_TYPE_UPDATED,
            target=meeting_type,
            changes={
                "core_member_added": str(user.pk),
                "capacity": capacity,
                "deputy": str(deputy.pk) if deputy else None,
                "invited_to_scheduled_meetings": invited,
            },
        )
    return member


def core_member_remove(*, actor: Any, member: CoreMember) -> None:
    """Remove a standing member. Their invitations to meetings not yet held are withdrawn;
    meetings they attended keep their attendance."""
    meeting_type = member.meeting_type
    _check_configure(actor, meeting_type)
    with transaction.atomic():
        withdrawn, _ = Attendance.objects.filter(
            meeting__in=_future_scheduled(meeting_type),
            user_id=member.user_id,
            status=AttendanceStatus.INVITED,
            declaration_signed_at__isnull=True,
        ).delete()
        user_id = member.user_id
        member.delete()
        audit_record(
            actor=actor,
            verb=Verb.MEETING_TYPE_UPDATED,
            target=meeting_type,
            changes={"core_member_removed": str(user_id), "invitations_withdrawn": withdrawn},
        )


def meeting_types_install(*, actor: Any, area: Area) -> list[MeetingType]:
    """Install the preset meeting types the area does not have yet."""
    return services.meeting_types_install_presets(actor=actor, area=area)


def terms_due_for_review(user: Any, *, within_days: int = REVIEW_NOTICE_DAYS) -> list[MeetingType]:
    """The user's area's active meeting types whose terms of reference are due for review
    within ``within_days`` (or overdue), for those who configure meetings."""
    if not policy.check("can_configure_meetings", user):
        return []
    horizon = clock.today() + dt.timedelta(days=within_days)
    return list(
        MeetingType.objects.filter(
            area_id=user.area_id,
            is_active=True,
            terms_review_on__isnull=False,
            terms_review_on__lte=horizon,
        ).order_by("terms_review_on", "name")
    )
