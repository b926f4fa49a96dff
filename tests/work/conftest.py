from __future__ import annotations

import pytest

from riskpath.accounts.models import Area
from tests.meetings.scenario import Scene, build_scene
from tests.pathway.scenario import Pathway, build_pathway


@pytest.fixture
def p(area: Area) -> Pathway:
    return build_pathway(area)


@pytest.fixture
def scene(area: Area) -> Scene:
    return build_scene(area)
