"""E-mail sent once the work that causes it has committed: the one way riskpath sends mail
from a service. A rolled-back write sends nothing; a mail server that refuses is logged and
never turns a recorded step into an error page (robust ``on_commit``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from django.core.mail import EmailMessage
from django.db import transaction

logger = logging.getLogger("riskpath.mail")


def send_after_commit(
    *,
    subject: str,
    body: str,
    to: Sequence[str],
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
    headers: dict[str, str] | None = None,
) -> None:
    """Send one message to each address of ``to`` (no one sees the others') after the current
    transaction commits."""
    recipients = [address for address in dict.fromkeys(to) if address]
    if not recipients:
        return

    def send() -> None:
        for address in recipients:
            message = EmailMessage(subject=subject, body=body, to=[address], headers=headers)
            for name, content, mimetype in attachments:
                message.attach(name, content, mimetype)
            message.send()

    on_commit(send)


def on_commit(send: Callable[[], None]) -> None:
    """Run ``send`` after commit; a failure is logged (without the message) and swallowed."""
    transaction.on_commit(send, robust=True)
