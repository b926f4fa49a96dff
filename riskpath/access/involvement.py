"""Why a user may see a record: their involvement with it, or an emergency-access grant.

Domain apps register *involvement resolvers* for their models: functions that return a short
basis ("lead professional", "recording agency", "member of the meeting on 3 March") or None.
The policy's rules use the basis; audit events record it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from riskpath.core import clock

Resolver = Callable[[Any, Any], str | None]
_resolvers: dict[str, list[Resolver]] = defaultdict(list)


def register(model_label: str) -> Callable[[Resolver], Resolver]:
    """Decorator: ``@register("people.youngperson")`` adds an involvement resolver."""

    def decorate(fn: Resolver) -> Resolver:
        _resolvers[model_label].append(fn)
        return fn

    return decorate


def involvement_basis(user: Any, obj: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    for resolver in _resolvers.get(obj._meta.label_lower, []):
        basis = resolver(user, obj)
        if basis:
            return basis
    return None


def emergency_grant(user: Any, obj: Any) -> Any:
    from riskpath.access.models import EmergencyAccessGrant

    if not getattr(user, "is_authenticated", False):
        return None
    return (
        EmergencyAccessGrant.objects.filter(
            user=user,
            target_type=obj._meta.label_lower,
            target_id=str(obj.pk),
            expires_at__gt=clock.now(),
        )
        .order_by("-expires_at")
        .first()
    )


def access_basis(user: Any, obj: Any) -> str | None:
    """The involvement basis, else "emergency access: <reason>", else None."""
    basis = involvement_basis(user, obj)
    if basis:
        return basis
    grant = emergency_grant(user, obj)
    if grant is not None:
        return f"emergency access: {grant.reason}"[:200]
    return None
