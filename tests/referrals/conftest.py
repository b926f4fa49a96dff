from __future__ import annotations

import pytest

from riskpath.accounts.models import Agency, Area
from tests.people.scenario import Scene, build_scene


@pytest.fixture
def scene(area: Area, agency: Agency) -> Scene:
    return build_scene(area, agency)
