"""Retention and disposal through HTTP: the schedule from presets, the daily review listing a
record past its period, the officer's approval, the disposal (personal data erased in place,
counts in the disposal log, the audit events kept and the chain still verifying), and legal
holds: a held record is never listed and never disposed of."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.chain import verify_chain
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.governance import retention
from riskpath.governance.enums import RecordKind, ReviewStatus
from riskpath.governance.models import DisposalLog, LegalHold, RetentionReview, RetentionRule
from riskpath.groups.models import Group, GroupMembership
from riskpath.people.models import MissingEpisode, YoungPerson
from tests.factories import AgencyFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


def _adult(agency: Any, **kwargs: Any) -> YoungPerson:
    today = clock.today()
    return YoungPersonFactory(
        recording_agency=agency,
        date_of_birth=today.replace(year=today.year - 20),
        **kwargs,
    )


@pytest.fixture
def setup() -> dict[str, Any]:
    agency = AgencyFactory()
    officer = UserFactory(agency=agency, roles=[Role.INFORMATION_GOVERNANCE_OFFICER])
    client = Client()
    client.force_login(officer)
    assert client.post(reverse("governance:retention_presets")).status_code == 302
    return {"agency": agency, "officer": officer, "client": client, "area": agency.area}


def _listed(area: Any) -> set[str]:
    return set(
        RetentionReview.objects.filter(area=area, status=ReviewStatus.DUE).values_list(
            "record_id", flat=True
        )
    )


def test_presets_state_every_kind_with_its_source(setup: dict[str, Any]) -> None:
    rules = {r.record_kind: r for r in RetentionRule.objects.filter(area=setup["area"])}
    assert set(rules) == set(RecordKind.values)
    assert all(r.source for r in rules.values())
    assert rules[RecordKind.LINK].period_months < rules[RecordKind.INTELLIGENCE].period_months
    page = setup["client"].get(reverse("governance:retention"))
    assert page.status_code == 200
    assert "Management of Police Information" in html.unescape(page.content.decode())


def test_a_record_past_its_period_is_listed_approved_and_erased(setup: dict[str, Any]) -> None:
    client, area = setup["client"], setup["area"]
    person = _adult(setup["agency"], given_names="Ravelin", family_name="Quorncastle")
    MissingEpisode.objects.create(
        young_person=person,
        reported_at=clock.now() - dt.timedelta(days=400),
        where_found="CANARY-FOUND at the canal",
        reporting_agency=setup["agency"],
        recorded_by=setup["officer"],
    )
    young = YoungPersonFactory(recording_agency=setup["agency"])  # not yet 18: not due
    # Someone reads the record: the audit of that read must survive disposal.
    lead = UserFactory(agency=setup["agency"], roles=[Role.SOCIAL_WORKER])
    YoungPerson.objects.filter(pk=person.pk).update(lead_professional=lead)
    viewer = Client()
    viewer.force_login(lead)
    assert viewer.get(reverse("people:detail", args=[person.pk])).status_code == 200
    events_before = AuditEvent.objects.filter(subject_id=str(person.pk)).count()
    assert events_before >= 1

    assert client.post(reverse("governance:retention_run")).status_code == 302
    assert str(person.pk) in _listed(area)
    assert str(young.pk) not in _listed(area)
    page = html.unescape(client.get(reverse("governance:retention")).content.decode())
    assert "Quorncastle" not in page  # the review list names no one

    review = RetentionReview.objects.get(record_id=str(person.pk))
    response = client.post(
        reverse("governance:review_decide", args=[review.pk]), {"decision": "dispose"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    client.post(reverse("governance:retention_run"))  # the daily job disposes of it

    person = YoungPerson.all_objects.get(pk=person.pk)
    assert "Quorncastle" not in (person.given_names + person.family_name)
    assert person.date_of_birth is None and person.deleted_at is not None
    assert MissingEpisode.all_objects.get(young_person=person).where_found == ""
    log = DisposalLog.objects.get(record_id=str(person.pk))
    assert log.counts == {"young_person": 1, "missing_episodes": 1}
    review.refresh_from_db()
    assert review.status == ReviewStatus.DISPOSED
    # The audit events of the record remain, and the chain verifies.
    assert AuditEvent.objects.filter(subject_id=str(person.pk)).count() == events_before
    assert AuditEvent.objects.filter(verb=Verb.RECORD_DISPOSED).count() == 1
    assert verify_chain()[1] is None
    # Run again: nothing new, nothing disposed twice.
    client.post(reverse("governance:retention_run"))
    assert DisposalLog.objects.filter(record_id=str(person.pk)).count() == 1


def test_a_held_record_is_never_listed_nor_disposed_of(setup: dict[str, Any]) -> None:
    client, area = setup["client"], setup["area"]
    held = _adult(setup["agency"], family_name="Holdfastly")
    member = _adult(setup["agency"], family_name="Groupheld")
    approved = _adult(setup["agency"], family_name="Latehold")
    free = _adult(setup["agency"], family_name="Unheld")
    group = Group.objects.create(
        area=area,
        name="Inquiry group",
        kind="peer_group",
        recording_agency=setup["agency"],
        recorded_by=setup["officer"],
    )
    GroupMembership.objects.create(group=group, young_person=member)

    # Bad input: field messages, 400, no hold.
    bad = client.post(reverse("governance:hold_create"), {"scope": "person", "reason": ""})
    assert bad.status_code == 400
    text = html.unescape(bad.content.decode())
    assert "Enter the reference of the record the hold covers" in text
    assert "Say why the records are held" in text
    assert not LegalHold.objects.exists()

    for scope, target in (("person", held.pk), ("group", group.pk)):
        response = client.post(
            reverse("governance:hold_create"),
            {"scope": scope, "target_id": str(target), "reason": "Serious case review"},
        )
        assert response.status_code == 302, scope

    # Approved before its hold: the hold placed since wins.
    client.post(reverse("governance:retention_run"))
    listed = _listed(area)
    assert str(free.pk) in listed and str(approved.pk) in listed
    assert str(held.pk) not in listed and str(member.pk) not in listed
    review = RetentionReview.objects.get(record_id=str(approved.pk))
    client.post(reverse("governance:review_decide", args=[review.pk]), {"decision": "dispose"})
    late = retention.hold_place(
        actor=setup["officer"], scope="person", target_id=str(approved.pk), reason="A claim"
    )
    # Even an approved review that slipped past the listing is not disposed of while held.
    RetentionReview.objects.create(
        area=area,
        record_kind=RecordKind.YOUNG_PERSON,
        record_id=str(held.pk),
        label="forced",
        due_on=clock.today(),
        keys=[["people.youngperson", str(held.pk)]],
        status=ReviewStatus.APPROVED,
        decided_by=setup["officer"],
    )
    client.post(reverse("governance:retention_run"))
    for person in (held, member, approved):
        person = YoungPerson.all_objects.get(pk=person.pk)
        assert person.deleted_at is None and person.date_of_birth is not None
        assert not DisposalLog.objects.filter(record_id=str(person.pk)).exists()

    # Everything in the area: nothing more is listed.
    client.post(reverse("governance:hold_create"), {"scope": "area", "reason": "Inquiry"})
    RetentionReview.objects.all().delete()
    client.post(reverse("governance:retention_run"))
    assert not _listed(area)

    # Lifted: listed again.
    for hold in LegalHold.objects.all():
        assert client.post(reverse("governance:hold_lift", args=[hold.pk])).status_code == 302
    client.post(reverse("governance:retention_run"))
    assert {str(held.pk), str(member.pk), str(late.target_id)} <= _listed(area)


def test_only_the_officer_manages_retention() -> None:
    for role in (Role.AREA_ADMINISTRATOR, Role.SERVICE_MANAGER, Role.CHAIR):
        client = Client()
        client.force_login(UserFactory(roles=[role]))
        assert client.get(reverse("governance:retention")).status_code == 403
        assert client.post(reverse("governance:retention_presets")).status_code == 403
