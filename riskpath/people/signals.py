"""Keep the phonetic name keys of the duplicate check in step with records saved outside the
services (test factories, commands). The services set them too: their versioned saves are
updates that send no signals. ``bulk_create`` sends none either: call
``riskpath.people.services.refresh_name_keys`` after one."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from riskpath.people.models import PersonOfInterest, YoungPerson


@receiver(pre_save, sender=YoungPerson)
@receiver(pre_save, sender=PersonOfInterest)
def _set_keys(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    from riskpath.people.services import set_name_keys

    if not raw:
        set_name_keys(instance)


@receiver(post_save, sender=YoungPerson)
@receiver(post_save, sender=PersonOfInterest)
def _store_alias_keys(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    from riskpath.people.services import store_alias_keys

    if not raw:
        store_alias_keys(instance)
