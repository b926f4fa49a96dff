"""More than one server: two gunicorn processes (the production configuration) on one
PostgreSQL database and one Redis, with requests spread across both. Sessions, the sign-in
lockout, the API's rate limits, conflict detection and the audit chains must hold as they do
on one server: 2 servers x 8 concurrent writers, no lost update, every chain verifies.

PostgreSQL only (the embedded SQLite default is one server by design)."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from riskpath.accounts.enums import Role
from riskpath.audit.models import AuditChain, AuditEvent, chain_for_area
from riskpath.audit.verbs import Verb
from riskpath.people.models import YoungPerson
from tests.api.helpers import create_token, service_account
from tests.deploy.gunicorn import collect_static, free_port, start
from tests.factories import PASSWORD, AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory

HOST = "riskpath.test"
REDIS_URL = os.environ.get("TWO_SERVERS_REDIS_URL", "redis://127.0.0.1:6379/15")
TOKEN_RATE = 30  # requests a minute per service token, set for both servers
WRITERS_PER_SERVER = 8

pytestmark = pytest.mark.django_db(transaction=True)


def _redis_reachable() -> bool:
    host, port = re.match(r"redis://([^:/]+):(\d+)", REDIS_URL).groups()  # type: ignore[union-attr]
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
    except OSError:
        return False
    return True


@dataclass
class Server:
    base: str
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass
class Response:
    status: int
    headers: Any
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Browser:
    """A user agent that talks to whichever server it is told, behind the TLS proxy, keeping
    one cookie jar for both (as a load balancer without sticky sessions would)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self,
        server: str,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        body: Any = None,
        token: str = "",
    ) -> Response:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{path}",
        }
        data = None
        if form is not None:
            data = "&".join(
                f"{urllib.parse.quote(k)}={urllib.parse.quote(v)}" for k, v in form.items()
            ).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        req = urllib.request.Request(server + path, data=data, headers=headers, method=method)
        opener = urllib.request.build_opener(_NoRedirect())
        try:
            with opener.open(req, timeout=60) as answer:
                result = Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            result = Response(error.code, error.headers, error.read())
        if not token:
            for header in result.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
        return result

    def sign_in(self, server: str, email: str, password: str) -> Response:
        page = self.request(server, "GET", "/accounts/login/")
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert csrf, page.body[:500]
        return self.request(
            server,
            "POST",
            "/accounts/login/",
            form={
                "csrfmiddlewaretoken": csrf.group(1).decode(),
                "login": email,
                "password": password,
            },
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[str, str]]:
    if connection.vendor != "postgresql":
        pytest.skip("several servers share one PostgreSQL database")
    if not _redis_reachable():
        pytest.skip(f"several servers share one Redis ({REDIS_URL}): not reachable")
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    database_url = (
        f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    processes = []
    bases = []
    data = tmp_path  # static files, collected once for both; nothing else is kept there
    for n in range(2):
        port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "DJANGO_"))},
            "DEBUG": "false",
            "SECRET_KEY": "a-production-like-key-shared-by-both-servers-0123456789-abcdef",
            "ALLOWED_HOSTS": HOST,
            "BEHIND_TLS_PROXY": "true",
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "API_RATE_TOKEN": f"{TOKEN_RATE}/minute",
            "RISKPATH_DATA_DIR": str(data),
            "RISKPATH_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
        }
        if n == 0:
            collect_static(env)
        log = open(data / f"gunicorn-{n}.log", "w")
        processes.append((start(env, log), log, data / f"gunicorn-{n}.log"))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 180
        for (process, _log, path), base in zip(processes, bases, strict=True):
            while True:
                if process.poll() is not None:
                    pytest.fail(f"gunicorn stopped: {path.read_text()}")
                try:
                    if Browser().request(base, "GET", "/healthz").status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not answer: {path.read_text()}")
                time.sleep(0.5)
        yield bases[0], bases[1]
    finally:
        for process, log, _path in processes:
            process.terminate()
            process.wait(timeout=30)
            log.close()


def test_two_servers_share_sessions_lockout_rate_limits_conflicts_and_the_audit_chains(
    servers: tuple[str, str],
) -> None:
    a, b = servers
    area = AreaFactory()
    agency = AgencyFactory(area=area)
    user = UserFactory(agency=agency, roles=[Role.SOCIAL_WORKER])
    person = YoungPersonFactory(area=area, recording_agency=agency, aliases=[])

    # A session begun on one server is the same session on the other.
    browser = Browser()
    assert browser.sign_in(a, user.email, PASSWORD).status == 302
    me = browser.request(b, "GET", "/api/v1/me/")
    assert me.status == 200 and me.json()["email"] == user.email

    # Failed sign-ins count together: five wrong passwords spread over both servers lock the
    # account on both, whatever password comes next.
    victim = UserFactory(agency=agency, roles=[Role.SOCIAL_WORKER])
    for n in range(5):
        Browser().sign_in((a, b)[n % 2], victim.email, "not-the-password")
    for server in (a, b):
        assert Browser().sign_in(server, victim.email, PASSWORD).status != 302
    refused = AuditEvent.objects.filter(verb=Verb.SIGN_IN_REFUSED_LOCKED, target_id=str(victim.pk))
    assert refused.count() == 2  # refused for the lockout, on each server

    # The API's rate limit is one count across both servers, not one each.
    counted = service_account(agency, Role.SOCIAL_WORKER)
    token = create_token(counted)
    statuses = [
        Browser().request((a, b)[n % 2], "GET", "/api/v1/me/", token=token).status
        for n in range(TOKEN_RATE + 10)
    ]
    assert statuses.count(200) == TOKEN_RATE and statuses.count(429) == 10

    # 2 servers x 8 writers each add their own alias to one record, reading its version and
    # sending it back, trying again on 409: every alias lands (no lost update).
    writers = [service_account(agency, Role.SOCIAL_WORKER) for _ in range(2 * WRITERS_PER_SERVER)]
    tokens = [create_token(w, name=f"writer {n}") for n, w in enumerate(writers)]
    detail = f"/api/v1/young-people/{person.pk}/"

    def write(n: int) -> int:
        server, conflicts = (a, b)[n % 2], 0
        alias = f"Alias {uuid.uuid4().hex[:8]}"
        for _ in range(100):
            read = Browser().request(server, "GET", detail, token=tokens[n]).json()
            change = {"aliases": [*read["aliases"], alias], "version": read["version"]}
            sent = Browser().request(server, "PATCH", detail, body=change, token=tokens[n])
            if sent.status == 200:
                return conflicts
            assert sent.status == 409, sent.body
            conflicts += 1
        raise AssertionError(f"writer {n} never got its change in")

    with ThreadPoolExecutor(max_workers=len(writers)) as pool:
        conflicts = list(pool.map(write, range(len(writers))))
    person = YoungPerson.objects.get(pk=person.pk)
    assert len(person.aliases) == len(writers) == len(set(person.aliases))
    assert sum(conflicts) > 0  # they did collide, and each collision was detected

    # Every chain (the area's and the installation's) verifies after all that.
    assert AuditChain.objects.get(chain=chain_for_area(area.pk)).seq > 4 * len(writers)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)  # raises CommandError on a broken chain
    assert "Audit chain intact" in out.getvalue(), out.getvalue()
