"""Area administration through HTTP: the area's settings, its agencies and its users.

Each write is checked for what it changes (and, on bad input or a stale version, that it
changes nothing), for the page the user sees, and for the audit event it leaves."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from tests.factories import AgencyFactory, AreaFactory, UserFactory

pytestmark = pytest.mark.django_db

SOMEONE_ELSE = "Someone else changed"


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def html(response: Any) -> str:
    return response.content.decode()


def error_summary(response: Any) -> str:
    """The GOV.UK error summary of the page; fails if there is none."""
    page = html(response)
    assert 'class="govuk-error-summary"' in page, "no error summary on the page"
    start = page.index('class="govuk-error-summary"')
    return page[start : page.index("</ul>", start)]


def form_version(response: Any) -> int:
    """The version the page's form carries in its hidden field."""
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', html(response))
    assert match, "no version field on the form"
    return int(match.group(1))


def events(verb: Verb, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=verb, **filters))


@pytest.fixture
def other_area_admin() -> User:
    other = AgencyFactory(area=AreaFactory())
    return UserFactory(agency=other, roles=[Role.AREA_ADMINISTRATOR])


def user_post(subject: User, *, version: int, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": subject.full_name,
        "job_title": subject.job_title,
        "agency": str(subject.agency_id),
        "roles": sorted(subject.role_set()),
        "is_active": "on" if subject.is_active else "",
        "version": version,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# ---------------------------------------------------------------------------------------------
# Who may use the administration pages
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["administration:area_settings", "administration:agency_list", "administration:user_list"],
)
def test_practitioners_are_refused_the_administration_pages(
    client_for: Any, make_user: Any, url_name: str
) -> None:
    client = client_for(make_user(Role.SERVICE_MANAGER, Role.SOCIAL_WORKER))
    assert client.get(reverse(url_name)).status_code == 403
    assert client.post(reverse(url_name), {"name": "x"}).status_code == 403


def test_an_inactive_administrator_is_refused(client_for: Any, make_user: Any) -> None:
    admin = make_user(Role.AREA_ADMINISTRATOR)
    client = client_for(admin)
    User.objects.filter(pk=admin.pk).update(is_active=False)
    response = client.get(reverse("administration:user_list"))
    # The session no longer authenticates an inactive user: they are sent to sign in.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# ---------------------------------------------------------------------------------------------
# Area settings
# ---------------------------------------------------------------------------------------------


def test_area_settings_show_the_current_values(client_for: Any, area_admin: User) -> None:
    response = client_for(area_admin).get(reverse("administration:area_settings"))
    assert response.status_code == 200
    assert f'value="{area_admin.area.name}"' in html(response)
    assert form_version(response) == 1


def test_area_settings_are_saved_and_audited(client_for: Any, area_admin: User, area: Area) -> None:
    response = client_for(area_admin).post(
        reverse("administration:area_settings"),
        {"name": "Northshire partnership", "calendar": "scotland", "version": 1},
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.calendar, area.require_mfa, area.version) == (
        "Northshire partnership",
        "scotland",
        False,
        2,
    )
    (event,) = events(Verb.AREA_UPDATED)
    assert event.actor_id == area_admin.pk
    assert event.target_id == str(area.pk)
    assert event.area_id == area.pk
    assert event.changes["calendar"] == {"before": "england-and-wales", "after": "scotland"}
    assert event.changes["name"]["after"] == "Northshire partnership"
    assert "require_mfa" not in event.changes  # unchanged fields are not listed


@pytest.mark.parametrize(
    "data,field",
    [
        ({"name": "", "calendar": "scotland"}, "name"),
        ({"name": "Somewhere", "calendar": "atlantis"}, "calendar"),
    ],
)
def test_bad_area_settings_are_refused_and_change_nothing(
    client_for: Any, area_admin: User, area: Area, data: dict[str, Any], field: str
) -> None:
    before = (area.name, area.calendar, area.version)
    response = client_for(area_admin).post(
        reverse("administration:area_settings"), {**data, "version": 1}
    )
    assert response.status_code == 400
    assert f'href="#id_{field}' in error_summary(response)
    area.refresh_from_db()
    assert (area.name, area.calendar, area.version) == before
    assert not events(Verb.AREA_UPDATED)


