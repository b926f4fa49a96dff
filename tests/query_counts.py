"""Whether a page's queries grow with its rows: read each page of a world built at two sizes and
name the pages that cost more queries at the larger. The meetings and pathway tests use it
(``tests/meetings/test_query_counts.py``, ``tests/pathway/test_query_counts.py``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from riskpath.accounts.models import User

W = TypeVar("W")
# A page: who reads it and its URL, in a world.
Page = Callable[[W], tuple[User, str]]


def queries(user: User, url: str) -> int:
    """The queries one read of ``url`` by ``user`` costs (after a first read has warmed the
    session and first-use caches). The page must answer 200."""
    client = Client()
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


def grown(pages: Mapping[str, Page[W]], small: W, large: W) -> dict[str, tuple[int, int]]:
    """The pages that cost more queries in ``large`` than in ``small``: {page: (few, many)}."""
    out = {}
    for name, page in pages.items():
        few, many = queries(*page(small)), queries(*page(large))
        if many > few:
            out[name] = (few, many)
    return out
