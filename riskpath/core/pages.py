"""The parts of a record's page that other apps contribute.

A record's page belongs to the app that owns the record (a young person's page to ``people``,
a location's to ``locations``), but what other apps know of it appears there too: the
intelligence about a young person, their links, their cohort tier, their pathway episode. The
owning app must not import those apps (they sit above it), so each contributing app registers
a *part* for the page here (from its ``record.py``, imported when the app is ready), and the
owning page asks for all of them: ``page_parts("young_person", user, person)``.

A part is a function ``(user, obj, shared) -> dict`` whose keys the page's template reads;
``shared`` is a dict one page view passes to every part and timeline source, for what two of
them both need (the young person's links feed the links section and the timeline alike). A
part returns only what the user may see, and is not audited: the page's own read is."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PartFunction = Callable[[Any, Any, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Part:
    page: str
    name: str
    order: int
    build: PartFunction


_parts: dict[str, list[Part]] = defaultdict(list)


def register_part(page: str, name: str, build: PartFunction, *, order: int = 100) -> None:
    """Add a part to ``page`` ("young_person", "person_of_interest", "location", "group")."""
    if any(p.name == name for p in _parts[page]):
        raise ValueError(f"part {name!r} is already registered for the {page} page")
    _parts[page].append(Part(page=page, name=name, order=order, build=build))
    _parts[page].sort(key=lambda p: (p.order, p.name))


def page_parts(
    page: str, user: Any, obj: Any, shared: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The template context every registered part of ``page`` contributes, in order."""
    shared = {} if shared is None else shared
    context: dict[str, Any] = {}
    for part in _parts.get(page, []):
        context.update(part.build(user, obj, shared))
    return context


def parts_of(page: str) -> list[str]:
    return [p.name for p in _parts.get(page, [])]
