"""A young person with a plan is the retention schedule's longer-kept kind: never listed under
the shorter period of a young person without one, never while a plan is open, and their
episodes' free text erased with them when their own period has run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.core import clock
from riskpath.governance.enums import RecordKind, ReviewStatus, Trigger
from riskpath.governance.models import DisposalLog, RetentionReview, RetentionRule
from riskpath.pathway.models import Episode, EpisodeStatus
from riskpath.people.models import YoungPerson
from tests.factories import AreaFactory, UserFactory, YoungPersonFactory
from tests.pathway.scenario import build_pathway

pytestmark = pytest.mark.django_db


def _listed(area: object, kind: str) -> set[str]:
    return set(
        RetentionReview.objects.filter(
            area=area, record_kind=kind, status=ReviewStatus.DUE
        ).values_list("record_id", flat=True)
    )


def test_a_young_person_with_a_plan_is_kept_to_its_own_period() -> None:
    p = build_pathway(AreaFactory())
    officer = UserFactory(agency=p.social_care, roles=[Role.INFORMATION_GOVERNANCE_OFFICER])
    client = Client()
    client.force_login(officer)
    assert client.post(reverse("governance:retention_presets")).status_code == 302
    today = clock.today()
    without_plan = YoungPersonFactory(
        recording_agency=p.social_care, date_of_birth=today.replace(year=today.year - 20)
    )
    episode = p.open_care_leaver()  # the care leaver is 20: past the 18th birthday

    client.post(reverse("governance:retention_run"))
    assert str(without_plan.pk) in _listed(p.area, RecordKind.YOUNG_PERSON)
    assert str(p.care_leaver.pk) not in _listed(p.area, RecordKind.YOUNG_PERSON)
    assert str(p.care_leaver.pk) not in _listed(p.area, RecordKind.YOUNG_PERSON_PLAN)  # not 25

    # Counted from the plan's end: not while it is open.
    RetentionRule.objects.filter(area=p.area, record_kind=RecordKind.YOUNG_PERSON_PLAN).update(
        trigger=Trigger.PLAN_ENDED, period_months=1
    )
    client.post(reverse("governance:retention_run"))
    assert str(p.care_leaver.pk) not in _listed(p.area, RecordKind.YOUNG_PERSON_PLAN)

    Episode.objects.filter(pk=episode.pk).update(
        status=EpisodeStatus.CLOSED, closed_on=today - dt.timedelta(days=40)
    )
    client.post(reverse("governance:retention_run"))
    assert _listed(p.area, RecordKind.YOUNG_PERSON_PLAN) == {str(p.care_leaver.pk)}
    assert str(p.care_leaver.pk) not in _listed(p.area, RecordKind.YOUNG_PERSON)

    review = RetentionReview.objects.get(record_id=str(p.care_leaver.pk))
    client.post(reverse("governance:review_decide", args=[review.pk]), {"decision": "dispose"})
    client.post(reverse("governance:retention_run"))
    person = YoungPerson.all_objects.get(pk=p.care_leaver.pk)
    assert person.date_of_birth is None and person.deleted_at is not None
    episode.refresh_from_db()
    assert episode.team == ""  # "Leaving care" erased with the record
    log = DisposalLog.objects.get(record_id=str(p.care_leaver.pk))
    assert log.record_kind == RecordKind.YOUNG_PERSON_PLAN
    assert log.counts["pathway_episodes"] == 1
