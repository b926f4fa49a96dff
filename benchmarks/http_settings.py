"""Settings of the server that ``benchmarks/http.py`` starts: the production settings
(``riskpath.config.settings``, DEBUG off, configured from the environment as in production),
with only a benchmark-only URLconf added in front of the application's, for the bare views of
``benchmarks/http_views.py``, and their template directory. Never used by the application."""

from __future__ import annotations

import copy
from pathlib import Path

from riskpath.config.settings import *  # noqa: F403
from riskpath.config.settings import TEMPLATES as _TEMPLATES

ROOT_URLCONF = "benchmarks.http_urls"
TEMPLATES = copy.deepcopy(_TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0].get("DIRS", []), Path(__file__).parent / "templates"]
