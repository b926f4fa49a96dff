from __future__ import annotations

import pytest

from riskpath.accounts.models import Area
from tests.meetings.scenario import Scene, build_scene


@pytest.fixture
def scene(area: Area) -> Scene:
    return build_scene(area)
