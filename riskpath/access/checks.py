"""A system check: every named route is public, a user's own page, or names a known rule."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver

from riskpath.access import policy
from riskpath.access.middleware import declared_rule


def _params(pattern: Any) -> dict[str, str]:
    """URL parameter names of one pattern, with their converter's kind ("uuid", "int"…)."""
    params = {name: "str" for name in pattern.regex.groupindex}
    for name, converter in getattr(pattern, "converters", {}).items():
        params[name] = type(converter).__name__.replace("Converter", "").lower()
    return params


def iter_patterns(
    patterns: list[Any], namespace: str | None = None, inherited: dict[str, str] | None = None
) -> list[tuple[str | None, URLPattern, dict[str, str]]]:
    """Every route as (full name, pattern, its parameters including its parents')."""
    found: list[tuple[str | None, URLPattern, dict[str, str]]] = []
    for p in patterns:
        params = {**(inherited or {}), **_params(p.pattern)}
        if isinstance(p, URLResolver):
            ns = p.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            found.extend(iter_patterns(p.url_patterns, full, params))
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            found.append((name, p, params))
    return found


@checks.register(checks.Tags.security)
def check_every_route_has_a_rule(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for name, pattern, _params in iter_patterns(get_resolver().url_patterns):
        if name in policy.PUBLIC_ROUTES or name in policy.SELF_ROUTES:
            continue
        rule = declared_rule(pattern.callback)
        if rule not in policy.RULE_NAMES:
            errors.append(
                checks.Error(
                    f"Route {name or pattern.pattern} has no access rule (found {rule!r}).",
                    hint="Set `rule` on the view to a rule in riskpath.access.policy.",
                    id="riskpath.E001",
                )
            )
    return errors
