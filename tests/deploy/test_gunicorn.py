"""The production shape, run for real: gunicorn with deploy/gunicorn.conf.py and production
settings (DEBUG off, static files hashed and served by WhiteNoise, TLS ended at a proxy) answers
the load balancer's health check and serves the stylesheet, and logs no query string."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.gunicorn import collect_static, free_port, start


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    data = tmp_path_factory.mktemp("riskpath-data")
    log = data / "gunicorn.log"
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "DJANGO_"))},
        "DEBUG": "false",
        "SECRET_KEY": "a-production-like-key-for-the-deploy-test-0123456789-abcdefghijkl",
        "ALLOWED_HOSTS": "riskpath.test",
        "BEHIND_TLS_PROXY": "true",
        "RISKPATH_DATA_DIR": str(data),
        "RISKPATH_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    collect_static(env)
    with open(log, "w") as out:
        process = start(env, out)
    base = f"http://127.0.0.1:{port}"
    try:
        # Ready once a worker has loaded riskpath and answers (slow on a busy machine).
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"gunicorn stopped: {log.read_text()}")
            try:
                if _get(f"{base}/healthz", timeout=30)[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        yield base, data, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def _get(url: str, *, https: bool = True, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    headers = {"Host": "riskpath.test"}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_health_check_answers_through_the_proxy(server: tuple[str, Path, Path]) -> None:
    base, _data, _log = server
    status, headers, body = _get(f"{base}/healthz?who=Canary-Query-Name")
    assert status == 200, body
    assert json.loads(body) == {"status": "ok", "database": "ok"}
    assert "max-age=31536000" in headers["Strict-Transport-Security"]


def test_plain_http_is_sent_to_https(server: tuple[str, Path, Path]) -> None:
    base, _data, _log = server
    request = urllib.request.Request(f"{base}/healthz", headers={"Host": "riskpath.test"})
    opener = urllib.request.build_opener(_NoRedirect())
    with pytest.raises(urllib.error.HTTPError) as redirected:
        opener.open(request, timeout=10)
    assert redirected.value.code == 301
    assert redirected.value.headers["Location"] == "https://riskpath.test/healthz"


def test_static_files_are_hashed_compressed_and_cached_for_ever(
    server: tuple[str, Path, Path],
) -> None:
    base, data, _log = server
    manifest = json.loads((data / "static" / "staticfiles.json").read_text())["paths"]
    hashed = manifest["riskpath/app.css"]
    assert hashed != "riskpath/app.css"
    status, headers, body = _get(f"{base}/static/{hashed}")
    assert status == 200 and len(body) > 1000
    assert "immutable" in headers["Cache-Control"]
    assert (data / "static" / (hashed + ".gz")).exists()


def test_no_query_string_reaches_the_log(server: tuple[str, Path, Path]) -> None:
    base, _data, log = server
    _get(f"{base}/healthz?q=Canary-Query-Name")
    _get(f"{base}/no-such-page?q=Canary-Query-Name")
    time.sleep(0.5)
    text = log.read_text()
    assert "Booting worker" in text  # the log is gunicorn's, and was written to
    assert "Canary-Query-Name" not in text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
