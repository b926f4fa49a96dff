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
    ("Meetings", "meetings:list", "can_list_meetings"),
    ("Actions", "meetings:action_register", "can_view_actions"),
    ("Pathway", "pathway:dashboard", "can_view_pathway"),
    ("Imports", "imports:index", "can_import_records"),
    ("Meeting types", "meetings:type_list", "can_configure_meetings"),
    ("Agencies", "administration:agency_list", "can_manage_agencies"),
    ("Users", "administration:user_list", "can_manage_users"),
    ("Area settings", "administration:area_settings", "can_manage_area"),
    ("Audit log", "audit:log", "can_view_audit"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "header_search": None}
    current = request.path
    links: list[tuple[str, str]] = [
        (label, reverse(name))
        for label, name, rule in NAVIGATION
        if rule is None or policy.check(rule, user)
    ]
    # The current page belongs to the item whose address is its longest prefix ("/meetings/
    # actions/" to Actions, not to Meetings as well).
    matches = [
        url for _, url in links if current == url or (url != "/" and current.startswith(url))
    ]
    active = max(matches, key=len) if matches else None
    search_url = reverse("search:results")
    header_search = (
        {
            "url": search_url,
            # The search page shows what was searched for in its own box too.
            "text": request.GET.get("q", "")[:200] if current == search_url else "",
        }
        if policy.check("can_search_records", user)
        else None
    )
    return {
        "nav_items": [
            {"label": label, "url": url, "active": url == active} for label, url in links
        ],
        "header_search": header_search,
    }