def test_an_area_cannot_take_another_areas_name(
    client_for: Any, area_admin: User, area: Area
) -> None:
    other = AreaFactory(name="Southshire")
    response = client_for(area_admin).post(
        reverse("administration:area_settings"),
        {"name": "Southshire", "calendar": "england-and-wales", "version": 1},
    )
    assert response.status_code == 400
    assert 'href="#id_name"' in error_summary(response)
    area.refresh_from_db()
    assert area.name != other.name
    assert area.version == 1
    assert not events(Verb.AREA_UPDATED)


def test_area_settings_from_a_stale_version_are_refused(
    client_for: Any, area_admin: User, make_user: Any, area: Area
) -> None:
    first, second = client_for(area_admin), client_for(make_user(Role.AREA_ADMINISTRATOR))
    v1 = form_version(first.get(reverse("administration:area_settings")))
    v2 = form_version(second.get(reverse("administration:area_settings")))
    assert v1 == v2

    ok = first.post(
        reverse("administration:area_settings"),
        {"name": "First", "calendar": "england-and-wales", "version": v1},
    )
    late = second.post(
        reverse("administration:area_settings"),
        {"name": "Second", "calendar": "scotland", "version": v2},
    )
    assert ok.status_code == 302
    assert late.status_code == 409
    assert SOMEONE_ELSE in error_summary(late)
    area.refresh_from_db()
    assert (area.name, area.calendar, area.version) == ("First", "england-and-wales", 2)
    assert len(events(Verb.AREA_UPDATED)) == 1


# ---------------------------------------------------------------------------------------------
# Agencies
# ---------------------------------------------------------------------------------------------


def test_agency_list_shows_only_the_areas_agencies(
    client_for: Any, area_admin: User, area: Area, agency: Agency
) -> None:
    mine = AgencyFactory(area=area, name="Northshire Police")
    theirs = AgencyFactory(area=AreaFactory(), name="Southshire Police")
    response = client_for(area_admin).get(reverse("administration:agency_list"))
    assert response.status_code == 200
    page = html(response)
    assert mine.name in page
    assert agency.name in page
    assert theirs.name not in page
    assert reverse("administration:agency_edit", args=[mine.pk]) in page


