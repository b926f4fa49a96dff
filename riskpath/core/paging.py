"""Paging a list page: the one way riskpath splits a list into pages (the page number from
``?page=``, an out-of-range or malformed one showing the nearest page), and ``window_of`` for
the lists too large to count."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(
    request: HttpRequest, items: Sequence[Any] | Any, per_page: int, *, param: str = "page"
) -> Page:
    """The page of ``items`` (a queryset or a list) the request asks for."""
    return page_at(items, request.GET.get(param), per_page)


def page_at(items: Sequence[Any] | Any, number: Any, per_page: int) -> Page:
    """Page ``number`` of ``items`` (as typed: a malformed or out-of-range number gives the
    nearest page)."""
    return Paginator(items, per_page).get_page(number)


def window_of(request: HttpRequest, items: Any, per_page: int, *, param: str = "page") -> Window:
    """The page of ``items`` (a queryset) the request asks for, without counting them: for
    lists whose length would cost a scan of everything the user may see (a count of an
    access-scoped queryset tests the access rule on every row). It reads ``per_page + 1`` rows
    from the page's offset; the extra row says only that there is a next page. A number past
    the end (or malformed) shows the first page."""
    number = _page_number(request.GET.get(param))
    rows = list(items[(number - 1) * per_page : number * per_page + 1])
    if not rows and number > 1:
        number = 1
        rows = list(items[: per_page + 1])
    return Window(rows[:per_page], number, per_page, len(rows) > per_page)


def _page_number(raw: Any) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else 1


@dataclass(frozen=True)
class _Known:
    """What ``web/_pagination.html`` reads of a paginator: ``num_pages`` when the last page is
    known (this is it), else ``None``, and the page says "Page N" without "of M"."""

    num_pages: int | None


@dataclass(frozen=True)
class Window:
    """A page of a list that is never counted: the same reading interface as Django's
    ``Page`` as far as ``web/_pagination.html`` uses it, plus ``total`` when it is known (on
    the last page) and the positions of the first and last rows."""

    object_list: list[Any]
    number: int
    per_page: int
    more: bool  # a row exists after this page

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)

    @property
    def total(self) -> int | None:
        """How many rows the list holds, known only on its last page (``None`` elsewhere)."""
        return None if self.more else self.end_index()

    @property
    def paginator(self) -> _Known:
        return _Known(None if self.more else self.number)
