"""Security headers, error pages, health check, request ids and logs."""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import string
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riskpath.accounts.enums import Role


@pytest.mark.django_db
def test_signed_in_pages_carry_the_security_headers(client_for: Any, make_user: Any) -> None:
    client = client_for(make_user(Role.LEAD_PROFESSIONAL))
    response = client.get(reverse("web:home"), secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    nonce = csp.split("'nonce-")[1].split("'")[0]
    # No inline script at all; the one external script carries the nonce.
    scripts = [part for part in html.split("<script")[1:]]
    assert scripts and all(f'nonce="{nonce}"' in s and "src=" in s.split(">")[0] for s in scripts)


@pytest.mark.django_db
def test_api_answers_are_never_cached(client: Client) -> None:
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_check_reports_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_error_pages_use_the_service_layout(client_for: Any, make_user: Any) -> None:
    client = client_for(make_user(Role.LEAD_PROFESSIONAL))
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert "Page not found" in not_found.content.decode()
    assert (
        "govuk-header" in not_found.content.decode()
        or "govuk-generic-header" in not_found.content.decode()
    )
    forbidden = client.get(reverse("audit:log"))
    assert forbidden.status_code == 403
    assert "You do not have access to this page" in forbidden.content.decode()


@pytest.mark.django_db
def test_server_error_page_shows_no_record_and_a_reference(
    client_for: Any, make_user: Any, monkeypatch: Any
) -> None:
    from riskpath.web import views

    def broken(user: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(views.selectors, "home_for_user", broken)
    client = client_for(make_user(Role.LEAD_PROFESSIONAL))
    client.raise_request_exception = False
    response = client.get(reverse("web:home"), HTTP_X_REQUEST_ID="req-1234567890")
    assert response.status_code == 500
    assert "Sorry, there is a problem with riskpath" in response.content.decode()
    assert "req-1234567890" in response.content.decode()


@pytest.mark.django_db
def test_requests_get_an_id_and_a_log_line_without_personal_data(
    client_for: Any, make_user: Any, caplog: Any
) -> None:
    client = client_for(make_user(Role.LEAD_PROFESSIONAL))
    with caplog.at_level(logging.INFO, logger="riskpath.request"):
        response = client.get(reverse("people:list") + "?q=Smith")
    request_id = response["X-Request-ID"]
    records = [r for r in caplog.records if r.name == "riskpath.request"]
    assert records and records[-1].request_id == request_id
    assert records[-1].route == "people:list"
    assert all("Smith" not in r.getMessage() and "Smith" not in str(r.__dict__) for r in records)


def test_check_deploy_is_clean_with_production_settings(tmp_path: Any) -> None:
    # A deployment's environment: not the test run's (the browser tests allow async-unsafe).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "riskpath.config.settings",
        "SECRET_KEY": "".join(
            secrets.choice(string.ascii_letters + string.digits) for _ in range(64)
        ),
        "DEBUG": "false",
        "RISKPATH_DATA_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "riskpath.example.test",
    }
    result = subprocess.run(
        [sys.executable, "-m", "riskpath", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Any) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(
        {"DJANGO_SETTINGS_MODULE": "riskpath.config.settings", "RISKPATH_DATA_DIR": str(tmp_path)}
    )
    result = subprocess.run(
        [sys.executable, "-m", "riskpath", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_json_log_lines(tmp_path: Any) -> None:
    from pythonjsonlogger.json import JsonFormatter

    record = logging.LogRecord("riskpath.request", logging.INFO, __file__, 1, "request", None, None)
    record.request_id = "abc"
    line = JsonFormatter("%(levelname)s %(message)s %(request_id)s").format(record)
    assert json.loads(line)["request_id"] == "abc"


@pytest.mark.django_db
def test_the_menu_marks_only_the_most_specific_section_as_current(
    make_user: Any, client_for: Any
) -> None:
    user = make_user(Role.PARTNER_REPRESENTATIVE)
    html = client_for(user).get(reverse("meetings:action_register")).content.decode()
    assert re.findall(r'aria-current="page"><strong[^>]*>([^<]+)<', html) == ["Actions"]
