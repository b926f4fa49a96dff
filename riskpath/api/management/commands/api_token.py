from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from riskpath.accounts.models import User
from riskpath.api.models import ServiceToken, hash_token
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.context import command_context


class Command(BaseCommand):
    help = "Create or revoke API tokens for service accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token; it is printed once.")
        create.add_argument("--user", required=True, help="The service account's e-mail")
        create.add_argument("--name", required=True, help="What the token is for")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        with command_context():
            if options["action"] == "create":
                self._create(options["user"], options["name"])
            else:
                self._revoke(options["prefix"])

    def _create(self, email: str, name: str) -> None:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with e-mail {email}")
        if not user.is_service_account:
            raise CommandError(f"{email} is not a service account; tokens are for integrations")
        raw = ServiceToken.generate()
        with transaction.atomic():
            token = ServiceToken.objects.create(
                user=user, name=name, key_hash=hash_token(raw), prefix=raw[:10]
            )
            audit_record(
                actor=None,
                actor_label="riskpath command",
                verb=Verb.TOKEN_CREATED,
                target=token,
                area_id=user.area_id,
            )
        self.stdout.write(raw)

    def _revoke(self, prefix: str) -> None:
        token = ServiceToken.objects.filter(prefix=prefix, revoked_at__isnull=True).first()
        if token is None:
            raise CommandError(f"No live token starts {prefix}")
        with transaction.atomic():
            ServiceToken.objects.filter(pk=token.pk).update(revoked_at=clock.now())
            audit_record(
                actor=None,
                actor_label="riskpath command",
                verb=Verb.TOKEN_REVOKED,
                target=token,
                area_id=token.user.area_id,
            )
        self.stdout.write(f"Revoked {token}")
