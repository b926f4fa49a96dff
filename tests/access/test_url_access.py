"""Every route, found from the URL resolver, is refused to anyone without a rule for it.

A route added later without an access rule fails here by itself: the default-deny
middleware refuses it, and the resolver walk below finds it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import get_resolver, reverse

from riskpath.access import policy
from riskpath.access.checks import check_every_route_has_a_rule, iter_patterns
from riskpath.access.middleware import declared_rule
from riskpath.accounts.enums import Role

SAMPLE = {
    "uuid": uuid.UUID("00000000-0000-4000-8000-000000000001"),
    "int": 1,
    "str": "abc",
    "slug": "abc",
    "path": "abc",
}


def _sample_kwargs(params: dict[str, str]) -> dict[str, Any]:
    return {name: SAMPLE.get(kind, "abc") for name, kind in params.items()}


def all_routes() -> list[tuple[str, str, str | None]]:
    """(route name, a concrete URL for it, its declared rule) for every named route."""
    routes = []
    for name, pattern, params in iter_patterns(get_resolver().url_patterns):
        assert name, f"every route must be named: {pattern.pattern}"
        url = reverse(name, kwargs=_sample_kwargs(params))
        routes.append((name, url, declared_rule(pattern.callback)))
    return routes


ROUTES = all_routes()
GUARDED = [r for r in ROUTES if r[0] not in policy.PUBLIC_ROUTES]
RULED = [r for r in GUARDED if r[0] not in policy.SELF_ROUTES]


def test_the_walk_finds_the_routes_we_know() -> None:
    names = {name for name, _, _ in ROUTES}
    assert {"web:home", "people:detail", "api:young_person_detail", "audit:log"} <= names
    assert len(RULED) >= 15


def test_every_route_is_public_self_or_names_a_known_rule() -> None:
    for name, _url, rule in RULED:
        assert rule in policy.RULE_NAMES, f"{name} has no access rule"
    assert check_every_route_has_a_rule(None) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name,url", [(n, u) for n, u, _ in GUARDED])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_refused(client: Any, name: str, url: str, method: str) -> None:
    response = getattr(client, method)(url)
    if url.startswith("/api/"):
        assert response.status_code in (401, 403), name
    else:
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login")), name


@pytest.mark.django_db
@pytest.mark.parametrize("name,url,rule", RULED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_user_with_no_roles_is_refused(
    client_for: Any, make_user: Any, name: str, url: str, rule: str, method: str
) -> None:
    client = client_for(make_user())
    response = getattr(client, method)(url)
    assert response.status_code == 403, f"{name}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_each_role_is_refused_every_route_its_rules_do_not_allow(
    client_for: Any, make_user: Any, role: str
) -> None:
    user = make_user(role)
    client = client_for(user)
    refused = 0
    for name, url, rule in RULED:
        if policy.check(rule, user):
            continue
        response = client.get(url)
        assert response.status_code == 403, f"{role} on {name}: {response.status_code}"
        refused += 1
    # Every role is refused something: no role sees everything.
    assert refused > 0, role


@pytest.mark.django_db
def test_a_route_without_a_rule_is_refused_by_the_middleware(
    client_for: Any, make_user: Any, settings: Any
) -> None:
    settings.ROOT_URLCONF = "tests.access.urls_without_rule"
    client = client_for(make_user(Role.AREA_ADMINISTRATOR))
    assert client.get("/forgotten/").status_code == 403
    assert client.get("/forgotten-api/").status_code == 403


@pytest.mark.django_db
def test_a_refusal_of_a_signed_in_user_is_audited(client_for: Any, make_user: Any) -> None:
    from riskpath.audit.models import AuditEvent

    user = make_user(Role.LEAD_PROFESSIONAL)
    client = client_for(user)
    assert client.get(reverse("audit:log")).status_code == 403
    assert client.get(reverse("api:audit_event_list")).status_code == 403
    denied = AuditEvent.objects.filter(verb="ACCESS_DENIED", actor=user)
    assert sorted(denied.values_list("target_label", flat=True)) == [
        "api:audit_event_list",
        "audit:log",
    ]
