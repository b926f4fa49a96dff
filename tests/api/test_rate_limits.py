"""The API's rate limits: per service token, per signed-in user, per address for requests with
neither. Past a limit the answer is 429 in the error shape with Retry-After; other tokens,
users and addresses are unaffected. One test runs against a real Redis, as several servers
would share it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, User
from riskpath.api import throttling
from riskpath.config import env
from tests.api.helpers import create_token, errors, service_account

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
REDIS_URL = "redis://127.0.0.1:6379/5"


def limits(token: int = 1000, user: int = 1000, anon: int = 1000) -> dict[str, Any]:
    return {"token": (token, 60), "user": (user, 60), "anon": (anon, 60)}


@pytest.fixture
def account(agency: Agency) -> User:
    return service_account(agency, Role.LEAD_PROFESSIONAL)


def bearer(token: str, **kwargs: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"}, **kwargs)


def assert_limited(response: Any, who: str) -> int:
    assert response.status_code == 429
    [error] = errors(response)
    assert error["field"] is None
    assert f"Too many requests from {who}" in error["message"]
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    assert f"Try again in {wait} second" in error["message"]
    return wait


def test_a_token_is_refused_past_its_rate_and_other_tokens_are_not(
    settings: Any, account: User, agency: Agency
) -> None:
    settings.API_RATE_LIMITS = limits(token=3)
    first = bearer(create_token(account, name="one"))
    for _ in range(3):
        assert first.get(ME).status_code == 200
    assert_limited(first.get(ME), "this service token")
    assert_limited(first.get("/api/v1/young-people/"), "this service token")  # every route
    # Another token of the same account, and another account's token, have their own count.
    assert bearer(create_token(account, name="two")).get(ME).status_code == 200
    other = service_account(agency, Role.LEAD_PROFESSIONAL)
    assert bearer(create_token(other)).get(ME).status_code == 200


def test_a_signed_in_user_is_refused_past_their_rate_and_others_are_not(
    settings: Any, make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    settings.API_RATE_LIMITS = limits(user=2)
    user = make_user(Role.LEAD_PROFESSIONAL)
    client = client_for(user)
    assert client.get(ME).status_code == 200
    assert client.get(ME).status_code == 200
    assert_limited(client.get(ME), "your account")
    # A second session of the same user shares the user's count...
    assert_limited(client_for(user).get(ME), "your account")
    # ...another user does not, and the API's limit is not the pages'.
    assert client_for(make_user(Role.LEAD_PROFESSIONAL)).get(ME).status_code == 200
    assert client.get("/").status_code == 200


def test_refused_requests_count_too(
    settings: Any, make_user: Callable[..., User], client_for: Callable[[User], Client]
) -> None:
    """A request the access policy refuses still counts: probing is not free."""
    settings.API_RATE_LIMITS = limits(user=2)
    client = client_for(make_user(Role.LEAD_PROFESSIONAL))
    assert client.get("/api/v1/audit-events/").status_code == 403
    assert client.get("/api/v1/audit-events/").status_code == 403
    assert_limited(client.get("/api/v1/audit-events/"), "your account")


def test_anonymous_requests_and_bad_tokens_are_counted_by_address(
    settings: Any, account: User
) -> None:
    settings.API_RATE_LIMITS = limits(anon=3)
    here = Client(REMOTE_ADDR="192.0.2.10")
    assert here.get(ME).status_code in (401, 403)
    assert bearer("rp_guess-one", REMOTE_ADDR="192.0.2.10").get(ME).status_code == 401
    assert bearer("rp_guess-two", REMOTE_ADDR="192.0.2.10").get(ME).status_code == 401
    assert_limited(bearer("rp_guess-three", REMOTE_ADDR="192.0.2.10").get(ME), "your address")
    assert_limited(here.get(ME), "your address")
    # A forged X-Forwarded-For does not make a new address.
    forged = Client(REMOTE_ADDR="192.0.2.10", headers={"X-Forwarded-For": "203.0.113.7"})
    assert_limited(forged.get(ME), "your address")
    # Another address is not affected, and neither is a valid token from this one.
    assert Client(REMOTE_ADDR="192.0.2.11").get(ME).status_code in (401, 403)
    assert bearer(create_token(account), REMOTE_ADDR="192.0.2.10").get(ME).status_code == 200


def test_the_count_starts_again_when_retry_after_has_passed(
    settings: Any, account: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.API_RATE_LIMITS = limits(token=2)
    clock = {"now": 60.0 * 16_666_667 + 20}  # 20 seconds into a minute
    monkeypatch.setattr(throttling, "_now", lambda: clock["now"])
    client = bearer(create_token(account))
    assert client.get(ME).status_code == 200
    assert client.get(ME).status_code == 200
    wait = assert_limited(client.get(ME), "this service token")
    assert wait == 40
    clock["now"] += wait - 1
    assert_limited(client.get(ME), "this service token")
    clock["now"] += 1
    assert client.get(ME).status_code == 200


def test_the_openapi_document_describes_the_429(client_for: Any, make_user: Any) -> None:
    document = client_for(make_user(Role.LEAD_PROFESSIONAL)).get("/api/v1/openapi.json").json()
    operations = [
        op
        for item in document["paths"].values()
        for method, op in item.items()
        if method in {"get", "post", "patch", "put", "delete"}
    ]
    assert len(operations) > 100
    for operation in operations:
        too_many = operation["responses"]["429"]
        assert "Retry-After" in too_many["headers"]
        schema = too_many["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Errors"}
    assert "errors" in document["components"]["schemas"]["Errors"]["properties"]


@pytest.mark.parametrize(
    "raw,parsed",
    [("600/minute", (600, 60)), ("10/s", (10, 1)), (" 5 / hour ", (5, 3600)), ("off", None)],
)
def test_rates_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, raw: str, parsed: Any
) -> None:
    monkeypatch.setenv("API_RATE_TOKEN", raw)
    assert env.get_rate("API_RATE_TOKEN", "1/day") == parsed


@pytest.mark.parametrize("raw", ["600", "600/fortnight", "0/minute", "lots/minute", ""])
def test_a_malformed_rate_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("API_RATE_TOKEN", raw)
    with pytest.raises(ImproperlyConfigured, match="API_RATE_TOKEN"):
        env.get_rate("API_RATE_TOKEN", "1/day")


def _redis() -> Any:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return client


def test_the_counters_live_in_redis_where_every_server_shares_them(
    settings: Any, account: User
) -> None:
    redis = _redis()
    prefix = f"riskpath-test-{uuid.uuid4().hex}"
    server = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.API_RATE_LIMITS = limits(token=3)
    token = create_token(account)
    try:
        with override_settings(CACHES=server):
            client = bearer(token)
            assert client.get(ME).status_code == 200
            assert client.get(ME).status_code == 200
        [key] = redis.keys(f"{prefix}:*riskpath:api-rate:token:*")
        assert int(redis.get(key)) == 2
        # Another server: its own connection to the same Redis, and no memory of its own.
        with override_settings(CACHES={"default": {**server["default"], "OPTIONS": {}}}):
            client = bearer(token)
            assert client.get(ME).status_code == 200
            assert_limited(client.get(ME), "this service token")
        assert 1 <= redis.ttl(key) <= 61
    finally:
        for key in redis.scan_iter(f"{prefix}:*"):
            redis.delete(key)
