from __future__ import annotations

from typing import Any

import pytest

from tests.search.scenario import SearchWorld, build_search_world


@pytest.fixture
def world(db: Any) -> SearchWorld:
    return build_search_world()
