"""Second factors offered by allauth: authenticator apps (TOTP), recovery codes and passkeys."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riskpath.accounts.enums import Role
from tests.factories import PASSWORD


@pytest.fixture
def signed_in(make_user: Any) -> Client:
    user = make_user(Role.LEAD_PROFESSIONAL)
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    # Adding a second factor asks for the password again (allauth's reauthentication).
    again = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert again.status_code == 302
    return client


@pytest.mark.django_db
def test_the_two_factor_page_offers_an_app_and_passkeys(signed_in: Client) -> None:
    html = signed_in.get(reverse("mfa_index")).content.decode()
    assert "Authenticator App" in html
    assert reverse("mfa_add_webauthn") in html


@pytest.mark.django_db
def test_adding_a_passkey_loads_its_scripts_under_the_csp_nonce(signed_in: Client) -> None:
    response = signed_in.get(reverse("mfa_add_webauthn"))
    assert response.status_code == 200
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert f'src="/static/mfa/js/webauthn.js" nonce="{nonce}"' in html
    # Executable inline script would be blocked by the policy: only JSON data blocks are inline.
    for chunk in html.split("<script")[1:]:
        opening = chunk.split(">", 1)[0]
        assert "src=" in opening or "application/json" in opening, opening


@pytest.mark.django_db
def test_activating_an_authenticator_app_shows_a_qr_code(signed_in: Client) -> None:
    response = signed_in.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in response.content.decode()
