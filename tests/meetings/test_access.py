"""Who may see and run a meeting: the meeting rules with an object."""

from __future__ import annotations

import pytest

from riskpath.access import policy
from riskpath.accounts.enums import Role
from riskpath.accounts.models import User
from riskpath.meetings.access import meetings_participated
from riskpath.meetings.models import Attendance, AttendanceStatus, CoreMember, Meeting, MeetingKind
from riskpath.meetings.selectors import meeting_queryset_for_user
from tests.factories import UserFactory
from tests.meetings.scenario import Scene, schedule

pytestmark = pytest.mark.django_db


def test_standing_members_are_invited_and_may_see_the_meeting(scene: Scene) -> None:
    meeting = schedule(scene)
    invited = set(
        Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.INVITED).values_list(
            "user", flat=True
        )
    )
    assert invited == {
        scene.chair.pk,
        scene.vice_chair.pk,
        scene.officer.pk,
        scene.social_worker.pk,
    }
    for user in (scene.chair, scene.officer, scene.social_worker, scene.deputy):
        assert policy.check("can_view_meeting", user, meeting), user
        assert meeting in meeting_queryset_for_user(user)
    assert policy.check("can_view_meeting", scene.business_support, meeting)
    for outsider in (scene.teacher, scene.lead, scene.stranger, scene.area_admin):
        assert not policy.check("can_view_meeting", outsider, meeting), outsider
        assert meeting not in meeting_queryset_for_user(outsider)


def test_the_sql_and_the_predicate_agree_on_participation(scene: Scene) -> None:
    meetings = [schedule(scene), schedule(scene, meeting_type=scene.type_of(MeetingKind.MARMM))]
    Attendance.objects.create(
        meeting=meetings[1], user=scene.teacher, status=AttendanceStatus.INVITED
    )
    users = [scene.chair, scene.officer, scene.deputy, scene.teacher, scene.lead]
    for user in users:
        for meeting in meetings:
            in_sql = meetings_participated(user).filter(pk=meeting.pk).exists()
            assert in_sql == policy.check("can_view_meeting", user, meeting), (user, meeting)


def test_chairs_and_business_support_run_a_meeting(scene: Scene) -> None:
    meeting = schedule(scene)
    for rule in ("can_edit_agenda", "can_minute_meeting"):
        assert policy.check(rule, scene.chair, meeting)
        assert policy.check(rule, scene.vice_chair, meeting)
        assert policy.check(rule, scene.business_support, meeting)
        assert not policy.check(rule, scene.officer, meeting)
        assert not policy.check(rule, scene.stranger, meeting)
    # A meeting with a chair named on it is run by that chair (and business support).
    named = schedule(scene, chair=scene.vice_chair)
    assert policy.check("can_edit_agenda", scene.vice_chair, named)
    assert not policy.check("can_edit_agenda", scene.chair, named)


def _attending(meeting: Meeting, user: User, status: str) -> None:
    Attendance.objects.update_or_create(meeting=meeting, user=user, defaults={"status": status})


def test_whoever_chaired_the_meeting_approves_its_minutes(scene: Scene) -> None:
    """The chair approves; the vice-chair approves a meeting they chaired in the chair's place
    (the chair was not recorded present). Business support and members never do."""
    meeting = schedule(scene)
    approves = lambda user: policy.check("can_approve_minutes", user, meeting)  # noqa: E731
    for user in (scene.business_support, scene.officer, scene.social_worker, scene.stranger):
        assert not approves(user), user
    assert approves(scene.chair)
    _attending(meeting, scene.chair, AttendanceStatus.PRESENT)
    assert approves(scene.chair) and not approves(scene.vice_chair)
    for status in (AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT):
        _attending(meeting, scene.chair, status)
        assert approves(scene.vice_chair) and approves(scene.chair)
    # The chair's deputy stands in for the chair, and approves as the chair would.
    stand_in = UserFactory(agency=scene.police, roles=[Role.CHAIR])
    CoreMember.objects.filter(meeting_type=scene.pimm, user=scene.chair).update(deputy=stand_in)
    _attending(meeting, scene.chair, AttendanceStatus.PRESENT)
    assert approves(stand_in) and not approves(scene.vice_chair)
    # A chair named on the meeting chaired it: they alone approve.
    named = schedule(scene, chair=scene.vice_chair)
    assert policy.check("can_approve_minutes", scene.vice_chair, named)
    for user in (scene.chair, stand_in, scene.business_support):
        assert not policy.check("can_approve_minutes", user, named), user


def test_a_meeting_on_a_bank_holiday_is_flagged(scene: Scene) -> None:
    import datetime as dt

    from tests.meetings.scenario import at

    meeting = schedule(scene, starts_at=at(dt.date(2027, 12, 27)))
    assert meeting.holiday  # Boxing Day substitute
    assert not schedule(scene).holiday
