"""The request a piece of work is done for: its id and client address, for logs and audit.

Set by ``RequestContextMiddleware`` for web and API requests and by ``command_context`` for
management commands, so that services need not be handed the request."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    client_ip: str | None
    channel: str  # "web", "api" or "command"


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
