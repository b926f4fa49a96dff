"""The API's JSON parser: DRF's, with a limit on how deeply a body may nest.

No request of the API nests more than a few levels (an object holding a list of objects). A
body nested hundreds of levels deep is either a mistake or an attempt to exhaust the server:
Python's decoder gives up with a RecursionError near a thousand levels, and anything that
walks a deep structure later (validation, the audit log's JSON) can fail the same way."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser

MAX_DEPTH = 32
TOO_DEEP = f"The body is nested too deeply: send at most {MAX_DEPTH} levels of objects and arrays"


def depth(value: Any) -> int:
    """How many levels of objects and arrays ``value`` nests (a scalar is 0), found without
    recursion, and stopping as soon as the limit is passed."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, level) for child in children)
    return deepest


class JSONParser(DRFJSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(TOO_DEEP) from exc
        if depth(data) > MAX_DEPTH:
            raise ParseError(TOO_DEEP)
        return data
