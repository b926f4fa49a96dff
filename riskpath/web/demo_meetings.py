"""Demo meetings: the preset meeting types with the demo users as standing members, last
fortnight's PIMM with its actions, and the next PIMM with its agenda built from the demo
record. Written through the meetings services, so the audit log holds them too."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Area, User
from riskpath.core import workdays
from riskpath.meetings import actions, agenda, services
from riskpath.meetings.models import (
    AgendaItem,
    CoreMember,
    Meeting,
    MeetingKind,
    MeetingType,
    MemberCapacity,
)

# Standing members of the demo PIMM: (role, capacity)
PIMM_MEMBERS = [
    (Role.CHAIR, MemberCapacity.CHAIR),
    (Role.INDEPENDENT_CHAIR, MemberCapacity.VICE_CHAIR),
    (Role.ADMINISTRATOR, MemberCapacity.ADMINISTRATOR),
    (Role.PARTNER_REPRESENTATIVE, MemberCapacity.MEMBER),
    (Role.SOCIAL_WORKER, MemberCapacity.MEMBER),
    (Role.LEAD_PROFESSIONAL, MemberCapacity.MEMBER),
    (Role.CONSULTANT_SOCIAL_WORKER, MemberCapacity.MEMBER),
]


def _working_day(day: dt.date, calendar: workdays.WorkingCalendar, step: int) -> dt.date:
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=step)
    return day


def _at(day: dt.date, time: dt.time | None) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time(10)))


def build(area: Area, users: dict[str, User]) -> None:
    """Fill ``area`` once. Does nothing if it already has meetings."""
    if Meeting.objects.filter(area=area).exists():
        return
    services.meeting_types_install_presets(actor=users[Role.AREA_ADMINISTRATOR], area=area)
    pimm = MeetingType.objects.get(area=area, kind=MeetingKind.PIMM)
    for role, capacity in PIMM_MEMBERS:
        CoreMember.objects.get_or_create(
            meeting_type=pimm, user=users[role], defaults={"capacity": capacity}
        )
    for kind in (MeetingKind.STRATEGIC_EXPLOITATION, MeetingKind.HSB_AIM):
        other = MeetingType.objects.get(area=area, kind=kind)
        CoreMember.objects.get_or_create(
            meeting_type=other,
            user=users[Role.CHAIR],
            defaults={"capacity": MemberCapacity.CHAIR},
        )
        CoreMember.objects.get_or_create(
            meeting_type=other,
            user=users[Role.ADMINISTRATOR],
            defaults={"capacity": MemberCapacity.ADMINISTRATOR},
        )
    admin = users[Role.ADMINISTRATOR]
    chair = users[Role.CHAIR]
    today = timezone.localdate()
    calendar = workdays.for_area(area)
    last_day = _working_day(today - dt.timedelta(days=14), calendar, -1)
    last = services.meeting_schedule(
        actor=admin, meeting_type=pimm, starts_at=_at(last_day, pimm.start_time)
    )
    agenda.agenda_build(actor=chair, meeting=last)
    people = [
        i.young_person
        for i in AgendaItem.objects.filter(meeting=last, young_person__isnull=False)
        .select_related("young_person")
        .order_by("position")[:3]
    ]
    for n, person in enumerate(people):
        actions.action_create(
            actor=chair,
            meeting=last,
            description=(
                "Share school attendance and any concerns with the lead professional",
                "Police to complete a welfare check at the home address",
                "Offer a referral to the young people's drug and alcohol service",
            )[n],
            due_on=last_day + dt.timedelta(days=7 * (n + 1)),
            owner_user=users[Role.LEAD_PROFESSIONAL] if n == 0 else None,
            owner_agency=users[Role.PARTNER_REPRESENTATIVE].agency if n else None,
            young_person=person,
        )
    next_day = _working_day(today + dt.timedelta(days=1), calendar, 1)
    upcoming = services.meeting_schedule(
        actor=admin, meeting_type=pimm, starts_at=_at(next_day, pimm.start_time)
    )
    agenda.agenda_build(actor=chair, meeting=upcoming)
    exploitation = MeetingType.objects.get(area=area, kind=MeetingKind.STRATEGIC_EXPLOITATION)
    services.meeting_schedule(
        actor=admin,
        meeting_type=exploitation,
        starts_at=_at(
            _working_day(today + dt.timedelta(days=10), calendar, 1),
            exploitation.start_time,
        ),
    )
