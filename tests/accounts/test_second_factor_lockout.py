"""The per-account limit on wrong second-factor codes: after SECOND_FACTOR_MAX_FAILURES wrong
authenticator-app or recovery codes the code step is locked for that account (even the right
code is refused), with a GOV.UK error message, audited; another account is not affected; the
lock ends after SECOND_FACTOR_LOCKOUT. One test runs against a real Redis."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CODE_PAGE = reverse("mfa_authenticate")
REDIS_URL = "redis://127.0.0.1:6379/5"


class Member:
    """A user with an authenticator app and recovery codes."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.secret = generate_totp_secret()
        TOTP.activate(user, self.secret)
        self.recovery = RecoveryCodes.activate(user).generate_codes()

    def code(self) -> str:
        counter = next(iter(yield_hotp_counters_from_time()))
        return format_hotp_value(hotp_value(self.secret, counter))

    def wrong_code(self) -> str:
        right = self.code()
        return "000000" if right != "000000" else "111111"


@pytest.fixture
def member(make_user: Any) -> Member:
    return Member(make_user(Role.LEAD_PROFESSIONAL))


def at_code_page(member: Member) -> Client:
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": member.user.email, "password": PASSWORD}
    )
    assert response["Location"] == CODE_PAGE
    return client


def error_summary(response: Any) -> str:
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page, "no error summary on the page"
    start = page.index('class="govuk-error-summary"')
    return page[start : page.index("</div>", page.index("</ul>", start))]


def events(verb: Verb, member: Member) -> int:
    return AuditEvent.objects.filter(verb=verb, target_id=str(member.user.pk)).count()


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def lock(client: Client, member: Member) -> Any:
    last = None
    for _ in range(settings.SECOND_FACTOR_MAX_FAILURES):
        last = client.post(CODE_PAGE, {"code": member.wrong_code()})
    return last


def test_wrong_codes_lock_the_code_step_even_for_the_right_code(member: Member) -> None:
    client = at_code_page(member)
    for _ in range(settings.SECOND_FACTOR_MAX_FAILURES - 1):
        wrong = client.post(CODE_PAGE, {"code": member.wrong_code()})
        assert wrong.status_code == 200
        assert "Incorrect code" in error_summary(wrong)
    locking = client.post(CODE_PAGE, {"code": member.wrong_code()})
    summary = error_summary(locking)
    assert "The wrong code has been entered too many times for this account" in summary
    assert "try again in 15 minutes" in summary
    assert 'href="#id_code"' in summary
    assert events(Verb.MFA_FAILED, member) == settings.SECOND_FACTOR_MAX_FAILURES
    assert events(Verb.MFA_LOCKED, member) == 1

    refused = client.post(CODE_PAGE, {"code": member.code()})
    assert "too many times for this account" in error_summary(refused)
    assert not signed_in(client)
    refused_recovery = client.post(CODE_PAGE, {"code": member.recovery[0]})
    assert "too many times for this account" in error_summary(refused_recovery)
    assert not signed_in(client)
    assert events(Verb.MFA_REFUSED_LOCKED, member) == 2
    assert events(Verb.MFA_LOCKED, member) == 1
    assert events(Verb.MFA_USED, member) == 0


def test_the_lock_holds_for_a_new_sign_in_from_elsewhere(member: Member) -> None:
    lock(at_code_page(member), member)
    elsewhere = at_code_page(member)  # the password is still right: the code step is locked
    refused = elsewhere.post(CODE_PAGE, {"code": member.code()})
    assert "too many times for this account" in error_summary(refused)
    assert not signed_in(elsewhere)


def test_wrong_recovery_codes_count_too(member: Member) -> None:
    client = at_code_page(member)
    for _ in range(settings.SECOND_FACTOR_MAX_FAILURES):
        client.post(CODE_PAGE, {"code": "abcd1234"})
    assert events(Verb.MFA_LOCKED, member) == 1
    refused = client.post(CODE_PAGE, {"code": member.code()})
    assert "too many times for this account" in error_summary(refused)


def test_another_account_is_not_affected(member: Member, make_user: Any) -> None:
    lock(at_code_page(member), member)
    other = Member(make_user(Role.LEAD_PROFESSIONAL))
    client = at_code_page(other)
    assert client.post(CODE_PAGE, {"code": other.code()}).status_code == 302
    assert signed_in(client)


def test_a_right_code_forgives_the_wrong_ones_before_it(member: Member) -> None:
    client = at_code_page(member)
    for _ in range(settings.SECOND_FACTOR_MAX_FAILURES - 1):
        client.post(CODE_PAGE, {"code": member.wrong_code()})
    assert client.post(CODE_PAGE, {"code": member.code()}).status_code == 302
    client.post(reverse("account_logout"))
    again = at_code_page(member)
    for _ in range(settings.SECOND_FACTOR_MAX_FAILURES - 1):
        again.post(CODE_PAGE, {"code": member.wrong_code()})
    assert events(Verb.MFA_LOCKED, member) == 0


def test_the_lock_ends_after_the_lockout_period(
    member: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = at_code_page(member)
    lock(client, member)
    real_now = clock.now
    almost = dt.timedelta(seconds=settings.SECOND_FACTOR_LOCKOUT - 60)
    monkeypatch.setattr(clock, "now", lambda: real_now() + almost)
    refused = client.post(CODE_PAGE, {"code": member.code()})
    assert "You can try again in 1 minute" in error_summary(refused)
    later = dt.timedelta(seconds=settings.SECOND_FACTOR_LOCKOUT + 1)
    monkeypatch.setattr(clock, "now", lambda: real_now() + later)
    assert client.post(CODE_PAGE, {"code": member.code()}).status_code == 302
    assert signed_in(client)


def test_the_limit_is_configurable(member: Member, settings: Any) -> None:
    settings.SECOND_FACTOR_MAX_FAILURES = 2
    client = at_code_page(member)
    client.post(CODE_PAGE, {"code": member.wrong_code()})
    locking = client.post(CODE_PAGE, {"code": member.wrong_code()})
    assert "too many times for this account" in error_summary(locking)


def test_codes_asked_again_when_signed_in_are_limited_too(member: Member) -> None:
    """Reauthentication (before adding or removing a factor) checks a code the same way."""
    client = at_code_page(member)
    assert client.post(CODE_PAGE, {"code": member.code()}).status_code == 302
    reauthenticate = reverse("mfa_reauthenticate")
    for _ in range(settings.SECOND_FACTOR_MAX_FAILURES):
        client.post(reauthenticate, {"code": member.wrong_code()})
    assert events(Verb.MFA_LOCKED, member) == 1
    refused = client.post(reauthenticate, {"code": member.code()})
    assert refused.status_code == 200
    assert "too many times for this account" in error_summary(refused)


def test_the_lock_lives_in_redis_where_every_server_sees_it(member: Member) -> None:
    redis = pytest.importorskip("redis")
    raw = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        raw.ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"riskpath-test-{uuid.uuid4().hex}"
    server = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    try:
        with override_settings(CACHES={"default": server}):
            lock(at_code_page(member), member)
        assert raw.keys(f"{prefix}:*riskpath:mfa-locked:{member.user.pk}")
        # Another server: a new connection to the same Redis.
        with override_settings(CACHES={"default": {**server, "OPTIONS": {}}}):
            client = at_code_page(member)
            refused = client.post(CODE_PAGE, {"code": member.code()})
            assert "too many times for this account" in error_summary(refused)
            assert not signed_in(client)
    finally:
        for key in raw.scan_iter(f"{prefix}:*"):
            raw.delete(key)
