"""Young people's pages through HTTP: who sees what, emergency access, edits, soft deletion,
and the audit trail each of them leaves."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.urls import reverse

from riskpath.access.models import EmergencyAccessGrant
from riskpath.accounts.enums import Role
from riskpath.accounts.models import User
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.people.models import YoungPerson
from tests.factories import AgencyFactory, UserFactory, YoungPersonFactory
from tests.people.scenario import LONG_REASON, AuditWatch, Scene

pytestmark = pytest.mark.django_db

SOMEONE_ELSE = "Someone else changed"


def html(response: Any) -> str:
    return response.content.decode()


def error_summary(response: Any) -> str:
    page = html(response)
    assert 'class="govuk-error-summary"' in page, "no error summary on the page"
    start = page.index('class="govuk-error-summary"')
    return page[start : page.index("</ul>", start)]


def form_version(response: Any) -> int:
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', html(response))
    assert match, "no version field on the form"
    return int(match.group(1))


def detail_url(person: YoungPerson) -> str:
    return reverse("people:detail", args=[person.pk])


def edit_post(person: YoungPerson, *, version: int, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "given_names": person.given_names,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "lead_professional": str(person.lead_professional_id or ""),
        "version": version,
    }
    data.update(overrides)
    return data


def list_names(response: Any) -> str:
    """The main list of the young people page (not the deleted-records table)."""
    page = html(response)
    end = page.find("Deleted records you can restore")
    return page if end == -1 else page[:end]


# ---------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------


def test_the_list_is_scoped_to_involvement(client_for: Any, scene: Scene) -> None:
    recorded_by_lead_agency = YoungPersonFactory(
        recording_agency=scene.lead_agency, given_names="Bea", family_name="Elsewhere"
    )
    led_elsewhere = YoungPersonFactory(
        recording_agency=scene.third,
        lead_professional=scene.lead,
        given_names="Cal",
        family_name="Ledbythelead",
    )
    expectations = {
        # lead professional: the records they lead, and their own agency's
        scene.lead: {"Kai Testperson", "Cal Ledbythelead", "Bea Elsewhere"},
        # recording agency colleague: their agency's records only
        scene.colleague: {"Kai Testperson"},
        # consultant social worker: everyone in the area, never another area
        scene.consultant: {"Kai Testperson", "Cal Ledbythelead", "Bea Elsewhere"},
        # no involvement at all (Cal was recorded by the third agency, so the outsider sees him)
        scene.outsider: {"Cal Ledbythelead"},
        scene.stranger: {"Far Away"},
    }
    everyone = {"Kai Testperson", "Cal Ledbythelead", "Bea Elsewhere", "Far Away"}
    assert recorded_by_lead_agency and led_elsewhere
    for user, expected in expectations.items():
        response = client_for(user).get(reverse("people:list"))
        assert response.status_code == 200
        shown = {name for name in everyone if name in list_names(response)}
        assert shown == expected, user.full_name


def test_listing_is_audited_once(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.colleague)
    watch = AuditWatch()
    client.get(reverse("people:list"), {"q": "kai"})
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_LISTED
    assert event.changes == {"count": 1, "searched": True}


def test_search_narrows_the_list(client_for: Any, scene: Scene) -> None:
    YoungPersonFactory(recording_agency=scene.recording, given_names="Zed", family_name="Other")
    response = client_for(scene.colleague).get(reverse("people:list"), {"q": "testper"})
    assert "Kai Testperson" in list_names(response)
    assert "Zed Other" not in list_names(response)


def test_an_area_administrator_cannot_list_young_people(client_for: Any, area_admin: User) -> None:
    assert client_for(area_admin).get(reverse("people:list")).status_code == 403


def test_the_list_page_queries_do_not_grow_with_the_records(
    client_for: Any, scene: Scene, django_assert_max_num_queries: Any
) -> None:
    for i in range(25):
        lead = UserFactory(
            agency=AgencyFactory(area=scene.area, name=f"Extra agency {i}"),
            roles=[Role.LEAD_PROFESSIONAL],
        )
        YoungPersonFactory(recording_agency=scene.recording, lead_professional=lead)
        deleted = YoungPersonFactory(recording_agency=scene.recording, lead_professional=lead)
        YoungPerson.objects.filter(pk=deleted.pk).update(
            deleted_at=deleted.created_at, deleted_by=scene.manager, deletion_reason="duplicate"
        )
    client = client_for(scene.manager)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("people:list"))
    assert response.status_code == 200
    assert "26 young people" in html(response)
    assert "Deleted records you can restore" in html(response)


# ---------------------------------------------------------------------------------------------
# The record
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,basis",
    [
        ("lead", "lead professional"),
        ("colleague", "recording agency"),
        ("consultant", "consultant social worker for the area"),
    ],
)
def test_viewing_a_record_is_audited_once_with_the_basis(
    client_for: Any, scene: Scene, who: str, basis: str
) -> None:
    viewer = getattr(scene, who)
    client = client_for(viewer)
    watch = AuditWatch()
    response = client.get(detail_url(scene.person))
    assert response.status_code == 200
    assert "Kai Testperson" in html(response)
    assert f"You can see this record as: {basis}." in html(response)
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_VIEWED
    assert event.basis == basis
    assert event.actor_id == viewer.pk
    assert event.target_type == "people.youngperson"
    assert event.target_id == event.subject_id == str(scene.person.pk)
    assert event.channel == "web"
    assert event.request_id == response["X-Request-ID"]


@pytest.mark.parametrize("who", ["stranger", "partner"])
def test_no_involvement_and_no_emergency_role_gets_404(
    client_for: Any, scene: Scene, who: str
) -> None:
    client = client_for(getattr(scene, who))
    watch = AuditWatch()
    response = client.get(detail_url(scene.person))
    assert response.status_code == 404
    assert "Testperson" not in html(response)
    assert watch.new(verb=Verb.PERSON_VIEWED) == []


def test_a_missing_record_is_404(client_for: Any, scene: Scene) -> None:
    assert (
        client_for(scene.consultant).get(reverse("people:detail", args=[uuid.uuid4()])).status_code
        == 404
    )


def test_audit_fails_closed_on_the_record_page(
    client_for: Any, scene: Scene, monkeypatch: Any
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    client = client_for(scene.lead)
    client.raise_request_exception = False
    monkeypatch.setattr("riskpath.audit.services.AuditEvent.objects.create", broken)
    response = client.get(detail_url(scene.person))
    assert response.status_code == 500
    page = html(response)
    assert "Testperson" not in page
    assert scene.person.given_names not in page


def test_audit_fails_closed_on_the_list_page(
    client_for: Any, scene: Scene, monkeypatch: Any
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    client = client_for(scene.lead)
    client.raise_request_exception = False
    monkeypatch.setattr("riskpath.audit.services.AuditEvent.objects.create", broken)
    response = client.get(reverse("people:list"))
    assert response.status_code == 500
    assert "Testperson" not in html(response)


# ---------------------------------------------------------------------------------------------
# Emergency access ("break glass")
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.CHAIR]
)
def test_emergency_access_for_roles_that_may_break_glass(
    client_for: Any, scene: Scene, role: str
) -> None:
    breaker = UserFactory(agency=scene.third, roles=[role], full_name="Bella Breaker")
    client = client_for(breaker)
    access_url = reverse("people:emergency_access", args=[scene.person.pk])
    watch = AuditWatch()

    refused = client.get(detail_url(scene.person))
    assert refused.status_code == 403
    assert f'href="{access_url}"' in html(refused)
    assert "request emergency access" in html(refused)
    assert "Testperson" not in html(refused)
    assert watch.new() == []

    form = client.get(access_url)
    assert form.status_code == 200
    assert "Testperson" not in html(form)

    too_short = client.post(access_url, {"reason": "x" * 19})
    assert too_short.status_code == 400
    summary = error_summary(too_short)
    assert 'href="#id_reason"' in summary
    assert "at least 20 characters" in summary
    assert "Testperson" not in html(too_short)
    assert not EmergencyAccessGrant.objects.exists()
    assert watch.new() == []

    granted = client.post(access_url, {"reason": f"  {LONG_REASON}  "})
    assert granted.status_code == 302
    assert granted["Location"] == detail_url(scene.person)
    (grant,) = EmergencyAccessGrant.objects.all()
    assert (grant.user_id, grant.reason, grant.target_id) == (
        breaker.pk,
        LONG_REASON,
        str(scene.person.pk),
    )
    (event,) = watch.new()
    assert event.verb == Verb.EMERGENCY_ACCESS_GRANTED
    assert event.reason == LONG_REASON
    assert event.subject_id == str(scene.person.pk)

    watch = AuditWatch()
    seen = client.get(detail_url(scene.person))
    assert seen.status_code == 200
    assert "Kai Testperson" in html(seen)
    assert "through emergency access" in html(seen)
    (viewed,) = watch.new()
    assert viewed.verb == Verb.PERSON_VIEWED
    assert viewed.basis == f"emergency access: {LONG_REASON}"

    # Once open, asking again opens nothing new.
    again = client.post(access_url, {"reason": LONG_REASON})
    assert again.status_code == 302
    assert EmergencyAccessGrant.objects.count() == 1


def test_the_people_involved_see_who_broke_glass_and_why(client_for: Any, scene: Scene) -> None:
    client_for(scene.outsider).post(
        reverse("people:emergency_access", args=[scene.person.pk]), {"reason": LONG_REASON}
    )
    lead_client = client_for(scene.lead)

    record = html(lead_client.get(detail_url(scene.person)))
    assert "Emergency access to this record" in record
    assert "Omar Outsider, Third agency" in record
    assert LONG_REASON in record

    home = html(lead_client.get(reverse("web:home")))
    assert "Someone used emergency access" in home
    assert "Omar Outsider" in home
    assert LONG_REASON in home
    assert detail_url(scene.person) in home

    # The breaker does not see the table of openings (it would show others' reasons).
    breaker_view = html(client_for(scene.outsider).get(detail_url(scene.person)))
    assert "Emergency access to this record" not in breaker_view


def test_the_record_says_when_nobody_broke_glass(client_for: Any, scene: Scene) -> None:
    page = html(client_for(scene.lead).get(detail_url(scene.person)))
    assert "Nobody has used emergency access to see this record." in page


def test_emergency_access_does_not_put_the_record_in_lists(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.outsider)
    client.post(reverse("people:emergency_access", args=[scene.person.pk]), {"reason": LONG_REASON})
    assert "Testperson" not in list_names(client.get(reverse("people:list")))


def test_a_role_that_may_not_break_glass_cannot_request_it(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.partner)
    url = reverse("people:emergency_access", args=[scene.person.pk])
    assert client.get(detail_url(scene.person)).status_code == 404
    # The page's rule already refuses the role, before any record is looked up.
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": LONG_REASON}).status_code == 403
    assert not EmergencyAccessGrant.objects.exists()
    assert client.get(detail_url(scene.person)).status_code == 404


def test_emergency_access_cannot_reach_another_area(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.outsider)
    url = reverse("people:emergency_access", args=[scene.other_area_person.pk])
    assert client.get(detail_url(scene.other_area_person)).status_code == 404
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": LONG_REASON}).status_code == 404
    assert not EmergencyAccessGrant.objects.exists()


def test_someone_involved_is_sent_straight_to_the_record(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.colleague)
    url = reverse("people:emergency_access", args=[scene.person.pk])
    response = client.post(url, {"reason": LONG_REASON})
    assert response.status_code == 302
    assert response["Location"] == detail_url(scene.person)
    assert not EmergencyAccessGrant.objects.exists()


def test_emergency_access_expires(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.outsider)
    client.post(reverse("people:emergency_access", args=[scene.person.pk]), {"reason": LONG_REASON})
    assert client.get(detail_url(scene.person)).status_code == 200
    grant = EmergencyAccessGrant.objects.get()
    assert dt.timedelta(hours=7) < grant.expires_at - clock.now() <= dt.timedelta(hours=8)
    EmergencyAccessGrant.objects.update(expires_at=clock.now() - dt.timedelta(seconds=1))
    assert client.get(detail_url(scene.person)).status_code == 403


# ---------------------------------------------------------------------------------------------
# Recording and changing a record
# ---------------------------------------------------------------------------------------------


def test_recording_a_young_person(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.colleague)
    watch = AuditWatch()
    response = client.post(
        reverse("people:create"),
        {
            "given_names": " Ada ",
            "family_name": "Newrecord",
            "date_of_birth": "27 3 2010",
            "lead_professional": str(scene.lead.pk),
        },
    )
    assert response.status_code == 302
    person = YoungPerson.objects.get(family_name="Newrecord")
    assert response["Location"] == detail_url(person)
    assert person.given_names == "Ada"
    assert person.recording_agency_id == scene.colleague.agency_id
    assert person.recorded_by_id == scene.colleague.pk
    assert person.area_id == scene.area.pk
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_CREATED
    assert event.subject_id == str(person.pk)
    assert event.changes == {
        "given_names": {"before": None, "after": "Ada"},
        "family_name": {"before": None, "after": "Newrecord"},
        "date_of_birth": {"before": None, "after": "2010-03-27"},
        "lead_professional": {"before": None, "after": str(scene.lead.pk)},
    }


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"given_names": ""}, "given_names"),
        ({"family_name": "   "}, "family_name"),
        ({"date_of_birth": "31 2 2010"}, "date_of_birth"),
        ({"date_of_birth": "1 1 2999"}, "date_of_birth"),
        ({"date_of_birth": "1 1 1950"}, "date_of_birth"),
        ({"lead_professional": "not-a-user"}, "lead_professional"),
    ],
)
def test_bad_input_when_recording_is_refused_and_creates_nothing(
    client_for: Any, scene: Scene, overrides: dict[str, str], field: str
) -> None:
    data = {
        "given_names": "Bad",
        "family_name": "Input",
        "date_of_birth": "",
        "lead_professional": "",
    }
    data.update(overrides)
    count = YoungPerson.all_objects.count()
    client = client_for(scene.colleague)
    watch = AuditWatch()
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 400
    assert f'href="#id_{field}"' in error_summary(response)
    assert YoungPerson.all_objects.count() == count
    assert watch.new() == []


def test_a_lead_professional_from_another_area_is_refused(client_for: Any, scene: Scene) -> None:
    response = client_for(scene.colleague).post(
        reverse("people:create"),
        {"given_names": "Ann", "family_name": "Cross", "lead_professional": str(scene.stranger.pk)},
    )
    assert response.status_code == 400
    assert 'href="#id_lead_professional"' in error_summary(response)
    assert not YoungPerson.objects.filter(family_name="Cross").exists()


def test_a_role_that_does_not_record_cannot_record(client_for: Any, make_user: Any) -> None:
    client = client_for(make_user(Role.QA_MEMBER))
    assert client.get(reverse("people:create")).status_code == 403
    response = client.post(reverse("people:create"), {"given_names": "A", "family_name": "B"})
    assert response.status_code == 403
    assert not YoungPerson.objects.filter(family_name="B").exists()


def test_changing_a_record_is_audited_with_before_and_after(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.colleague)
    page = client.get(reverse("people:edit", args=[scene.person.pk]))
    assert page.status_code == 200
    watch = AuditWatch()
    response = client.post(
        reverse("people:edit", args=[scene.person.pk]),
        edit_post(scene.person, version=form_version(page), family_name="Renamed"),
    )
    assert response.status_code == 302
    scene.person.refresh_from_db()
    assert (scene.person.family_name, scene.person.version) == ("Renamed", 2)
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_UPDATED
    assert event.basis == "recording agency"
    assert event.changes == {"family_name": {"before": "Testperson", "after": "Renamed"}}


def test_a_change_from_a_stale_version_is_refused(client_for: Any, scene: Scene) -> None:
    url = reverse("people:edit", args=[scene.person.pk])
    first, second = client_for(scene.lead), client_for(scene.colleague)
    v1, v2 = form_version(first.get(url)), form_version(second.get(url))
    assert v1 == v2
    watch = AuditWatch()
    ok = first.post(url, edit_post(scene.person, version=v1, given_names="Kaito"))
    late = second.post(url, edit_post(scene.person, version=v2, family_name="Overwritten"))
    assert ok.status_code == 302
    assert late.status_code == 409
    assert SOMEONE_ELSE in error_summary(late)
    scene.person.refresh_from_db()
    assert (scene.person.given_names, scene.person.family_name) == ("Kaito", "Testperson")
    assert [e.verb for e in watch.new()] == [Verb.PERSON_UPDATED]


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"given_names": ""}, "given_names"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"lead_professional": "00000000-0000-0000-0000-000000000000"}, "lead_professional"),
    ],
)
def test_bad_input_on_change_is_refused_and_changes_nothing(
    client_for: Any, scene: Scene, overrides: dict[str, str], field: str
) -> None:
    client = client_for(scene.colleague)
    watch = AuditWatch()
    response = client.post(
        reverse("people:edit", args=[scene.person.pk]),
        edit_post(scene.person, version=1, **overrides),
    )
    assert response.status_code == 400
    assert f'href="#id_{field}"' in error_summary(response)
    scene.person.refresh_from_db()
    assert (scene.person.given_names, scene.person.version) == ("Kai", 1)
    assert watch.new() == []


def test_changing_needs_involvement(client_for: Any, scene: Scene) -> None:
    url = reverse("people:edit", args=[scene.person.pk])
    breaker = client_for(scene.outsider).post(
        url, edit_post(scene.person, version=1, family_name="X")
    )
    assert breaker.status_code == 403
    assert reverse("people:emergency_access", args=[scene.person.pk]) in html(breaker)
    partner = client_for(scene.partner).post(
        url, edit_post(scene.person, version=1, family_name="X")
    )
    assert partner.status_code == 404
    scene.person.refresh_from_db()
    assert scene.person.family_name == "Testperson"


# ---------------------------------------------------------------------------------------------
# Soft deletion and restoring
# ---------------------------------------------------------------------------------------------


def _delete(client: Any, person: YoungPerson, *, version: int = 1, reason: str = "") -> Any:
    return client.post(
        reverse("people:delete", args=[person.pk]),
        {
            "reason": reason or "Recorded twice by mistake; duplicate of another record.",
            "version": version,
        },
    )


def test_deleting_and_restoring_a_record(client_for: Any, scene: Scene) -> None:
    manager = client_for(scene.manager)
    page = manager.get(reverse("people:delete", args=[scene.person.pk]))
    assert page.status_code == 200
    watch = AuditWatch()
    response = _delete(manager, scene.person, version=form_version(page))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:list")
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_DELETED
    assert event.reason == "Recorded twice by mistake; duplicate of another record."
    assert event.subject_id == str(scene.person.pk)

    person = YoungPerson.all_objects.get(pk=scene.person.pk)
    assert person.is_deleted and person.deleted_by_id == scene.manager.pk
    # Hidden from every list and lookup...
    for user in (scene.lead, scene.colleague, scene.consultant, scene.manager):
        client = client_for(user)
        assert "Kai Testperson" not in list_names(client.get(reverse("people:list")))
        assert client.get(detail_url(person)).status_code == 404
        assert client.get(reverse("people:edit", args=[person.pk])).status_code == 404
    # ...but offered to the manager to restore.
    listing = html(manager.get(reverse("people:list")))
    restorable = listing[listing.index("Deleted records you can restore") :]
    assert "Kai Testperson" in restorable
    assert reverse("people:restore", args=[person.pk]) in restorable
    assert "Recorded twice by mistake" in restorable
    # Others involved, who could not restore it, are not offered it.
    assert "Deleted records you can restore" not in html(
        client_for(scene.colleague).get(reverse("people:list"))
    )

    watch = AuditWatch()
    restored = manager.post(
        reverse("people:restore", args=[person.pk]), {"version": person.version}
    )
    assert restored.status_code == 302
    assert restored["Location"] == detail_url(person)
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_RESTORED
    person.refresh_from_db()
    assert not person.is_deleted and person.deletion_reason == "" and person.version == 3
    assert client_for(scene.colleague).get(detail_url(person)).status_code == 200
    assert "Kai Testperson" in list_names(client_for(scene.lead).get(reverse("people:list")))


@pytest.mark.parametrize("who", ["lead", "colleague", "consultant"])
def test_only_managers_may_delete(client_for: Any, scene: Scene, who: str) -> None:
    client = client_for(getattr(scene, who))
    assert client.get(reverse("people:delete", args=[scene.person.pk])).status_code == 403
    assert _delete(client, scene.person).status_code == 403
    assert not YoungPerson.all_objects.get(pk=scene.person.pk).is_deleted


def test_a_manager_must_be_involved_to_delete(client_for: Any, scene: Scene) -> None:
    outside_manager = UserFactory(agency=scene.third, roles=[Role.SERVICE_MANAGER])
    client = client_for(outside_manager)
    assert _delete(client, scene.person).status_code == 403
    # Breaking glass lets them read the record, never delete it.
    client.post(reverse("people:emergency_access", args=[scene.person.pk]), {"reason": LONG_REASON})
    assert client.get(detail_url(scene.person)).status_code == 200
    assert _delete(client, scene.person).status_code == 403
    assert not YoungPerson.all_objects.get(pk=scene.person.pk).is_deleted
    assert not AuditEvent.objects.filter(verb=Verb.PERSON_DELETED).exists()


def test_a_manager_in_another_area_gets_404(client_for: Any, scene: Scene) -> None:
    manager = UserFactory(agency=scene.stranger.agency, roles=[Role.TEAM_MANAGER])
    assert _delete(client_for(manager), scene.person).status_code == 404
    assert not YoungPerson.all_objects.get(pk=scene.person.pk).is_deleted


def test_deleting_needs_a_reason(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.manager)
    watch = AuditWatch()
    response = _delete(client, scene.person, reason="dup")
    assert response.status_code == 400
    assert 'href="#id_reason"' in error_summary(response)
    assert not YoungPerson.all_objects.get(pk=scene.person.pk).is_deleted
    assert watch.new() == []


def test_deleting_from_a_stale_version_is_refused(client_for: Any, scene: Scene) -> None:
    edit_url = reverse("people:edit", args=[scene.person.pk])
    client_for(scene.colleague).post(edit_url, edit_post(scene.person, version=1, given_names="K"))
    client = client_for(scene.manager)
    watch = AuditWatch()
    response = _delete(client, scene.person, version=1)
    assert response.status_code == 409
    assert SOMEONE_ELSE in error_summary(response)
    assert not YoungPerson.all_objects.get(pk=scene.person.pk).is_deleted
    assert watch.new() == []


def test_restoring_needs_an_involved_manager(client_for: Any, scene: Scene) -> None:
    _delete(client_for(scene.manager), scene.person)
    url = reverse("people:restore", args=[scene.person.pk])
    assert client_for(scene.colleague).post(url, {"version": 2}).status_code == 403
    outside_manager = UserFactory(agency=scene.third, roles=[Role.TEAM_MANAGER])
    assert client_for(outside_manager).post(url, {"version": 2}).status_code == 403
    assert YoungPerson.all_objects.get(pk=scene.person.pk).is_deleted
    assert not AuditEvent.objects.filter(verb=Verb.PERSON_RESTORED).exists()


def test_restoring_from_a_stale_version_changes_nothing(client_for: Any, scene: Scene) -> None:
    manager = client_for(scene.manager)
    _delete(manager, scene.person)
    response = manager.post(reverse("people:restore", args=[scene.person.pk]), {"version": 1})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:list")
    assert SOMEONE_ELSE in html(manager.get(reverse("people:list")))
    assert YoungPerson.all_objects.get(pk=scene.person.pk).is_deleted
    assert not AuditEvent.objects.filter(verb=Verb.PERSON_RESTORED).exists()