def test_an_agency_is_created_and_audited(client_for: Any, area_admin: User, area: Area) -> None:
    response = client_for(area_admin).post(
        reverse("administration:agency_create"),
        {"name": "  Northshire Health  ", "kind": AgencyKind.HEALTH},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("administration:agency_list")
    created = Agency.objects.get(name="Northshire Health")
    assert created.area_id == area.pk
    assert created.kind == AgencyKind.HEALTH
    (event,) = events(Verb.AGENCY_CREATED)
    assert event.target_id == str(created.pk)
    assert event.actor_id == area_admin.pk
    assert event.changes["name"] == {"before": None, "after": "Northshire Health"}
    assert event.changes["kind"] == {"before": None, "after": "health"}


@pytest.mark.parametrize(
    "data,field",
    [
        ({"name": "", "kind": AgencyKind.HEALTH}, "name"),
        ({"name": "   ", "kind": AgencyKind.HEALTH}, "name"),
        ({"name": "New agency", "kind": "witchcraft"}, "kind"),
        ({"name": "x" * 161, "kind": AgencyKind.HEALTH}, "name"),
    ],
)
def test_bad_agency_input_is_refused_and_creates_nothing(
    client_for: Any, area_admin: User, data: dict[str, str], field: str
) -> None:
    count = Agency.objects.count()
    response = client_for(area_admin).post(reverse("administration:agency_create"), data)
    assert response.status_code == 400
    assert f'href="#id_{field}"' in error_summary(response)
    assert Agency.objects.count() == count
    assert not events(Verb.AGENCY_CREATED)


def test_an_agency_name_must_be_unique_in_the_area(
    client_for: Any, area_admin: User, agency: Agency
) -> None:
    response = client_for(area_admin).post(
        reverse("administration:agency_create"),
        {"name": agency.name.upper(), "kind": AgencyKind.POLICE},
    )
    assert response.status_code == 400
    summary = error_summary(response)
    assert 'href="#id_name"' in summary
    assert "already an agency" in summary
    assert Agency.objects.filter(name__iexact=agency.name).count() == 1


def test_the_same_agency_name_is_fine_in_another_area(client_for: Any, area_admin: User) -> None:
    AgencyFactory(area=AreaFactory(), name="Youth Offending Team")
    response = client_for(area_admin).post(
        reverse("administration:agency_create"),
        {"name": "Youth Offending Team", "kind": AgencyKind.YOUTH_JUSTICE},
    )
    assert response.status_code == 302
    assert Agency.objects.filter(name="Youth Offending Team").count() == 2


def test_an_agency_is_edited_and_audited(client_for: Any, area_admin: User, area: Area) -> None:
    target = AgencyFactory(area=area, name="Old name", kind=AgencyKind.POLICE)
    client = client_for(area_admin)
    page = client.get(reverse("administration:agency_edit", args=[target.pk]))
    assert page.status_code == 200
    assert 'value="Old name"' in html(page)

    response = client.post(
        reverse("administration:agency_edit", args=[target.pk]),
        {"name": "New name", "kind": AgencyKind.EDUCATION, "version": form_version(page)},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.name, target.kind, target.is_active, target.version) == (
        "New name",
        AgencyKind.EDUCATION,
        False,  # the checkbox was left unticked
        2,
    )
    (event,) = events(Verb.AGENCY_UPDATED)
    assert event.changes == {
        "name": {"before": "Old name", "after": "New name"},
        "kind": {"before": "police", "after": "education"},
        "is_active": {"before": True, "after": False},
    }


def test_an_agency_cannot_be_renamed_to_anothers_name(
    client_for: Any, area_admin: User, area: Area, agency: Agency
) -> None:
    target = AgencyFactory(area=area, name="Target")
    response = client_for(area_admin).post(
        reverse("administration:agency_edit", args=[target.pk]),
        {"name": agency.name, "kind": target.kind, "is_active": "on", "version": 1},
    )
    assert response.status_code == 400
    assert 'href="#id_name"' in error_summary(response)
    target.refresh_from_db()
    assert (target.name, target.version) == ("Target", 1)
    assert not events(Verb.AGENCY_UPDATED)


def test_agency_edit_without_a_version_is_refused(
    client_for: Any, area_admin: User, agency: Agency
) -> None:
    response = client_for(area_admin).post(
        reverse("administration:agency_edit", args=[agency.pk]),
        {"name": "Changed", "kind": agency.kind, "is_active": "on"},
    )
    assert response.status_code == 400
    assert "Version" in error_summary(response)
    agency.refresh_from_db()
    assert agency.name != "Changed"


def test_agency_edit_from_a_stale_version_is_refused(
    client_for: Any, area_admin: User, make_user: Any, area: Area
) -> None:
    target = AgencyFactory(area=area, name="Shared")
    url = reverse("administration:agency_edit", args=[target.pk])
    first, second = client_for(area_admin), client_for(make_user(Role.AREA_ADMINISTRATOR))
    v1, v2 = form_version(first.get(url)), form_version(second.get(url))
    assert v1 == v2 == 1

    ok = first.post(
        url, {"name": "First's name", "kind": target.kind, "is_active": "on", "version": v1}
    )
    late = second.post(url, {"name": "Second's name", "kind": target.kind, "version": v2})
    assert ok.status_code == 302
    assert late.status_code == 409
    summary = error_summary(late)
    assert SOMEONE_ELSE in summary
    assert "this agency" in summary
    target.refresh_from_db()
    assert (target.name, target.is_active, target.version) == ("First's name", True, 2)
    assert len(events(Verb.AGENCY_UPDATED)) == 1


def test_an_administrator_cannot_reach_another_areas_agency(
    client_for: Any, other_area_admin: User, agency: Agency
) -> None:
    client = client_for(other_area_admin)
    original = agency.name
    url = reverse("administration:agency_edit", args=[agency.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"name": "Taken over", "kind": agency.kind, "version": 1})
    assert response.status_code == 404
    agency.refresh_from_db()
    assert (agency.name, agency.version) == (original, 1)
    assert not events(Verb.AGENCY_UPDATED)
    assert agency.name not in html(client.get(reverse("administration:agency_list")))


# ---------------------------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------------------------


def test_user_list_shows_the_areas_users_with_their_roles(
    client_for: Any, area_admin: User, make_user: Any
) -> None:
    worker = make_user(Role.SOCIAL_WORKER, Role.CHAIR, full_name="Zadie Worker")
    stranger = UserFactory(
        agency=AgencyFactory(area=AreaFactory()),
        roles=[Role.SOCIAL_WORKER],
        full_name="Quentin Stranger",
    )
    response = client_for(area_admin).get(reverse("administration:user_list"))
    assert response.status_code == 200
    page = html(response)
    assert "Zadie Worker" in page
    assert worker.email in page
    assert "Social worker" in page and "Chair or vice-chair" in page
    assert stranger.email not in page
    assert "Quentin Stranger" not in page


def test_user_list_queries_do_not_grow_with_the_users(
    client_for: Any,
    area_admin: User,
    make_user: Any,
    area: Area,
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(15):
        make_user(
            Role.SOCIAL_WORKER,
            Role.TEAM_MANAGER,
            agency=AgencyFactory(area=area, name=f"Extra agency {i}"),
        )
    client = client_for(area_admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("administration:user_list"))
    assert response.status_code == 200
    assert html(response).count("Team manager") == 15


def test_creating_a_user_sends_an_invitation_after_commit_and_is_audited(
    client_for: Any,
    area_admin: User,
    agency: Agency,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(area_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("administration:user_create"),
            {
                "full_name": "Nadia Newcomer",
                "email": "Nadia.Newcomer@Example.TEST",
                "job_title": "Youth worker",
                "agency": str(agency.pk),
                "roles": [Role.SOCIAL_WORKER, Role.LEAD_PROFESSIONAL],
            },
        )
    assert response.status_code == 302
    # Nothing is sent while the transaction that creates the user is still open.
    assert mail.outbox == []
    assert len(callbacks) == 1

    created = User.objects.get(email="nadia.newcomer@example.test")
    assert created.agency_id == agency.pk
    assert created.role_set() == {Role.SOCIAL_WORKER, Role.LEAD_PROFESSIONAL}
    assert not created.has_usable_password()

    callbacks[0]()
    (message,) = mail.outbox
    assert message.to == ["nadia.newcomer@example.test"]
    assert "Nadia Newcomer" in message.body
    assert "/accounts/password/reset/key/" in message.body

    (event,) = events(Verb.USER_CREATED)
    assert event.actor_id == area_admin.pk
    assert event.target_id == str(created.pk)
    assert event.changes["roles"] == {
        "before": [],
        "after": sorted([Role.LEAD_PROFESSIONAL, Role.SOCIAL_WORKER]),
    }
    assert event.changes["email"] == {"before": None, "after": "nadia.newcomer@example.test"}
    assert event.changes["agency"] == {"before": None, "after": str(agency.pk)}


def test_the_invitation_link_lets_the_new_user_choose_a_password(
    client: Any,
    client_for: Any,
    area_admin: User,
    agency: Agency,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_for(area_admin).post(
            reverse("administration:user_create"),
            {
                "full_name": "Ivy Invited",
                "email": "ivy@example.test",
                "agency": str(agency.pk),
                "roles": [Role.SOCIAL_WORKER],
            },
        )
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body)
    assert link, message.body
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    page = html(response)
    assert 'name="password1"' in page, "the invitation link was refused as invalid"
    set_password_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    new_password = "a-brand-new-passphrase-for-ivy-77"
    done = client.post(set_password_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    assert User.objects.get(email="ivy@example.test").check_password(new_password)


def test_no_invitation_is_sent_when_creating_the_user_fails(
    client_for: Any,
    area_admin: User,
    agency: Agency,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def refuse(**kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    client = client_for(area_admin)
    client.raise_request_exception = False
    monkeypatch.setattr("riskpath.audit.services.AuditEvent.objects.create", refuse)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("administration:user_create"),
            {
                "full_name": "Never Made",
                "email": "never@example.test",
                "agency": str(agency.pk),
                "roles": [Role.SOCIAL_WORKER],
            },
        )
    assert response.status_code == 500
    assert callbacks == []
    assert mail.outbox == []
    assert not User.objects.filter(email="never@example.test").exists()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"full_name": ""}, "full_name"),
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"roles": None}, "roles"),
        ({"roles": ["wizard"]}, "roles"),
        ({"agency": ""}, "agency"),
    ],
)
def test_bad_user_input_is_refused_and_creates_nothing(
    client_for: Any,
    area_admin: User,
    agency: Agency,
    overrides: dict[str, Any],
    field: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    data: dict[str, Any] = {
        "full_name": "Bad Input",
        "email": "bad.input@example.test",
        "agency": str(agency.pk),
        "roles": [Role.SOCIAL_WORKER],
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    count = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(area_admin).post(reverse("administration:user_create"), data)
    assert response.status_code == 400
    assert f'href="#id_{field}' in error_summary(response)
    assert User.objects.count() == count
    assert mail.outbox == []
    assert not events(Verb.USER_CREATED)


def test_a_user_cannot_be_put_in_another_areas_agency(client_for: Any, area_admin: User) -> None:
    elsewhere = AgencyFactory(area=AreaFactory())
    response = client_for(area_admin).post(
        reverse("administration:user_create"),
        {
            "full_name": "Mis Placed",
            "email": "misplaced@example.test",
            "agency": str(elsewhere.pk),
            "roles": [Role.SOCIAL_WORKER],
        },
    )
    assert response.status_code == 400
    assert 'href="#id_agency"' in error_summary(response)
    assert not User.objects.filter(email="misplaced@example.test").exists()


def test_an_e_mail_address_can_only_be_used_once(
    client_for: Any, area_admin: User, make_user: Any, agency: Agency
) -> None:
    existing = make_user(Role.SOCIAL_WORKER)
    response = client_for(area_admin).post(
        reverse("administration:user_create"),
        {
            "full_name": "Copy Cat",
            "email": existing.email.upper(),
            "agency": str(agency.pk),
            "roles": [Role.SOCIAL_WORKER],
        },
    )
    assert response.status_code == 400
    summary = error_summary(response)
    assert 'href="#id_email"' in summary
    assert "already exists" in summary
    assert User.objects.filter(email__iexact=existing.email).count() == 1


def test_a_user_is_edited_and_the_role_change_audited(
    client_for: Any, area_admin: User, make_user: Any, area: Area
) -> None:
    subject = make_user(Role.SOCIAL_WORKER, job_title="Social worker")
    moved_to = AgencyFactory(area=area, name="Education service")
    client = client_for(area_admin)
    url = reverse("administration:user_edit", args=[subject.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert subject.email in html(page)
    # Reading someone's account is itself audited.
    assert len(events(Verb.USER_VIEWED, target_id=str(subject.pk))) == 1

    response = client.post(
        url,
        user_post(
            subject,
            version=form_version(page),
            job_title="Senior practitioner",
            agency=str(moved_to.pk),
            roles=[Role.TEAM_MANAGER, Role.SOCIAL_WORKER],
        ),
    )
    assert response.status_code == 302
    subject = User.objects.get(pk=subject.pk)
    assert subject.job_title == "Senior practitioner"
    assert subject.agency_id == moved_to.pk
    assert subject.role_set() == {Role.TEAM_MANAGER, Role.SOCIAL_WORKER}
    assert subject.version == 2
    (event,) = events(Verb.USER_UPDATED)
    assert event.changes["roles"] == {
        "before": [Role.SOCIAL_WORKER],
        "after": sorted([Role.SOCIAL_WORKER, Role.TEAM_MANAGER]),
    }
    assert event.changes["job_title"] == {"before": "Social worker", "after": "Senior practitioner"}
    assert event.changes["agency"]["after"] == str(moved_to.pk)


def test_removing_a_role_is_audited(client_for: Any, area_admin: User, make_user: Any) -> None:
    subject = make_user(Role.SOCIAL_WORKER, Role.CHAIR)
    response = client_for(area_admin).post(
        reverse("administration:user_edit", args=[subject.pk]),
        user_post(subject, version=1, roles=[Role.SOCIAL_WORKER]),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=subject.pk).role_set() == {Role.SOCIAL_WORKER}
    (event,) = events(Verb.USER_UPDATED)
    assert event.changes == {
        "roles": {
            "before": sorted([Role.CHAIR, Role.SOCIAL_WORKER]),
            "after": [Role.SOCIAL_WORKER],
        }
    }


def test_user_edit_from_a_stale_version_is_refused(
    client_for: Any, area_admin: User, make_user: Any
) -> None:
    subject = make_user(Role.SOCIAL_WORKER, job_title="Original")
    url = reverse("administration:user_edit", args=[subject.pk])
    first, second = client_for(area_admin), client_for(make_user(Role.AREA_ADMINISTRATOR))
    v1, v2 = form_version(first.get(url)), form_version(second.get(url))
    assert v1 == v2

    ok = first.post(url, user_post(subject, version=v1, job_title="First's title"))
    late = second.post(
        url, user_post(subject, version=v2, job_title="Second's title", roles=[Role.CHAIR])
    )
    assert ok.status_code == 302
    assert late.status_code == 409
    assert SOMEONE_ELSE in error_summary(late)
    subject = User.objects.get(pk=subject.pk)
    assert subject.job_title == "First's title"
    assert subject.role_set() == {Role.SOCIAL_WORKER}  # the late role change was not applied
    assert subject.version == 2
    assert len(events(Verb.USER_UPDATED)) == 1


def test_an_administrator_cannot_reach_another_areas_user(
    client_for: Any, other_area_admin: User, make_user: Any
) -> None:
    subject = make_user(Role.SOCIAL_WORKER, job_title="Untouched")
    client = client_for(other_area_admin)
    url = reverse("administration:user_edit", args=[subject.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url,
        user_post(
            subject,
            version=1,
            agency=str(other_area_admin.agency_id),
            job_title="Hijacked",
        ),
    )
    assert response.status_code == 404
    subject.refresh_from_db()
    assert (subject.job_title, subject.version) == ("Untouched", 1)
    assert not events(Verb.USER_VIEWED)
    assert not events(Verb.USER_UPDATED)
    assert subject.email not in html(client.get(reverse("administration:user_list")))


def test_an_administrator_cannot_remove_their_own_administrator_role(
    client_for: Any, area_admin: User
) -> None:
    response = client_for(area_admin).post(
        reverse("administration:user_edit", args=[area_admin.pk]),
        user_post(area_admin, version=1, roles=[Role.SOCIAL_WORKER]),
    )
    assert response.status_code == 400
    summary = error_summary(response)
    assert 'href="#id_roles_0"' in summary
    assert "cannot change your own roles" in summary
    fresh = User.objects.get(pk=area_admin.pk)
    assert fresh.role_set() == {Role.AREA_ADMINISTRATOR}
    assert fresh.version == 1
    assert not events(Verb.USER_UPDATED)


@pytest.mark.parametrize(
    "roles",
    [
        [Role.AREA_ADMINISTRATOR, Role.SOCIAL_WORKER],  # reading records as a practitioner
        [Role.AREA_ADMINISTRATOR, Role.SERVICE_MANAGER, Role.CONSULTANT_SOCIAL_WORKER],
    ],
)
def test_an_administrator_cannot_give_themselves_a_role(
    client_for: Any, area_admin: User, roles: list[str]
) -> None:
    response = client_for(area_admin).post(
        reverse("administration:user_edit", args=[area_admin.pk]),
        user_post(area_admin, version=1, roles=roles),
    )
    assert response.status_code == 400
    summary = error_summary(response)
    assert 'href="#id_roles_0"' in summary
    assert "You cannot change your own roles" in summary
    assert "Ask another area administrator" in summary
    fresh = User.objects.get(pk=area_admin.pk)
    assert fresh.role_set() == {Role.AREA_ADMINISTRATOR}
    assert fresh.version == 1
    assert not events(Verb.USER_UPDATED)
    [refusal] = events(Verb.SELF_CHANGE_REFUSED)
    assert refusal.actor_id == area_admin.pk and refusal.target_id == str(area_admin.pk)
    assert refusal.changes["roles"] == {
        "before": [Role.AREA_ADMINISTRATOR],
        "after": sorted(roles),
    }


def test_an_administrator_cannot_move_themselves_to_another_agency(
    client_for: Any, area_admin: User
) -> None:
    police = AgencyFactory(area=area_admin.area, kind=AgencyKind.POLICE, name="Police")
    home = area_admin.agency_id
    response = client_for(area_admin).post(
        reverse("administration:user_edit", args=[area_admin.pk]),
        user_post(area_admin, version=1, agency=str(police.pk)),
    )
    assert response.status_code == 400
    summary = error_summary(response)
    assert 'href="#id_agency"' in summary
    assert "You cannot move yourself to another agency" in summary
    fresh = User.objects.get(pk=area_admin.pk)
    assert fresh.agency_id == home and fresh.version == 1
    assert not events(Verb.USER_UPDATED)
    [refusal] = events(Verb.SELF_CHANGE_REFUSED)
    assert refusal.changes["agency"] == {"before": str(home), "after": str(police.pk)}


def test_an_administrator_may_still_edit_their_own_name_and_title(
    client_for: Any, area_admin: User
) -> None:
    response = client_for(area_admin).post(
        reverse("administration:user_edit", args=[area_admin.pk]),
        user_post(area_admin, version=1, job_title="Partnership manager"),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=area_admin.pk).job_title == "Partnership manager"
    assert not events(Verb.SELF_CHANGE_REFUSED)


def test_another_administrator_of_the_area_may_change_their_roles_and_agency(
    client_for: Any, area_admin: User, make_user: Any
) -> None:
    colleague = make_user(Role.AREA_ADMINISTRATOR)
    police = AgencyFactory(area=area_admin.area, kind=AgencyKind.POLICE, name="Police")
    response = client_for(colleague).post(
        reverse("administration:user_edit", args=[area_admin.pk]),
        user_post(
            area_admin,
            version=1,
            agency=str(police.pk),
            roles=[Role.AREA_ADMINISTRATOR, Role.SOCIAL_WORKER],
        ),
    )
    assert response.status_code == 302
    fresh = User.objects.get(pk=area_admin.pk)
    assert fresh.role_set() == {Role.AREA_ADMINISTRATOR, Role.SOCIAL_WORKER}
    assert fresh.agency_id == police.pk
    assert not events(Verb.SELF_CHANGE_REFUSED)


def test_an_administrator_cannot_deactivate_themselves(client_for: Any, area_admin: User) -> None:
    response = client_for(area_admin).post(
        reverse("administration:user_edit", args=[area_admin.pk]),
        user_post(area_admin, version=1, is_active=""),
    )
    assert response.status_code == 400
    summary = error_summary(response)
    assert 'href="#id_is_active"' in summary
    assert "deactivate your own account" in summary
    fresh = User.objects.get(pk=area_admin.pk)
    assert fresh.is_active and fresh.version == 1
    assert not events(Verb.USER_UPDATED)


def test_an_administrator_may_deactivate_someone_else(
    client_for: Any, area_admin: User, make_user: Any
) -> None:
    subject = make_user(Role.SOCIAL_WORKER)
    response = client_for(area_admin).post(
        reverse("administration:user_edit", args=[subject.pk]),
        user_post(subject, version=1, is_active=""),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=subject.pk).is_active is False
    (event,) = events(Verb.USER_UPDATED)
    assert event.changes == {"is_active": {"before": True, "after": False}}
