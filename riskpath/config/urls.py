"""riskpath's routes. Every route is public (sign-in), a user's own page, or names a rule of
the access policy; ``riskpath.access.checks`` and the URL access test hold that line."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, include, path

from riskpath.access.policy import PUBLIC_ROUTES, SELF_ROUTES
from riskpath.web import views as web_views


def _only(patterns: list[Any], keep: frozenset[str]) -> list[Any]:
    """allauth's routes, pruned to the ones riskpath uses (no self sign-up, no e-mail
    management, no social accounts)."""
    kept: list[Any] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = _only(p.url_patterns, keep)
            if inner:
                kept.append(path(str(p.pattern), include(inner)))
        elif isinstance(p, URLPattern) and p.name in keep:
            kept.append(p)
    return kept


def _allauth_patterns() -> list[Any]:
    from allauth import urls as allauth_urls

    return _only(allauth_urls.urlpatterns, PUBLIC_ROUTES | SELF_ROUTES)


urlpatterns = [
    path("", include("riskpath.web.urls")),
    path("accounts/", include(_allauth_patterns())),
    path("admin/", include("riskpath.administration.urls")),
    path("young-people/", include("riskpath.people.urls")),
    path("locations/", include("riskpath.locations.urls")),
    path("groups/", include("riskpath.groups.urls")),
    path("intelligence/", include("riskpath.intelligence.urls")),
    path("links/", include("riskpath.links.urls")),
    path("referrals/", include("riskpath.referrals.urls")),
    path("cohort/", include("riskpath.cohort.urls")),
    path("network/", include("riskpath.network.urls")),
    path("meetings/", include("riskpath.meetings.urls")),
    path("pathway/", include("riskpath.pathway.urls")),
    path("governance/", include("riskpath.governance.urls")),
    path("imports/", include("riskpath.imports.urls")),
    path("audit/", include("riskpath.auditlog.urls")),
    path("jobs/", include("riskpath.jobs.urls")),
    path("notifications/", include("riskpath.notifications.urls")),
    path("search/", include("riskpath.search.urls")),
    path("api/v1/", include("riskpath.api.urls")),
    path("healthz", web_views.HealthView.as_view(), name="healthz"),
]

handler400 = "riskpath.config.handlers.error_400"
handler403 = "riskpath.config.handlers.error_403"
handler404 = "riskpath.config.handlers.error_404"
handler500 = "riskpath.config.handlers.error_500"
