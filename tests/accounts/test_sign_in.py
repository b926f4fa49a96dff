"""Sign-in as a security officer would want it (OWASP ASVS level 2): lockout, the same answer
for unknown accounts, MFA where the area requires it, session limits, audit of every step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.config import settings as production_settings
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def sign_in(client: Client, email: str, password: str) -> Any:
    return client.post(LOGIN, {"login": email, "password": password})


def body(response: Any) -> str:
    """The page's main content, without the per-request CSRF token."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return "\n".join(line for line in main.splitlines() if "csrfmiddlewaretoken" not in line)


@pytest.fixture
def member(make_user: Any) -> Any:
    return make_user(Role.LEAD_PROFESSIONAL)


def test_production_settings_hash_with_argon2() -> None:
    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_stored_passwords_are_argon2(member: Any) -> None:
    assert member.password.startswith("argon2")


@pytest.mark.parametrize(
    "password,ok",
    [
        ("short-pass", False),  # under 12 characters
        ("password1234", False),  # a common password
        ("all lower case words", True),  # no composition rules
        ("correct horse battery staple", True),
    ],
)
def test_password_rules_are_length_and_commonness_only(password: str, ok: bool) -> None:
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


@pytest.mark.django_db
def test_sign_in_records_an_event_and_starts_a_new_session(client: Client, member: Any) -> None:
    client.get(LOGIN)
    before = client.cookies.get(settings.SESSION_COOKIE_NAME)
    response = sign_in(client, member.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before is None or before.value != after
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert AuditEvent.objects.filter(verb=Verb.SIGNED_IN, actor=member).count() == 1


@pytest.mark.django_db
def test_unknown_account_and_wrong_password_get_the_same_answer(
    client: Client, member: Any
) -> None:
    wrong_password = sign_in(client, member.email, "not-the-password-at-all")
    unknown = sign_in(Client(), "nobody@example.test", "not-the-password-at-all")
    assert wrong_password.status_code == unknown.status_code == 200
    assert body(wrong_password).replace(member.email, "X") == body(unknown).replace(
        "nobody@example.test", "X"
    )
    assert "There is a problem" in body(unknown)
    assert AuditEvent.objects.filter(verb=Verb.SIGN_IN_FAILED).count() == 2


@pytest.mark.django_db
def test_lockout_after_repeated_failures_even_with_the_right_password(
    client: Client, member: Any
) -> None:
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        sign_in(client, member.email, "not-the-password-at-all")
    locked = sign_in(client, member.email, PASSWORD)
    assert locked.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in body(locked)
    assert (
        AuditEvent.objects.filter(verb=Verb.ACCOUNT_LOCKED, target_id=str(member.pk)).count() == 1
    )
    assert AuditEvent.objects.filter(verb=Verb.SIGN_IN_REFUSED_LOCKED).count() == 1


@pytest.mark.django_db
def test_an_unknown_account_locks_out_the_same_way(client: Client, member: Any) -> None:
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        sign_in(client, "nobody@example.test", "not-the-password-at-all")
    unknown = sign_in(client, "nobody@example.test", "not-the-password-at-all")
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        sign_in(client, member.email, "not-the-password-at-all")
    known = sign_in(client, member.email, "not-the-password-at-all")
    assert body(unknown).replace("nobody@example.test", "X") == body(known).replace(
        member.email, "X"
    )


@pytest.mark.django_db
def test_lockout_ends_after_the_lockout_period(client: Client, member: Any, settings: Any) -> None:
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        sign_in(client, member.email, "not-the-password-at-all")
    from riskpath.accounts.models import SignInThrottle

    SignInThrottle.objects.update(locked_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert sign_in(client, member.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_mfa_is_enforced_where_the_area_requires_it(client: Client, member: Any) -> None:
    area = member.area
    area.require_mfa = True
    area.save()
    response = sign_in(client, member.email, PASSWORD)
    assert response.status_code == 302
    home = client.get(reverse("web:home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("people:list")).status_code == 302
    assert client.get("/api/v1/me/").status_code == 403


@pytest.mark.django_db
def test_a_user_with_totp_must_give_a_code_and_mfa_changes_are_audited(
    client: Client, member: Any
) -> None:
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    response = sign_in(client, member.email, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert AuditEvent.objects.filter(verb=Verb.MFA_FAILED).count() == 1
    from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time

    counter = next(iter(yield_hotp_counters_from_time()))
    code = format_hotp_value(hotp_value(secret, counter))
    ok = client.post(reverse("mfa_authenticate"), {"code": code})
    assert ok.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    assert AuditEvent.objects.filter(verb=Verb.MFA_USED, actor=member).count() == 1


@pytest.mark.django_db
def test_session_expires_after_inactivity(client_for: Any, member: Any, settings: Any) -> None:
    client = client_for(member)
    assert client.get(reverse("web:home")).status_code == 200
    session = client.session
    session["_riskpath_seen"] -= settings.SESSION_IDLE_TIMEOUT + 1
    session.save()
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb=Verb.SESSION_EXPIRED, actor=member).count() == 1


@pytest.mark.django_db
def test_session_expires_at_the_absolute_limit_despite_activity(
    client_for: Any, member: Any, settings: Any
) -> None:
    client = client_for(member)
    assert client.get(reverse("web:home")).status_code == 200
    session = client.session
    session["_riskpath_started"] -= settings.SESSION_ABSOLUTE_TIMEOUT + 1
    session.save()
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_active_session_carries_on(client_for: Any, member: Any) -> None:
    client = client_for(member)
    for _ in range(3):
        assert client.get(reverse("web:home")).status_code == 200


@pytest.mark.django_db
def test_sign_out_is_audited(client: Client, member: Any) -> None:
    sign_in(client, member.email, PASSWORD)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb=Verb.SIGNED_OUT, actor=member).count() == 1


@pytest.mark.django_db
def test_password_reset_by_e_mail_without_revealing_accounts(client: Client, member: Any) -> None:
    known = client.post(reverse("account_reset_password"), {"email": member.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert next(m.to for m in mail.outbox if "password" in m.subject.lower()) == [member.email]


@pytest.mark.django_db
def test_nobody_can_sign_themselves_up(client: Client) -> None:
    assert client.get("/accounts/signup/").status_code == 404
