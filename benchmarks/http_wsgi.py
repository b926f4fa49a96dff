"""The WSGI application ``benchmarks/http.py`` serves with gunicorn: riskpath's own (with the
benchmark settings, ``benchmarks/http_settings.py``), and, when ``RISKPATH_BENCH_AUDIT=off`` is
in the environment, with audit recording switched off in this process only (see
``disable_audit``). Nothing in the application can switch auditing off."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.http_settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()


def disable_audit() -> None:
    """Make ``riskpath.audit.services.audit_record`` return an unsaved event without touching
    the database (no chain lock, no insert, no ``event_recorded`` signal). Every caller imported
    the function itself (``from riskpath.audit.services import audit_record``), so its code
    object is replaced rather than the module attribute: every reference sees the change."""
    from riskpath.audit import services

    def unaudited(*, actor: Any, verb: Any, **_: Any) -> Any:
        return AuditEvent(verb=str(verb))  # noqa: F821 (resolved in services' globals)

    services.audit_record.__code__ = unaudited.__code__
    services.audit_record.__kwdefaults__ = None


if os.environ.get("RISKPATH_BENCH_AUDIT") == "off":
    disable_audit()
