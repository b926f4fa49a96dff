"""Paging a list page: the one way riskpath splits a list into pages (the page number from
``?page=``, an out-of-range or malformed one showing the nearest page)."""

from __future__ import annotations

from collections.abc import Sequence
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
