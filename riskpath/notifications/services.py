"""Telling users: ``notify`` (once per recipient and key), marking read, each user's choice of
e-mail, and the jobs that send the e-mails. Every e-mail says only what kind of thing it is, its
title (which never names anyone) and the link: a mailbox holds no personal data of riskpath."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import FieldErrors
from riskpath.jobs.runner import job
from riskpath.notifications.kinds import label
from riskpath.notifications.models import Delivery, Notification, Preference
from riskpath.notifications.selectors import count_one_more, forget_unread_count


def delivery_of(user: Any) -> str:
    found = Preference.objects.filter(user_id=user.pk).values_list("delivery", flat=True).first()
    return found or Delivery.IMMEDIATE


def notify(
    *,
    recipient: Any,
    kind: str,
    title: str,
    url: str,
    key: str,
    due_on: dt.date | None = None,
) -> Notification | None:
    """Tell ``recipient`` once: None when a notification with ``key`` was already made for
    them (whenever, by whichever process). An immediate e-mail is enqueued as a job in the same
    transaction, so it is sent only if this commits. ``title`` must name no one."""
    if not getattr(recipient, "is_active", False):
        return None
    if Notification.objects.filter(recipient_id=recipient.pk, key=key).exists():
        return None
    try:
        with transaction.atomic():
            made = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                title=title[:200],
                url=url,
                key=key[:200],
                due_on=due_on,
            )
    except IntegrityError:  # made meanwhile by another process
        return None
    count_one_more(recipient.pk)
    if recipient.email and delivery_of(recipient) == Delivery.IMMEDIATE:
        send_notification_email.enqueue(str(made.pk))
    return made


def mark_read(*, actor: Any, ids: Iterable[Any] | None = None) -> int:
    """Mark the actor's notifications read (those of ``ids``, or all); how many changed. Only
    the actor's own: another user's id changes nothing."""
    qs = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    forget_unread_count(actor.pk)
    return qs.update(read_at=clock.now())


def preference_set(*, actor: Any, delivery: Any) -> Preference:
    if delivery not in Delivery.values:
        raise FieldErrors({"delivery": "Choose how you want to be e-mailed"})
    with transaction.atomic():
        preference, _ = Preference.objects.get_or_create(user_id=actor.pk)
        before = preference.delivery
        preference.delivery = delivery
        preference.save(update_fields=["delivery", "updated_at"])
        audit_record(
            actor=actor,
            verb=Verb.NOTIFICATION_PREFERENCE_CHANGED,
            target=preference,
            target_label="notification preference",
            changes={"delivery": [before, delivery]},
        )
    return preference


def _link(notification: Notification) -> str:
    return settings.RISKPATH_BASE_URL + notification.url


@job
def send_notification_email(notification_id: str) -> bool:
    """E-mail one notification, once: False when it was e-mailed already or is gone."""
    with transaction.atomic():
        found = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if found is None or not found.recipient.email:
            return False
        kind = label(found.kind)
        body = (
            f"{kind}.\n\n{found.title}\n"
            + (f"By: {found.due_on:%-d %B %Y}\n" if found.due_on else "")
            + f"\nOpen it in riskpath: {_link(found)}\n"
        )
        # Sent before the mark commits: a refused message rolls back and the job is retried.
        EmailMessage(
            subject=f"[riskpath] {kind}: {found.title}", body=body, to=[found.recipient.email]
        ).send()
        found.emailed_at = clock.now()
        found.save(update_fields=["emailed_at", "updated_at"])
    return True


@job
def send_digests() -> int:
    """Each user who chose a daily digest gets one e-mail listing what they have not been
    e-mailed of yet; how many e-mails were sent. Run daily by the scheduler; a rerun sends
    nothing new."""
    sent = 0
    users = (
        Preference.objects.filter(delivery=Delivery.DIGEST)
        .filter(user__notifications__emailed_at__isnull=True, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in list(users):
        if _send_digest(user_id):
            sent += 1
    return sent


def _send_digest(user_id: Any) -> bool:
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(recipient_id=user_id, emailed_at__isnull=True)
            .order_by("created_at")
        )
        if not pending or not pending[0].recipient.email:
            return False
        lines = [
            f"- {label(n.kind)}: {n.title}"
            + (f" (by {n.due_on:%-d %B %Y})" if n.due_on else "")
            + f"\n  {_link(n)}"
            for n in pending
        ]
        body = (
            f"You have {len(pending)} new notification{'s' if len(pending) != 1 else ''} "
            "in riskpath.\n\n" + "\n".join(lines) + "\n"
        )
        EmailMessage(
            subject=f"[riskpath] Your daily summary: {len(pending)} new",
            body=body,
            to=[pending[0].recipient.email],
        ).send()
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=clock.now())
    return True
