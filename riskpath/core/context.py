"""The request a piece of work is done for: its id and client address, for logs and audit.

Set by ``RequestContextMiddleware`` for web and API requests and by ``command_context`` for
management commands, so that services need not be handed the request."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    client_ip: str | None
    channel: str  # "web", "api" or "command"
    # Answers worth keeping for the rest of a request that changes nothing (GET and HEAD):
    # None for any other request, whose writes could change the answers.
    memo: dict[Any, Any] | None = field(default=None, compare=False)


_current: ContextVar[RequestContext | None] = ContextVar("riskpath_request", default=None)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        return RequestContext(request_id=uuid.uuid4().hex, client_ip=None, channel="internal")
    return ctx


@contextlib.contextmanager
def bound(ctx: RequestContext) -> Iterator[RequestContext]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def command_context() -> contextlib.AbstractContextManager[RequestContext]:
    return bound(RequestContext(request_id=uuid.uuid4().hex, client_ip=None, channel="command"))


def memo() -> dict[Any, Any] | None:
    """The current read-only request's memo, or None (no memoising outside one)."""
    ctx = _current.get()
    return ctx.memo if ctx is not None else None
