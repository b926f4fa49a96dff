from __future__ import annotations

import pytest

from riskpath.accounts.models import Area
from tests.api.conftest import api_for, token_client  # noqa: F401  (fixtures for the API tests)
from tests.imports.factories import Scene, build_scene


@pytest.fixture
def scene(area: Area) -> Scene:
    return build_scene(area)
