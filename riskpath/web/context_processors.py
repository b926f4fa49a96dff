from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from riskpath.access import policy

# (label, url name, rule that must pass for the item to show)
NAVIGATION = [
    ("Home", "web:home", None),
    ("Young people", "people:list", "can_list_young_people"),
    ("Locations", "locations:list", "can_view_location"),
    ("Groups", "groups:list", "can_view_group"),
    ("Persons of interest", "people:poi_list", "can_view_person_of_interest"),
    ("Intelligence", "intelligence:list", "can_view_intelligence"),
    ("Cohort", "cohort:list", "can_view_cohort"),
    ("Imports", "imports:index", "can_import_records"),
    ("Agencies", "accounts:agency_list", "can_manage_agencies"),
    ("Users", "accounts:user_list", "can_manage_users"),
    ("Area settings", "accounts:area_settings", "can_manage_area"),
    ("Audit log", "audit:log", "can_view_audit"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    current = request.path
    for label, name, rule in NAVIGATION:
        if rule is not None and not policy.check(rule, user):
            continue
        url = reverse(name)
        active = current == url if url == "/" else current.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
