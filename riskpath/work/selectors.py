"""A user's work list: every registered source asked, the items put in the one order, the list
recorded in the audit log before it is shown (one WORK_LISTED event: how many, which filter),
and the count shown in the navigation."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from riskpath.audit.listing import audit_listing
from riskpath.audit.verbs import Verb
from riskpath.core import clock, workdays
from riskpath.work.items import (
    DUE_SOON_WORKING_DAYS,
    KINDS,
    MINE,
    SECTION_OVERDUE,
    SECTION_SOON,
    SECTIONS,
    Context,
    WorkItem,
    order,
    section,
    sources,
)

COUNT_CACHE_SECONDS = 600
# A page shows at most this many items of a section (the API gives them all).
SHOWN_PER_SECTION = 100


@dataclass
class Section:
    key: str
    heading: str
    items: list[WorkItem] = field(default_factory=list)

    @property
    def shown(self) -> list[WorkItem]:
        return self.items[:SHOWN_PER_SECTION]

    @property
    def more(self) -> int:
        return max(0, len(self.items) - SHOWN_PER_SECTION)


@dataclass
class WorkList:
    ctx: Context
    items: list[WorkItem]
    kind: str
    counts: dict[str, int]  # by kind, before the kind filter

    @property
    def sections(self) -> list[Section]:
        out = {key: Section(key, heading) for key, heading in SECTIONS.items()}
        for item in self.items:
            out[section(item, self.ctx)].items.append(item)
        return [s for s in out.values() if s.items]

    def is_overdue(self, item: WorkItem) -> bool:
        return item.overdue(self.ctx.today)


def context_for(user: Any) -> Context:
    today = clock.today()
    area = getattr(user, "area", None)
    calendar = (
        workdays.for_area(area)
        if area is not None
        else workdays.WorkingCalendar("england-and-wales")
    )
    return Context(user=user, today=today, soon=calendar.add(today, DUE_SOON_WORKING_DAYS))


def gather(user: Any, ctx: Context | None = None) -> list[WorkItem]:
    """Every item of the user's work, in order. Does not audit."""
    ctx = ctx or context_for(user)
    if not getattr(user, "is_authenticated", False) or user.area_id is None:
        return []
    items: list[WorkItem] = []
    for source in sources().values():
        items.extend(source(ctx))
    return order(items, ctx)


def work_for_user(user: Any, *, kind: str = "") -> WorkList:
    """The user's work (of one ``kind`` if given and known), recorded as listed."""
    ctx = context_for(user)
    items = gather(user, ctx)
    counts = dict(Counter(i.kind for i in items))
    kind = kind if kind in KINDS else ""
    shown = [i for i in items if i.kind == kind] if kind else items
    audit_listing(user, Verb.WORK_LISTED, count=len(shown), basis="their own work", kind=kind)
    _remember_count(user, items, ctx)
    return WorkList(ctx=ctx, items=shown, kind=kind, counts=counts)


def _due_count(items: list[WorkItem], ctx: Context) -> int:
    return sum(
        1 for i in items if i.whose == MINE and section(i, ctx) in (SECTION_OVERDUE, SECTION_SOON)
    )


def _key(user: Any) -> str:
    return f"riskpath:work-count:{user.pk}"


def _remember_count(user: Any, items: list[WorkItem], ctx: Context) -> None:
    cache.set(_key(user), _due_count(items, ctx), COUNT_CACHE_SECONDS)


def work_count(user: Any) -> int | None:
    """How many of the user's own items are overdue or due soon (the navigation's count), as
    remembered when their work list was last shown (no query; None when not remembered): a
    page other than the home page costs nothing for it."""
    found = cache.get(_key(user))
    return None if found is None else int(found)


def forget_count(user_id: Any) -> None:
    cache.delete(f"riskpath:work-count:{user_id}")


__all__ = ["KINDS", "WorkList", "forget_count", "gather", "work_count", "work_for_user"]
