"""A partnership with the preset meeting types, a PIMM with standing members, and users in
every relation to its meetings. Shared by the meetings tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.core import clock
from riskpath.meetings import services
from riskpath.meetings.models import CoreMember, Meeting, MeetingKind, MeetingType, MemberCapacity
from riskpath.people.models import YoungPerson
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory


@dataclass
class Scene:
    area: Area
    police: Agency
    social_care: Agency
    school: Agency
    health: Agency
    area_admin: User
    business_support: User  # meeting administrator: runs every meeting
    chair: User  # chairs the PIMM (standing member, capacity chair)
    vice_chair: User
    officer: User  # police partner representative, standing PIMM member
    social_worker: User  # standing PIMM member
    deputy: User  # the social worker's deputy
    teacher: User  # partner representative, not a member of any meeting
    lead: User  # lead professional of ``person``
    person: YoungPerson
    pimm: MeetingType
    stranger: User  # another area's meeting administrator

    def type_of(self, kind: str) -> MeetingType:
        return MeetingType.objects.get(area=self.area, kind=kind)


def build_scene(area: Area) -> Scene:
    police = AgencyFactory(area=area, name="Constabulary", kind=AgencyKind.POLICE)
    social_care = AgencyFactory(area=area, name="Children's services", kind=AgencyKind.SOCIAL_CARE)
    school = AgencyFactory(area=area, name="Hillside Academy", kind=AgencyKind.EDUCATION)
    health = AgencyFactory(area=area, name="Community health", kind=AgencyKind.HEALTH)
    area_admin = UserFactory(agency=social_care, roles=[Role.AREA_ADMINISTRATOR])
    services.meeting_types_install_presets(actor=area_admin, area=area)
    pimm = MeetingType.objects.get(area=area, kind=MeetingKind.PIMM)
    chair = UserFactory(agency=police, roles=[Role.CHAIR], full_name="Chris Chair")
    vice = UserFactory(agency=social_care, roles=[Role.CHAIR], full_name="Val Vice")
    officer = UserFactory(agency=police, roles=[Role.PARTNER_REPRESENTATIVE])
    social_worker = UserFactory(agency=social_care, roles=[Role.SOCIAL_WORKER])
    deputy = UserFactory(agency=social_care, roles=[Role.SOCIAL_WORKER])
    lead = UserFactory(agency=school, roles=[Role.LEAD_PROFESSIONAL])
    CoreMember.objects.create(meeting_type=pimm, user=chair, capacity=MemberCapacity.CHAIR)
    CoreMember.objects.create(meeting_type=pimm, user=vice, capacity=MemberCapacity.VICE_CHAIR)
    CoreMember.objects.create(meeting_type=pimm, user=officer)
    CoreMember.objects.create(meeting_type=pimm, user=social_worker, deputy=deputy)
    other_area = AreaFactory()
    return Scene(
        area=area,
        police=police,
        social_care=social_care,
        school=school,
        health=health,
        area_admin=area_admin,
        business_support=UserFactory(agency=social_care, roles=[Role.ADMINISTRATOR]),
        chair=chair,
        vice_chair=vice,
        officer=officer,
        social_worker=social_worker,
        deputy=deputy,
        teacher=UserFactory(agency=school, roles=[Role.PARTNER_REPRESENTATIVE]),
        lead=lead,
        person=YoungPersonFactory(recording_agency=social_care, lead_professional=lead),
        pimm=pimm,
        stranger=UserFactory(
            agency=AgencyFactory(area=other_area), roles=[Role.ADMINISTRATOR, Role.CHAIR]
        ),
    )


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware datetime in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def next_weekday(weekday: int = 2, after: dt.date | None = None) -> dt.date:
    """The next given weekday (0 Monday) after ``after`` (default today) that is a working
    day in England and Wales."""
    from riskpath.core.workdays import is_working_day

    day = (after or clock.today()) + dt.timedelta(days=1)
    while day.weekday() != weekday or not is_working_day(day, "england-and-wales"):
        day += dt.timedelta(days=1)
    return day


def schedule(scene: Scene, *, meeting_type: MeetingType | None = None, **kwargs: Any) -> Meeting:
    """A meeting of the PIMM (by default) next Wednesday at 10:00, scheduled by business
    support."""
    values: dict[str, Any] = {"starts_at": at(next_weekday())}
    values.update(kwargs)
    return services.meeting_schedule(
        actor=scene.business_support, meeting_type=meeting_type or scene.pimm, **values
    )


# --- actions, partner-system tasks and panel slots (the actions part) ------------------------


def aim_panel(scene: Scene, day: dt.date | None = None) -> Meeting:
    """An HSB/AIM panel, 13:00 to 17:00 on the next working Monday (or ``day``)."""
    return schedule(
        scene,
        meeting_type=scene.type_of(MeetingKind.HSB_AIM),
        starts_at=at(day or next_weekday(0), 13, 0),
    )


def decision_at(
    meeting: Meeting,
    *,
    by: User,
    young_person: YoungPerson | None = None,
    text: str = "Refer to the exploitation team",
    kind: str = "referral",
) -> Any:
    """A decision minuted against a new agenda item about ``young_person`` (the conduct part
    records these; tests make them with the ORM)."""
    from django.db.models import Max

    from riskpath.meetings.models import AgendaItem, Decision, ItemKind

    top = AgendaItem.objects.filter(meeting=meeting).aggregate(top=Max("position"))["top"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=top + 1,
        kind=ItemKind.OTHER,
        title=f"About {young_person}" if young_person else "Other business",
        young_person=young_person,
    )
    return Decision.objects.create(
        item=item,
        kind=kind,
        text=text,
        young_person=young_person,
        recorded_by=by,
        recorded_at=clock.now(),
    )


def add_item(meeting: Meeting, title: str, **kwargs: Any) -> Any:
    """An agenda item at the end of ``meeting``'s agenda, made directly (not built)."""
    from riskpath.meetings.models import AgendaItem, ItemKind

    position = AgendaItem.objects.filter(meeting=meeting).count() + 1
    values: dict[str, Any] = {"kind": ItemKind.OTHER, "position": position}
    values.update(kwargs)
    return AgendaItem.objects.create(meeting=meeting, title=title, **values)


def attend(meeting: Meeting, *users: User, status: str = "present") -> None:
    """Record ``users`` as present (adding an attendance row where they have none), directly."""
    from django.db.models import F

    from riskpath.meetings.models import Attendance

    for user in users:
        row, _ = Attendance.objects.get_or_create(
            meeting=meeting, user=user, defaults={"status": status, "agency": user.agency}
        )
        if row.status != status:
            Attendance.objects.filter(pk=row.pk).update(status=status, version=F("version") + 1)
