"""One place that reads the environment: every setting that varies between machines."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def get_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def get_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def get_rate(name: str, default: str) -> tuple[int, int] | None:
    """A rate limit such as ``600/minute`` (or ``600/m``; second, minute, hour or day), as
    (requests, seconds); ``off`` for none."""
    raw = os.environ.get(name, default)
    value = raw.strip().lower()
    if value == "off":
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*([a-z]+)", value)
    period = next(
        (secs for word, secs in _PERIODS.items() if match and word.startswith(match[2])), None
    )
    if match is None or period is None or int(match[1]) < 1:
        raise ImproperlyConfigured(
            f"{name} must be a number of requests per second, minute, hour or day, like "
            f"600/minute, or off; not {raw!r}"
        )
    return int(match[1]), period


def data_dir() -> Path:
    path = Path(os.environ.get("RISKPATH_DATA_DIR", Path.cwd() / "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path
