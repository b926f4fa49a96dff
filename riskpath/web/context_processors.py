from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from riskpath.access import policy
from riskpath.notifications.selectors import remembered_unread_count
from riskpath.work.selectors import work_count

# (label, url name, rule that must pass for the item to show)
NAVIGATION = [
    ("Home", "web:home", None),
    ("Notifications", "notifications:list", "can_have_notifications"),
    ("Young people", "people:list", "can_list_young_people"),
    ("Locations", "locations:list", "can_view_location"),
    ("Groups", "groups:list", "can_view_group"),
    ("Persons of interest", "people:poi_list", "can_view_person_of_interest"),
    ("Intelligence", "intelligence:list", "can_view_intelligence"),
    ("Cohort", "cohort:list", "can_view_cohort"),
    ("Network", "network:cohort", "can_view_network"),
    ("Meetings", "meetings:list", "can_list_meetings"),
    ("Actions", "meetings:action_register", "can_view_actions"),
    ("Pathway", "pathway:dashboard", "can_view_pathway"),
    ("Imports", "imports:index", "can_import_records"),
    ("Meeting types", "meetings:type_list", "can_configure_meetings"),
    ("Agencies", "administration:agency_list", "can_manage_agencies"),
    ("Users", "administration:user_list", "can_manage_users"),
    ("Area settings", "administration:area_settings", "can_manage_area"),
    ("Subject access requests", "governance:requests", "can_record_subject_access_request"),
    ("Retention", "governance:retention", "can_manage_retention"),
    ("Audit log", "audit:log", "can_view_audit"),
    ("Failed jobs", "jobs:failed", "can_view_failed_jobs"),
]
# Items that show a count beside their label: the user's work due soon or overdue, their
# unread notifications; both as remembered in the cache (the home page refreshes them), so that
# the navigation costs no query.
COUNTS = {"web:home": work_count, "notifications:list": remembered_unread_count}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "header_search": None}
    current = request.path
    shown = [
        (label, name)
        for label, name, rule in NAVIGATION
        if rule is None or policy.check(rule, user)
    ]
    counts = {name: COUNTS[name](user) for _, name in shown if name in COUNTS}
    links: list[tuple[str, str]] = [(label, reverse(name)) for label, name in shown]
    by_url = {reverse(name): count for name, count in counts.items()}
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
            {"label": label, "url": url, "active": url == active, "count": by_url.get(url)}
            for label, url in links
        ],
        "header_search": header_search,
    }
