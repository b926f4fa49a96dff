"""The invitation e-mail on a real commit (a transactional test: no wrapping transaction)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from riskpath.accounts.enums import Role
from riskpath.accounts.models import Agency, User
from riskpath.administration import services
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb


@pytest.mark.django_db(transaction=True)
def test_the_invitation_is_sent_once_the_user_is_committed(
    client_for: Any, area_admin: User, agency: Agency, monkeypatch: Any
) -> None:
    seen_at_send: list[bool] = []
    real_send = services._send_invitation

    def spy(user: User) -> None:
        # By the time the e-mail goes, the user and their audit event are in the database.
        seen_at_send.append(
            User.objects.filter(pk=user.pk).exists()
            and AuditEvent.objects.filter(verb=Verb.USER_CREATED, target_id=str(user.pk)).exists()
        )
        real_send(user)

    monkeypatch.setattr(services, "_send_invitation", spy)
    response = client_for(area_admin).post(
        reverse("administration:user_create"),
        {
            "full_name": "Tomasz Committed",
            "email": "tomasz@example.test",
            "agency": str(agency.pk),
            "roles": [Role.LEAD_PROFESSIONAL],
        },
    )
    assert response.status_code == 302
    assert seen_at_send == [True]
    (message,) = mail.outbox
    assert message.to == ["tomasz@example.test"]
    assert message.subject == "[riskpath] Your riskpath account"
